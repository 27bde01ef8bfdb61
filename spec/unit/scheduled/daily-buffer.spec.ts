import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createDailyBuffer } from '../../../lib/scheduled/daily-buffer.js'
import { buffered } from './support.js'

const test = suite('scheduled/daily-buffer')
const ids = (list: Array<{ id: string }>) => list.map((m) => m.id)

test('messages come out by due time, then by offset', () => {
  const b = createDailyBuffer()
  b.upsert(buffered('c', 300, 1))
  b.upsert(buffered('b', 200, 9))
  b.upsert(buffered('a', 200, 4))
  b.upsert(buffered('d', 100, 7))
  assert.is(b.nextDue(), 100)
  assert.equal(ids(b.takeDue(250, 10)), ['d', 'a', 'b'])
  assert.equal(ids(b.takeDue(1000, 10)), ['c'])
})

test('the same id again replaces the earlier message (last write wins); remove cancels', () => {
  const b = createDailyBuffer()
  b.upsert(buffered('a', 100, 1))
  b.upsert(buffered('a', 500, 2))
  b.upsert(buffered('b', 200, 3))
  assert.is(b.size, 2)
  assert.is(b.nextDue(), 200)
  assert.ok(b.remove('b'))
  assert.is(b.remove('b'), undefined)
  assert.equal(b.takeDue(1000, 10).map((m) => [m.id, m.offset]), [['a', 2]])
})

test('taken messages stay in the buffer until delivered; a failed send puts them back in order', () => {
  const b = createDailyBuffer()
  b.upsert(buffered('a', 100, 1))
  b.upsert(buffered('b', 150, 2))
  const taken = b.takeDue(200, 1)
  assert.equal(ids(taken), ['a'])
  assert.is(b.size, 2)
  assert.is(b.nextDue(), 150)
  b.requeue(taken[0]!)
  assert.equal(ids(b.takeDue(200, 10)), ['a', 'b'])
})

test('a message replaced while in flight survives the delivery of the old one', () => {
  const b = createDailyBuffer()
  const old = buffered('a', 100, 1)
  b.upsert(old)
  b.takeDue(100, 10)
  b.upsert(buffered('a', 900, 5))
  b.delivered(old)
  assert.is(b.size, 1)
  assert.is(b.get('a')?.offset, 5)
  b.requeue(old) // too late to matter: the newer one is current
  assert.equal(b.takeDue(10_000, 10).map((m) => m.offset), [5])
})

test('bulk loading orders everything once and agrees with a sorted reference under heavy churn', () => {
  const b = createDailyBuffer()
  const reference = new Map<string, { due: number; offset: number }>()
  let seed = 42
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n)
  b.beginBulk()
  for (let offset = 0; offset < 20_000; offset++) {
    const id = `m${rand(5000)}`
    if (rand(4) === 0) {
      b.remove(id)
      reference.delete(id)
    } else {
      const due = rand(100_000)
      b.upsert(buffered(id, due, offset))
      reference.set(id, { due, offset })
    }
    if (offset === 10_000) b.endBulk() // the rest arrive live
  }
  const expected = [...reference].sort((x, y) => x[1].due - y[1].due || x[1].offset - y[1].offset).map(([id]) => id)
  assert.equal(ids(b.takeDue(Infinity, Infinity)), expected)
})

test.run()
