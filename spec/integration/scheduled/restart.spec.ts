// Stopping a dispatcher in the middle of the day and starting a new instance sends the pending message once and the already-sent one never again.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { eventually } from '../../support/kafka.js'
import { createScenario, sleep } from './support.js'

const test = suite('scheduled: restart mid-day (real broker)')

test('pending ones still go out once, dispatched ones not again', async () => {
  const s = await createScenario('restart')
  try {
    const first = s.instance()
    await first.start()
    await eventually(() => s.named('scheduled.loaded').length === 1, 20_000, 'first loaded')
    await first.schedule({ targetTopic: s.targetTopic, after: '1s', value: 'before-restart' })
    await first.schedule({ targetTopic: s.targetTopic, after: '7s', value: 'after-restart' })
    await eventually(() => s.values().includes('before-restart'), 10_000, 'first delivery')
    await first.stop()
    assert.equal(s.values(), ['before-restart'])

    const second = s.instance()
    await second.start()
    await eventually(() => s.named('scheduled.loaded').length === 2, 30_000, 'second loaded')
    assert.is(second.statuses()[0]?.dueToday, 1, 'only the pending one is loaded: the sent one was tombstoned')
    await eventually(() => s.values().includes('after-restart'), 15_000, 'pending delivery')
    await sleep(1500)
    assert.equal(s.values(), ['before-restart', 'after-restart'])
  } finally {
    await s.cleanup()
  }
})

test.run()
