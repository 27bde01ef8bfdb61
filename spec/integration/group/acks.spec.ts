// Acks sent from outside the handler: noAck now and ack later commits only then, and an ack that
// carries an old generation id is rejected as stale and never committed.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { StaleGenerationError, InvalidAckError } from '../../../lib/errors.js'
import { createGroup } from '../../../lib/group/group.js'
import { noAck } from '../../../lib/group/handler.js'
import type { MessageHandler } from '../../../lib/group/handler.js'
import { eventually } from '../../support/kafka.js'
import { committedTotal, fastGroupConfig, numberedTopic, recordingHandler } from '../../support/group.js'
import type { Seen } from '../../support/group.js'

const test = suite('group: external acks and generation fencing')

test('noAck holds the commit until an external ack, which commits exactly through its offset', async () => {
  const { client, topic, groupId, cleanup } = await numberedTopic('noack', 1, 10)
  const pending: Array<{ offset: number; generationId: number }> = []
  const handler: MessageHandler<null> = {
    handleMessages(messages, state, ctx) {
      for (const m of messages) pending.push({ offset: m.offset, generationId: ctx.generationId })
      return noAck(state)
    },
  }
  const group = createGroup({ client, groupId, topics: [topic], handler, config: { ...fastGroupConfig, prefetchCount: 100 } })
  await group.start()
  await eventually(() => pending.length === 10, 20_000, 'all delivered')
  await new Promise((r) => setTimeout(r, 600)) // three commit intervals
  assert.is(await committedTotal(client, groupId, topic), 0, 'nothing committed without acks')
  const generationId = pending[0]!.generationId
  assert.equal(group.ack({ topic, partition: 0, generationId, offset: 6 }), { accepted: true })
  await eventually(async () => (await committedTotal(client, groupId, topic)) === 7, 10_000, 'commit through offset 6')
  const never = group.ack({ topic, partition: 0, generationId, offset: 99 })
  assert.is(never.accepted, false)
  if (!never.accepted) assert.instance(never.error, InvalidAckError)
  assert.equal(group.ack({ topic, partition: 0, generationId, offset: 9 }), { accepted: true })
  await eventually(async () => (await committedTotal(client, groupId, topic)) === 10, 10_000, 'commit of all 10')
  await group.stop()
  await cleanup()
})

test('an ack from a previous generation is rejected after a rebalance and not committed', async () => {
  const { client, topic, groupId, cleanup } = await numberedTopic('stale', 2, 20)
  const held: Array<{ partition: number; offset: number; generationId: number }> = []
  const handler: MessageHandler<null> = {
    handleMessages(messages, state, ctx) {
      for (const m of messages) held.push({ partition: m.partition, offset: m.offset, generationId: ctx.generationId })
      return noAck(state)
    },
  }
  const a = createGroup({ client, groupId, topics: [topic], handler, config: fastGroupConfig, name: 'a' })
  await a.start()
  await eventually(() => held.length === 20, 20_000, 'member a got everything')
  const old = held[held.length - 1]!
  // A second member joins: a new generation starts and a's old acks become stale.
  const seen: Seen[] = []
  const b = createGroup({ client, groupId, topics: [topic], handler: recordingHandler('b', seen), config: fastGroupConfig, name: 'b' })
  await b.start()
  await eventually(() => a.assignments().length === 1 && a.assignments()[0]!.generationId > old.generationId, 20_000, 'rebalance')
  const outcome = a.ack({ topic, partition: old.partition, generationId: old.generationId, offset: old.offset })
  assert.is(outcome.accepted, false)
  if (!outcome.accepted) assert.instance(outcome.error, StaleGenerationError)
  await a.stop()
  await b.stop()
  // b acked what it got; nothing a held (never acked in a live generation) counts as committed by a.
  const committed = await client.admin().fetchCommittedOffsets(groupId, topic)
  for (const c of committed) {
    const bGot = seen.filter((s) => s.partition === c.partition).length
    assert.ok(c.offset <= (bGot === 0 ? 0 : 10), `partition ${c.partition} commit ${c.offset} is only b's work`)
  }
  await cleanup()
})

test.run()
