// Two members share partitions while a third joins and then leaves: no message is lost, and nothing
// that was committed is ever delivered again (redelivery is only of work not yet committed).
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createGroup } from '../../../lib/group/group.js'
import type { Group } from '../../../lib/group/group.js'
import { ack } from '../../../lib/group/handler.js'
import type { MessageHandler } from '../../../lib/group/handler.js'
import { Events } from '../../../lib/instrumentation/events.js'
import { createInstrumentation } from '../../../lib/instrumentation/instrumentation.js'
import { eventually, testClient, unique, withTopics } from '../../support/kafka.js'
import { committedTotal, fastGroupConfig, produceNumbered } from '../../support/group.js'

const test = suite('group: rebalance with members joining and leaving')

test('a third member joins and leaves mid-stream; nothing lost, nothing committed delivered twice', async () => {
  const client = testClient()
  const topic = unique('rebalance')
  const groupId = unique('rebalance-group')
  const partitions = 6
  const total = 3000
  const cleanup = await withTopics(client, [{ topic, partitions }])
  await produceNumbered(client, topic, total, partitions)

  // Highest committed offset per partition, as every member reports its commits (any order of members).
  const committed = new Map<number, number>()
  const violations: string[] = []
  const deliveries = new Map<string, number>()
  const instrumentation = createInstrumentation()
  instrumentation.on(Events.COMMITTED, (e) => {
    for (const o of e.payload.offsets as Array<{ partition: number; offset: number }>) {
      const before = committed.get(o.partition) ?? 0
      if (o.offset < before) violations.push(`commit went back on p${o.partition}: ${before} -> ${o.offset}`)
      committed.set(o.partition, Math.max(before, o.offset))
    }
  })
  const handler = (member: string): MessageHandler<null> => ({
    async handleMessages(messages, state) {
      for (const m of messages) {
        if (m.offset < (committed.get(m.partition) ?? 0)) violations.push(`${member} got committed p${m.partition}@${m.offset}`)
        const key = `${m.partition}@${m.offset}`
        deliveries.set(key, (deliveries.get(key) ?? 0) + 1)
      }
      await new Promise((r) => setTimeout(r, 5)) // slow enough that rebalances land mid-stream
      return ack(state)
    },
  })
  const member = (name: string): Group =>
    createGroup({ client, groupId, topics: [topic], name, handler: handler(name), config: { ...fastGroupConfig, maxBatchSize: 20 } }, { instrumentation })

  const a = member('a')
  const b = member('b')
  await a.start()
  await b.start()
  await eventually(() => deliveries.size >= total * 0.2, 30_000, '20% consumed')
  const c = member('c')
  await c.start()
  await eventually(() => c.assignments().length > 0, 20_000, 'c got partitions')
  await eventually(() => deliveries.size >= total * 0.6, 30_000, '60% consumed')
  await c.stop()
  await eventually(async () => (await committedTotal(client, groupId, topic)) === total, 60_000, 'everything committed')
  await a.stop()
  await b.stop()

  assert.equal(violations, [])
  assert.is(deliveries.size, total, 'every message delivered')
  assert.is(await committedTotal(client, groupId, topic), total)
  await cleanup()
})

test.run()
