import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createPrefetchBuffer } from '../../../lib/group/prefetch-buffer.js'
import type { Message } from '../../../lib/group/handler.js'

const msg = (offset: number, size = 10): Message => ({
  topic: 't', partition: 0, offset, key: null, value: Buffer.alloc(size), headers: {}, timestamp: 0, size,
})

const test = suite('group/prefetch-buffer')

test('messages count against the window from fetch until release', () => {
  const b = createPrefetchBuffer({ prefetchCount: 5, prefetchBytes: 1000 })
  b.push([0, 1, 2].map((o) => msg(o)))
  assert.is(b.count, 3)
  assert.is(b.queued, 3)
  const taken = b.take(2)
  assert.equal(taken.map((m) => m.offset), [0, 1])
  assert.is(b.queued, 1)
  assert.is(b.count, 3, 'taken but unreleased still counts')
  b.release([0])
  assert.is(b.count, 2)
  assert.is(b.bytes, 20)
})

test('full by count and by bytes', () => {
  const byCount = createPrefetchBuffer({ prefetchCount: 3, prefetchBytes: 1_000_000 })
  byCount.push([0, 1].map((o) => msg(o)))
  assert.is(byCount.isFull(), false)
  byCount.push([msg(2)])
  assert.is(byCount.isFull(), true)
  const byBytes = createPrefetchBuffer({ prefetchCount: 1000, prefetchBytes: 100 })
  byBytes.push([msg(0, 60)])
  assert.is(byBytes.isFull(), false)
  byBytes.push([msg(1, 60)])
  assert.is(byBytes.isFull(), true)
  byBytes.take(2)
  byBytes.releaseThrough(0)
  assert.is(byBytes.isFull(), false, 'releasing frees the window')
})

test('releaseThrough releases held offsets up to and including the offset only', () => {
  const b = createPrefetchBuffer({ prefetchCount: 100, prefetchBytes: 1e9 })
  b.push([0, 1, 2, 3].map((o) => msg(o)))
  b.take(4)
  b.releaseThrough(2)
  assert.is(b.count, 1)
  b.release([3, 99])
  assert.is(b.count, 0)
})

test('clear drops queued and held messages', () => {
  const b = createPrefetchBuffer({ prefetchCount: 100, prefetchBytes: 1e9 })
  b.push([0, 1, 2].map((o) => msg(o)))
  b.take(1)
  b.clear()
  assert.is(b.count, 0)
  assert.is(b.bytes, 0)
  assert.is(b.queued, 0)
  assert.is(b.lastPushedOffset, undefined)
})

test.run()
