import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { DAY_MS } from '../../../lib/scheduled/day.js'
import type { ProxyRecord } from '../../../lib/scheduled/envelope.js'
import { createScheduleBook } from '../../../lib/scheduled/schedule-book.js'

const test = suite('scheduled/schedule-book')
const DAY = Date.UTC(2026, 0, 1)
const HORIZON = DAY + DAY_MS
const schedule = (id: string, due: number, offset: number): ProxyRecord => ({
  kind: 'schedule', id, due, offset, target: { topic: 't', partition: -1, key: null }, value: Buffer.from(id), headers: undefined,
})

test('today goes to the buffer, later days are only counted per day', () => {
  const book = createScheduleBook(HORIZON)
  assert.is(book.apply(schedule('a', DAY + 1000, 0)), 'buffered')
  assert.is(book.apply(schedule('b', DAY + DAY_MS + 5, 1)), 'deferred')
  assert.is(book.apply(schedule('c', DAY + 3 * DAY_MS, 2)), 'deferred')
  assert.is(book.apply(schedule('d', DAY + DAY_MS + 9, 3)), 'deferred')
  assert.is(book.buffer.size, 1)
  assert.equal(book.futureDays(), { '2026-01-02': 2, '2026-01-04': 1 })
})

test('rescheduling a buffered id to a later day takes it out of today; back to today takes it out of the counts', () => {
  const book = createScheduleBook(HORIZON)
  book.apply(schedule('a', DAY + 1000, 0))
  book.apply(schedule('a', DAY + 2 * DAY_MS, 1))
  assert.is(book.buffer.size, 0)
  assert.equal(book.futureDays(), { '2026-01-03': 1 })
  book.apply(schedule('a', DAY + 2000, 2))
  assert.is(book.buffer.get('a')?.due, DAY + 2000)
  assert.equal(book.futureDays(), {})
})

test('cancel removes from today and from the future counts', () => {
  const book = createScheduleBook(HORIZON)
  book.apply(schedule('a', DAY + 1000, 0))
  book.apply(schedule('b', DAY + 2 * DAY_MS, 1))
  assert.is(book.apply({ kind: 'cancel', id: 'a', offset: 2 }), 'cancelled')
  assert.is(book.apply({ kind: 'cancel', id: 'b', offset: 3 }), 'cancelled')
  assert.is(book.apply({ kind: 'cancel', id: 'zzz', offset: 4 }), 'noop')
  assert.is(book.buffer.size + book.futureCount(), 0)
})

test('a delivery tombstone removes only the record it was written for, not a newer schedule of the same id', () => {
  const book = createScheduleBook(HORIZON)
  book.apply(schedule('a', DAY + 1000, 0))
  book.apply(schedule('a', DAY + 9000, 1)) // rescheduled while offset 0 was being delivered
  assert.is(book.apply({ kind: 'tombstone', id: 'a', offset: 2, sourceOffset: 0 }), 'noop')
  assert.is(book.buffer.get('a')?.offset, 1)
  assert.is(book.apply({ kind: 'tombstone', id: 'a', offset: 3, sourceOffset: 1 }), 'tombstoned')
  assert.is(book.buffer.size, 0)
})

test('after a reset, records under the dispatched mark are known to have gone out', () => {
  const book = createScheduleBook(HORIZON)
  book.reset(HORIZON, { due: DAY + 5000, readOffset: 10 }, 1000)
  assert.is(book.apply(schedule('old', DAY + 4000, 3)), 'already-dispatched')
  assert.is(book.apply(schedule('grace', DAY + 4500, 4)), 'buffered') // inside the grace: sent again rather than lost
  assert.is(book.apply(schedule('late-written', DAY + 1000, 11)), 'buffered') // read after the mark was taken
  assert.is(book.buffer.size, 2)
})

test.run()
