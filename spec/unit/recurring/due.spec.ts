import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { dueAt, initialTaskStates, isDue, nextWakeUp } from '../../../lib/recurring/due.js'
import type { TaskState } from '../../../lib/recurring/due.js'
import { HOUR, MINUTE, schedule, T0, task } from './support.js'

const test = suite('recurring/due check')

const s = schedule('1', task('hourly', '0 * * * *'), task('minutely', '* * * * *'), task('off', '* * * * *', { enabled: false }))
const hourly = s.task('hourly')!
const state = (over: Partial<TaskState> = {}): TaskState => ({ previousTime: 0, enabled: true, enabledAt: 0, triggered: false, ...over })

test('initial states follow the definition', () => {
  assert.equal(initialTaskStates(s), { hourly: state(), minutely: state(), off: state({ enabled: false }) })
})

test('never ran: counts from process start, so nothing before it is owed', () => {
  const startedAt = T0 + 10 * MINUTE
  assert.is(dueAt(hourly, state(), startedAt), T0 + HOUR)
  assert.not.ok(isDue(hourly, state(), startedAt, T0 + HOUR - 1))
  assert.ok(isDue(hourly, state(), startedAt, T0 + HOUR))
})

test('ran before: counts from the last run, so slots missed while down fire once, not per slot', () => {
  const ranAt = T0 - 5 * HOUR // five hourly slots missed
  const now = T0 + 30 * MINUTE
  assert.ok(isDue(hourly, state({ previousTime: ranAt }), now, now))
  // Running now records previousTime = now; the next due slot is then the next hour, not the next missed one.
  assert.is(dueAt(hourly, state({ previousTime: now }), now, ), T0 + HOUR)
  assert.not.ok(isDue(hourly, state({ previousTime: now }), now, now))
})

test('a slot already recorded is not due again (no double run after a restart)', () => {
  const slot = T0 + HOUR
  assert.not.ok(isDue(hourly, state({ previousTime: slot }), T0, slot + 59 * MINUTE))
})

test('disabled: never due, unless triggered; triggered is due at once', () => {
  assert.is(dueAt(hourly, state({ enabled: false }), T0), null)
  assert.ok(isDue(hourly, state({ enabled: false, triggered: true }), T0, T0))
  assert.is(dueAt(hourly, state({ triggered: true }), T0), 0)
})

test('re-enabled: slots slept through while disabled are not caught up', () => {
  const enabledAt = T0 + 10 * MINUTE
  assert.is(dueAt(hourly, state({ previousTime: T0 - 5 * HOUR, enabledAt }), T0), T0 + HOUR)
})

test('nextWakeUp: the earliest due time among idle tasks', () => {
  const states = { hourly: state(), minutely: state(), off: state({ enabled: false }) }
  assert.is(nextWakeUp(s, states, T0, new Set()), T0 + MINUTE)
  assert.is(nextWakeUp(s, states, T0, new Set(['minutely'])), T0 + HOUR, 'a running task is left to its finish')
  assert.is(nextWakeUp(s, { ...states, off: state({ enabled: false, triggered: true }) }, T0, new Set()), 0)
  assert.is(nextWakeUp(s, { hourly: state({ enabled: false }), minutely: state({ enabled: false }), off: state({ enabled: false }) }, T0, new Set()), null)
})

test.run()
