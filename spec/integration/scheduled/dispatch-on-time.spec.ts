// A message scheduled 2 s ahead reaches its target topic no earlier than its due time and soon after it, with its key, headers and trace.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ScheduledHeaders } from '../../../lib/scheduled/index.js'
import { eventually } from '../../support/kafka.js'
import { createScenario } from './support.js'

const test = suite('scheduled: dispatch on time (real broker, real clock)')

test('delivered once, not before its due time, within 1.5 s after it; the states topic shows the figures', async () => {
  const s = await createScenario('ontime', 2)
  try {
    const scheduled = s.instance()
    await scheduled.start()
    await eventually(() => s.named('scheduled.loaded').length === 2, 20_000, 'both partitions loaded')
    const receipt = await scheduled.schedule({ targetTopic: s.targetTopic, targetKey: 'order-1', after: '2s', value: 'hello', headers: { trace: 'abc' } })
    await eventually(() => s.received.length >= 1, 10_000, 'delivery')
    const [first] = s.received
    assert.ok(first!.at >= receipt.due, `arrived ${receipt.due - first!.at} ms early`)
    assert.ok(first!.at - receipt.due < 1500, `arrived ${first!.at - receipt.due} ms late`)
    const m = first!.message
    assert.is(m.value?.toString(), 'hello')
    assert.is(m.key?.toString(), 'order-1')
    assert.is(m.headers.trace?.toString(), 'abc')
    assert.is(m.headers[ScheduledHeaders.sourceKey]?.toString(), receipt.id)
    assert.is(m.headers[ScheduledHeaders.sourcePartition]?.toString(), String(receipt.partition))
    const dispatched = s.named('scheduled.dispatched')[0]!
    assert.is(dispatched.payload.id, receipt.id)
    // Give a duplicate the chance to show up, then check the states topic figures.
    await new Promise((r) => setTimeout(r, 1000))
    assert.is(s.received.length, 1)
    const status = scheduled.statuses().find((x) => x.partition === receipt.partition)!
    assert.equal([status.state, status.dispatched, status.dueToday], ['loaded', 1, 0])
    await scheduled.stop()
    const high = await s.client.admin().fetchTopicOffsets(s.statesTopic)
    assert.ok(high.every((p) => p.high >= 2), 'every partition published loading, loaded and stopped statuses')
  } finally {
    await s.cleanup()
  }
})

test.run()
