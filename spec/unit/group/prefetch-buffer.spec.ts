import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createPrefetchBuffer } from '../../../lib/group/prefetch-buffer.js'
import { message } from '../../support/fake-kafka.js'

const batch = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => message('t', 0, from + i))

const test = suite('group/prefetch-buffer')

test('hands out fetched batches in order, sliced to at most max', () => {
  const b = createPrefetchBuffer()
  b.push(batch(0, 4))
  b.push(batch(5, 6))
  assert.is(b.queued, 7)
  assert.equal(b.take(3).map((m) => m.offset), [0, 1, 2])
  assert.equal(b.take(3).map((m) => m.offset), [3, 4], 'a slice never spans two fetched batches')
  assert.equal(b.take(3).map((m) => m.offset), [5, 6])
  assert.equal(b.take(3), [])
  assert.is(b.queued, 0)
})

test('a whole fetched batch that fits is handed over without copying', () => {
  const b = createPrefetchBuffer()
  const fetched = batch(0, 9)
  b.push(fetched)
  assert.is(b.take(10), fetched)
})

test('counts queued bytes, and clear drops everything', () => {
  const b = createPrefetchBuffer()
  b.push(batch(0, 2)) // 'v0','v1','v2': 2 bytes each
  assert.is(b.queuedBytes, 6)
  b.take(1)
  assert.is(b.queuedBytes, 4)
  b.clear()
  assert.is(b.queued, 0)
  assert.is(b.queuedBytes, 0)
  assert.equal(b.take(5), [])
})

test.run()
