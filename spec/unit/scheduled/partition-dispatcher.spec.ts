import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { InvalidEnvelopeError } from '../../../lib/errors.js'
import { Header } from '../../../lib/scheduled/headers.js'
import { createHarness } from './harness.js'
import { createLog } from './support.js'

const test = suite('scheduled/partition-dispatcher')
const NOON = Date.UTC(2026, 0, 1, 12)

test('nothing goes out before loading completes, so a cancel later in the log always wins', async () => {
  const h = createHarness({ startAt: NOON })
  h.schedule('a', NOON - 10_000) // overdue (written within the tolerance)
  h.schedule('b', NOON - 5_000)
  h.cancel('a')
  await h.dispatcher.start()
  assert.equal(h.seeks, [0])
  h.feed(2) // the cancel is not read yet
  await h.clock.advance(60_000)
  assert.equal(h.delivered(), [])
  h.feed()
  await h.settle()
  assert.equal(h.delivered(), ['b'])
  assert.is(h.named('scheduled.loaded').length, 1)
  assert.is(h.dispatcher.status().cancelled, 1)
})

test('a message goes out exactly at its due time, from one timer', async () => {
  const h = createHarness({ startAt: NOON })
  await h.dispatcher.start()
  h.schedule('a', NOON + 10_000)
  h.feed()
  assert.is(h.clock.pending(), 1)
  await h.clock.advance(9_999)
  assert.equal(h.delivered(), [])
  await h.clock.advance(1)
  assert.equal(h.delivered(), ['a'])
  const event = h.named('scheduled.dispatched')[0]!
  assert.is(event.at, NOON + 10_000)
  assert.is(event.payload.lateMs, 0)
})

test('order is by due time, then by proxy offset', async () => {
  const h = createHarness({ startAt: NOON })
  h.schedule('late', NOON + 3000)
  h.schedule('tie-1', NOON + 2000)
  h.schedule('early', NOON + 1000)
  h.schedule('tie-2', NOON + 2000)
  await h.dispatcher.start()
  h.feed()
  await h.clock.advance(5000)
  assert.equal(h.delivered(), ['early', 'tie-1', 'tie-2', 'late'])
})

test('the target keeps key and headers; the tombstone goes to the same proxy partition, naming the offset', async () => {
  const h = createHarness({ startAt: NOON, partition: 4 })
  await h.dispatcher.start()
  h.schedule('a', NOON + 1000)
  h.feed()
  await h.clock.advance(1000)
  const [target, tombstone] = h.producer.sent
  assert.is(target?.topic, 'out')
  assert.is(target?.message.headers?.[Header.sourcePartition], '4')
  assert.is(tombstone?.topic, 'proxy')
  assert.is(tombstone?.message.partition, 4)
  assert.is(tombstone?.message.key, 'a')
  assert.is(tombstone?.message.value, null)
  assert.is(tombstone?.message.headers?.[Header.sourceOffset], '0')
})

test('a live cancel before the due time means it never goes out', async () => {
  const h = createHarness({ startAt: NOON })
  await h.dispatcher.start()
  h.schedule('a', NOON + 5000)
  h.schedule('b', NOON + 6000)
  h.feed()
  await h.clock.advance(4000)
  h.cancel('a')
  h.feed()
  await h.clock.advance(10_000)
  assert.equal(h.delivered(), ['b'])
  assert.is(h.named('scheduled.cancelled').length, 1)
})

test('rescheduling to a later day takes the message out of today', async () => {
  const h = createHarness({ startAt: NOON })
  await h.dispatcher.start()
  h.schedule('a', NOON + 5000)
  h.feed()
  h.schedule('a', NOON + 2 * 86_400_000)
  h.feed()
  await h.clock.advance(60_000)
  assert.equal(h.delivered(), [])
  assert.equal(h.dispatcher.status().futureDays, { '2026-01-03': 1 })
})

