// Across a UTC midnight the dispatcher reloads its partition and keeps delivering on time, once. The clock is the
// real one shifted forward so that the scenario starts at 23:59:57 UTC: real timers, real broker, an injected epoch.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Clock } from '../../../lib/time/clock.js'
import { systemClock } from '../../../lib/time/clock.js'
import { eventually } from '../../support/kafka.js'
import { createScenario, sleep } from './support.js'

const test = suite('scheduled: day rollover (real broker, shifted clock)')
const DAY = 86_400_000

test('before and after midnight both go out once; the reload counts the next days again', async () => {
  const s = await createScenario('rollover')
  try {
    const realNow = Date.now()
    const midnight = (Math.floor(realNow / DAY) + 1) * DAY + DAY // a midnight at least a day ahead
    const shift = midnight - 3000 - realNow
    const clock: Clock = { ...systemClock, now: () => Date.now() + shift }
    const scheduled = s.instance({ clock, reloadSpread: 0 })
    await scheduled.schedule({ targetTopic: s.targetTopic, at: midnight - 1000, value: 'before-midnight' })
    await scheduled.schedule({ targetTopic: s.targetTopic, at: midnight + 1500, value: 'after-midnight' })
    await scheduled.schedule({ targetTopic: s.targetTopic, at: midnight + DAY + 600_000, value: 'day-after' })
    await scheduled.start()
    await eventually(() => s.named('scheduled.loaded').length >= 1, 20_000, 'loaded')
    assert.ok(clock.now() < midnight, 'loaded before midnight (the broker was slow to assign: rerun)')
    const before = scheduled.statuses()[0]!
    assert.is(before.dueToday, 2) // the after-midnight one is inside the lookahead
    assert.equal(Object.values(before.futureDays), [1], JSON.stringify({ before, rejected: s.named('scheduled.envelope_rejected').map((e) => String(e.payload.error)) }))
    await eventually(() => s.named('scheduled.day_rolled_over').length === 1, 15_000, 'rollover')
    await eventually(() => s.values().length === 2, 10_000, 'both delivered')
    await sleep(1500)
    assert.equal(s.values(), ['before-midnight', 'after-midnight'])
    const after = scheduled.statuses()[0]!
    assert.is(after.reloads, 1)
    assert.is(after.day, new Date(midnight).toISOString().slice(0, 10))
    assert.equal(Object.values(after.futureDays), [1])
  } finally {
    await s.cleanup()
  }
})

test.run()
