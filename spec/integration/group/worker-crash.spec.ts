// A handler that throws mid-stream crashes only its partition's worker, which resumes at last ack + 1
// without a rebalance; a message that keeps failing is dead-lettered and the partition carries on.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createGroup } from '../../../lib/group/group.js'
import { ack, ackUpTo } from '../../../lib/group/handler.js'
import type { MessageHandler } from '../../../lib/group/handler.js'
import { Events } from '../../../lib/instrumentation/events.js'
import { createInstrumentation } from '../../../lib/instrumentation/instrumentation.js'
import type { InstrumentationEvent } from '../../../lib/instrumentation/instrumentation.js'
import { eventually, testClient, unique, withTopics } from '../../support/kafka.js'
import { committedTotal, fastGroupConfig, numberedTopic, produceNumbered } from '../../support/group.js'

const test = suite('group: worker crash and local restart')

test('crash mid-batch: acked part is not redelivered, the rest is, no rebalance', async () => {
  const { client, topic, groupId, cleanup } = await numberedTopic('crash', 2, 200)
  const handled: Array<{ partition: number; offset: number }> = []
  let crashed = false
  const handler: MessageHandler<null> = {
    handleMessages(messages, state) {
      // The batch holding offset 50 of partition 0 fails once; earlier batches were acked already.
      if (!crashed && messages[0]!.partition === 0 && messages.some((m) => m.offset === 50)) {
        crashed = true
        throw new Error('boom')
      }
      for (const m of messages) handled.push({ partition: m.partition, offset: m.offset })
      return ack(state)
    },
  }
  const events: InstrumentationEvent[] = []
  const instrumentation = createInstrumentation()
  instrumentation.on('*', (e) => events.push(e))
  const group = createGroup(
    { client, groupId, topics: [topic], handler, config: { ...fastGroupConfig, maxBatchSize: 20, restartBackoff: { initial: 10, max: 50 } } },
    { instrumentation },
  )
  await group.start()
  await eventually(async () => (await committedTotal(client, groupId, topic)) === 200, 30_000, 'all committed')
  await group.stop()
  const crashes = events.filter((e) => e.name === Events.WORKER_CRASHED)
  const restarts = events.filter((e) => e.name === Events.WORKER_RESTARTED)
  assert.is(crashes.length, 1)
  assert.is(restarts.length, 1)
  assert.is(events.filter((e) => e.name === Events.PARTITIONS_ASSIGNED).length, 1, 'no rebalance')
  const p0 = handled.filter((h) => h.partition === 0).map((h) => h.offset)
  const p1 = handled.filter((h) => h.partition === 1).map((h) => h.offset)
  assert.equal(p1, Array.from({ length: 100 }, (_, i) => i), 'partition 1 untouched by the crash')
  // Everything of partition 0 was handled at least once and the crashed batch was redelivered from its start.
  assert.equal([...new Set(p0)].sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i))
  const crashOffset = crashes[0]!.payload.offset as number
  assert.ok(crashOffset <= 50)
  assert.equal(p0, Array.from({ length: 100 }, (_, i) => i), 'each offset handled exactly once: acked ones were not redelivered')
  assert.is(crashOffset % 20, 0, 'the crash is reported at the first offset of the failed batch')
  await cleanup()
})

test('ackUpTo then crash: redelivery starts right after the acked offset', async () => {
  const { client, topic, groupId, cleanup } = await numberedTopic('crash-ackupto', 1, 30)
  const deliveries: number[][] = []
  const handler: MessageHandler<{ calls: number }> = {
    init: () => ({ calls: 0 }),
    handleMessages(messages, state) {
      deliveries.push(messages.map((m) => m.offset))
      if (deliveries.length === 1) return ackUpTo(4, state) // 0..4 done, 5..9 held
      if (deliveries.length === 2) throw new Error('crash while 5.. are unacked')
      return ack(state)
    },
  }
  const group = createGroup({ client, groupId, topics: [topic], handler, config: { ...fastGroupConfig, maxBatchSize: 10, restartBackoff: { initial: 10, max: 10 } } })
  await group.start()
  await eventually(async () => (await committedTotal(client, groupId, topic)) === 30, 30_000, 'all committed')
  await group.stop()
  assert.equal(deliveries[0], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  // After the crash the worker restarts at last ack + 1 = 5, with one message at a time while isolating.
  assert.is(deliveries[2]?.[0], 5)
  const all = deliveries.flat()
  for (let o = 0; o < 5; o++) assert.is(all.filter((x) => x === o).length, 1, `offset ${o} once`)
  await cleanup()
})

test('a message that always fails is dead-lettered after maxAttempts and the partition goes on', async () => {
  const client = testClient()
  const topic = unique('poison')
  const dlt = unique('poison-dlt')
  const groupId = unique('poison-group')
  const cleanup = await withTopics(client, [{ topic, partitions: 1 }, { topic: dlt, partitions: 1 }])
  await produceNumbered(client, topic, 20, 1)
  const handled: string[] = []
  const handler: MessageHandler<null> = {
    handleMessages(messages, state) {
      if (messages.some((m) => m.value?.toString() === 'm7')) throw new Error('poison m7')
      handled.push(...messages.map((m) => m.value?.toString() ?? ''))
      return ack(state)
    },
  }
  const group = createGroup({
    client, groupId, topics: [topic], handler,
    config: { ...fastGroupConfig, maxBatchSize: 5, restartBackoff: { initial: 5, max: 20 }, onRepeatedFailure: { maxAttempts: 3, action: 'dead_letter', deadLetterTopic: dlt } },
  })
  await group.start()
  await eventually(async () => (await committedTotal(client, groupId, topic)) === 20, 30_000, 'all committed')
  await group.stop()
  assert.equal([...new Set(handled)].length, 19)
  assert.not.ok(handled.includes('m7'))
  const dltOffsets = await client.admin().fetchTopicOffsets(dlt)
  assert.is(dltOffsets[0]?.high, 1, 'one message in the dead-letter topic')
  await cleanup()
})

test.run()