test('a restart in the middle of the day sends what is pending once, and nothing sent before', async () => {
  const log = createLog()
  const first = createHarness({ startAt: NOON, log })
  first.schedule('sent-before', NOON + 1000)
  first.schedule('pending', NOON + 60_000)
  await first.dispatcher.start()
  first.feed()
  await first.clock.advance(2000)
  first.echo()
  await first.dispatcher.stop()
  assert.equal(first.delivered(), ['sent-before'])
  assert.is(first.statuses.at(-1)?.state, 'stopped')

  const second = createHarness({ startAt: NOON + 2000, log })
  await second.dispatcher.start()
  second.feed()
  await second.clock.advance(120_000)
  assert.equal(second.delivered(), ['pending'])
})

test('a failed send loses nothing: the batch waits and goes out after the backoff', async () => {
  const h = createHarness({ startAt: NOON })
  await h.dispatcher.start()
  h.schedule('a', NOON + 1000)
  h.feed()
  h.producer.failing = true
  await h.clock.advance(1000)
  assert.is(h.named('scheduled.dispatch_failed').length, 1)
  assert.equal(h.delivered(), [])
  h.producer.failing = false
  await h.clock.advance(999)
  assert.equal(h.delivered(), [])
  await h.clock.advance(1)
  assert.equal(h.delivered(), ['a'])
  assert.is(h.dispatcher.status().dispatched, 1)
})

test('malformed envelopes are reported and skipped; the others still go out', async () => {
  const h = createHarness({ startAt: NOON })
  h.schedule('ok-1', NOON + 1000)
  h.raw({ key: 'bad', value: 'x', headers: { [Header.schema]: '9', [Header.type]: 'schedule' } })
  h.raw({ key: 'bad-2', value: 'x', headers: { [Header.schema]: '1', [Header.type]: 'schedule', [Header.targetAt]: String(NOON + 10) } })
  h.schedule('ok-2', NOON + 2000)
  await h.dispatcher.start()
  h.feed()
  await h.clock.advance(5000)
  assert.equal(h.delivered(), ['ok-1', 'ok-2'])
  const errors = h.rejectedErrors()
  assert.is(errors.length, 2)
  assert.ok(errors.every((e) => e instanceof InvalidEnvelopeError))
  assert.match(errors[0]!.message, /schema version 9/)
  assert.is(h.dispatcher.status().rejected, 2)
})

test('day rollover: just after midnight goes out on time, the reload is spread, and nothing is sent twice', async () => {
  const midnight = Date.UTC(2026, 0, 2)
  const h = createHarness({ startAt: midnight - 60_000, partition: 1 }) // partition 1: reload slot 37s after midnight
  h.schedule('before-midnight', midnight - 1000)
  h.schedule('just-after', midnight + 10_000)
  h.schedule('tomorrow-noon', midnight + 12 * 3_600_000)
  await h.dispatcher.start()
  h.feed()
  assert.is(h.dispatcher.status().dueToday, 2)
  assert.equal(h.dispatcher.status().futureDays, { '2026-01-02': 1 })
  await h.clock.set(midnight + 10_000)
  assert.equal(h.delivered(), ['before-midnight', 'just-after'])
  assert.is(h.named('scheduled.loading').length, 1)
  // Tombstones are deliberately not echoed: only the dispatched high-water mark stops a second send.
  await h.clock.set(midnight + 37_082)
  assert.is(h.named('scheduled.loading').length, 2)
  assert.equal(h.seeks, [0, 0])
  h.feed()
  await h.settle()
  assert.is(h.named('scheduled.day_rolled_over').length, 1)
  assert.equal(h.dispatcher.status().futureDays, {})
  assert.is(h.dispatcher.status().reloads, 1)
  await h.clock.set(midnight + 12 * 3_600_000)
  assert.equal(h.delivered(), ['before-midnight', 'just-after', 'tomorrow-noon'])
})

test('stop waits for the batch in flight and sends nothing afterwards', async () => {
  const h = createHarness({ startAt: NOON })
  await h.dispatcher.start()
  h.schedule('a', NOON + 1000)
  h.schedule('b', NOON + 2000)
  h.feed()
  await h.clock.advance(1000)
  await h.dispatcher.stop()
  await h.clock.advance(10_000)
  assert.equal(h.delivered(), ['a'])
  assert.is(h.clock.pending(), 0)
})

test.run()
