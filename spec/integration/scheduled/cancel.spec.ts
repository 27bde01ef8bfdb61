// A cancelled message never reaches its target: neither when the cancel is loaded with it, nor when it arrives while the dispatcher waits.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { eventually } from '../../support/kafka.js'
import { createScenario, sleep } from './support.js'

const test = suite('scheduled: cancel (real broker)')

test('cancelled before the dispatcher loads, and cancelled live: neither is delivered, the others are', async () => {
  const s = await createScenario('cancel')
  try {
    const scheduled = s.instance()
    const early = await scheduled.schedule({ id: 'cancel-before-load', targetTopic: s.targetTopic, after: '1500ms', value: 'cancelled-early' })
    await scheduled.schedule({ targetTopic: s.targetTopic, after: '1500ms', value: 'kept-1' })
    await scheduled.cancel(early.id)
    await scheduled.start()
    await eventually(() => s.named('scheduled.loaded').length === 1, 20_000, 'loaded')
    const live = await scheduled.schedule({ targetTopic: s.targetTopic, after: '4s', value: 'cancelled-live' })
    const kept = await scheduled.schedule({ targetTopic: s.targetTopic, after: '4s', value: 'kept-2' })
    await eventually(() => s.named('scheduled.dispatched').length >= 1, 10_000, 'first delivery') // the live one is buffered by now
    await scheduled.cancel(live.id)
    await eventually(() => s.values().includes('kept-2'), 15_000, 'kept-2 delivered')
    await sleep(1500)
    assert.equal(s.values().sort(), ['kept-1', 'kept-2'])
    assert.is(s.named('scheduled.cancelled').length, 2)
    assert.ok(Date.now() >= kept.due)
  } finally {
    await s.cleanup()
  }
})

test.run()
