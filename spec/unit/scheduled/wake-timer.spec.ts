import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createManualClock } from '../../../lib/time/manual-clock.js'
import { createWakeTimer, nextWake } from '../../../lib/scheduled/wake-timer.js'
import { bufferHorizon, reloadSlot, utcDayEnd, utcDayLabel, DAY_MS } from '../../../lib/scheduled/day.js'

const test = suite('scheduled/wake-timer and day')

test('one timer: re-arming replaces it, and it fires exactly at the instant asked for', async () => {
  const clock = createManualClock()
  const fired: number[] = []
  const timer = createWakeTimer(clock, () => fired.push(clock.now()))
  const t0 = clock.now()
  timer.arm(t0 + 5000)
  timer.arm(t0 + 3000)
  timer.arm(t0 + 3000)
  assert.is(clock.pending(), 1)
  await clock.advance(2999)
  assert.equal(fired, [])
  await clock.advance(1)
  assert.equal(fired, [t0 + 3000])
  timer.arm(undefined)
  assert.is(clock.pending(), 0)
})

test('waits longer than setTimeout allows are taken in steps and still land exactly', async () => {
  const clock = createManualClock()
  const fired: number[] = []
  const timer = createWakeTimer(clock, () => fired.push(clock.now()))
  const at = clock.now() + 30 * DAY_MS
  timer.arm(at)
  await clock.set(at - 1)
  assert.equal(fired, [])
  await clock.set(at)
  assert.equal(fired, [at])
})

test('nextWake picks the earlier of the next due message and the reload', () => {
  assert.is(nextWake(5, 9), 5)
  assert.is(nextWake(undefined, 9), 9)
  assert.is(nextWake(5, undefined), 5)
})

test('UTC days, the buffer horizon and spread reload slots', () => {
  const noon = Date.UTC(2026, 2, 29, 12) // a daylight-saving change day in Europe: irrelevant in UTC
  assert.is(utcDayEnd(noon), Date.UTC(2026, 2, 30))
  assert.is(utcDayLabel(noon), '2026-03-29')
  assert.is(bufferHorizon(noon, 60_000), Date.UTC(2026, 2, 30) + 60_000)
  const end = utcDayEnd(noon)
  const slots = [0, 1, 2, 3, 4, 5, 6, 7].map((p) => reloadSlot(end, p, 60_000) - end)
  assert.ok(slots.every((s) => s >= 0 && s < 60_000))
  assert.is(new Set(slots).size, slots.length)
  assert.is(reloadSlot(end, 5, 0), end)
})

test.run()
