import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { InvalidCronError } from '../../../lib/errors.js'
import { createCronSlots } from '../../../lib/recurring/cron.js'
import { MINUTE, T0 } from './support.js'

const test = suite('recurring/cron slots')

test('the next slot is strictly after the given instant, at whole seconds', () => {
  const everyMinute = createCronSlots('* * * * *')
  assert.is(everyMinute.nextAfter(T0), T0 + MINUTE, 'a slot exactly at the instant is not "next"')
  assert.is(everyMinute.nextAfter(T0 + 500), T0 + MINUTE)
  assert.is(everyMinute.nextAfter(T0 + MINUTE - 1), T0 + MINUTE)
})

test('six fields mean seconds first; nicknames work', () => {
  assert.is(createCronSlots('*/10 * * * * *').nextAfter(T0), T0 + 10_000)
  assert.is(createCronSlots('@hourly').nextAfter(T0), T0 + 60 * MINUTE)
})

test('UTC by default; a timezone moves the slots', () => {
  assert.is(createCronSlots('0 9 * * *').nextAfter(T0), Date.UTC(2026, 0, 1, 9))
  // Paris is UTC+1 in January: 09:00 there is 08:00 UTC.
  assert.is(createCronSlots('0 9 * * *', 'Europe/Paris').nextAfter(T0), Date.UTC(2026, 0, 1, 8))
  // ...and UTC+2 in July (DST).
  assert.is(createCronSlots('0 9 * * *', 'Europe/Paris').nextAfter(Date.UTC(2026, 6, 1)), Date.UTC(2026, 6, 1, 7))
})

test('invalid expressions and timezones fail at once with InvalidCronError', () => {
  for (const [cron, tz] of [['61 * * * *', 'UTC'], ['* * *', 'UTC'], ['', 'UTC'], ['2026-01-01T00:00:00', 'UTC'], ['* * * * *', 'Mars/Olympus']] as const) {
    try {
      createCronSlots(cron, tz, { taskId: 'x' })
      assert.unreachable(`${cron} / ${tz} should be rejected`)
    } catch (e) {
      assert.instance(e, InvalidCronError)
      assert.is((e as InvalidCronError).code, 'TROUPE_INVALID_CRON')
      assert.is((e as InvalidCronError).context.taskId, 'x')
    }
  }
})

test.run()
