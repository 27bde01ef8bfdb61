// Malformed envelopes written straight to the proxy topic (a keyless one the compacted topic itself refuses) are reported and skipped; valid messages around them are delivered.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { InvalidEnvelopeError } from '../../../lib/errors.js'
import { ScheduledHeaders as H } from '../../../lib/scheduled/index.js'
import { eventually } from '../../support/kafka.js'
import { createScenario, sleep } from './support.js'

const test = suite('scheduled: malformed envelopes (real broker)')

test('reported as InvalidEnvelopeError, skipped, never crashing; the valid ones go out', async () => {
  const s = await createScenario('malformed')
  try {
    const scheduled = s.instance()
    await scheduled.schedule({ targetTopic: s.targetTopic, after: '1s', value: 'valid-1' })
    const raw = s.client.producer()
    const due = String(Date.now() + 1000)
    await raw.produce(s.proxyTopic, [
      { key: 'no-headers', value: 'x' },
      { key: 'future-schema', value: 'x', headers: { [H.schema]: '99', [H.type]: 'schedule', [H.targetAt]: due, [H.targetTopic]: s.targetTopic } },
      { key: 'no-target', value: 'x', headers: { [H.schema]: '1', [H.type]: 'schedule', [H.targetAt]: due } },
    ])
    await raw.disconnect()
    await scheduled.schedule({ targetTopic: s.targetTopic, after: '1s', value: 'valid-2' })
    await scheduled.start()
    await eventually(() => s.values().length === 2, 20_000, 'valid deliveries')
    await sleep(1000)
    assert.equal(s.values(), ['valid-1', 'valid-2'])
    const rejected = s.named('scheduled.envelope_rejected')
    assert.is(rejected.length, 3)
    assert.ok(rejected.every((e) => e.payload.error instanceof InvalidEnvelopeError))
    assert.equal(rejected.map((e) => (e.payload.error as Error).message.slice(0, 30)), [
      'proxy record has no valid sche', 'unknown envelope schema versio', 'a target topic is required (a ',
    ])
    assert.is(scheduled.statuses()[0]?.rejected, 3)
    assert.is(scheduled.statuses()[0]?.state, 'loaded')
  } finally {
    await s.cleanup()
  }
})

test.run()
