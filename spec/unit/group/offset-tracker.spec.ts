import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createOffsetTracker } from '../../../lib/group/offset-tracker.js'

const test = suite('group/offset-tracker')

test('commit point is the first delivered offset not acked', () => {
  const t = createOffsetTracker(10)
  assert.is(t.commitPoint(), 10, 'nothing delivered: commit point is the start')
  t.delivered([10, 11, 12, 13])
  assert.is(t.commitPoint(), 10)
  t.ackOffsets([10, 11])
  assert.is(t.commitPoint(), 12)
  t.ackOffsets([12, 13])
  assert.is(t.commitPoint(), 14, 'all acked: next to read')
})

test('out-of-order acks only commit the contiguous prefix', () => {
  const t = createOffsetTracker(0)
  t.delivered([0, 1, 2, 3, 4, 5])
  t.ackOffsets([3, 4, 5])
  assert.is(t.commitPoint(), 0, 'a gap at 0..2 holds the commit')
  assert.equal(t.pending(), [0, 1, 2])
  t.ackOffsets([1])
  assert.is(t.commitPoint(), 0)
  t.ackOffsets([0])
  assert.is(t.commitPoint(), 2)
  t.ackOffsets([2])
  assert.is(t.commitPoint(), 6)
})

test('ackThrough is cumulative and refuses offsets never delivered', () => {
  const t = createOffsetTracker(0)
  t.delivered([0, 1, 2])
  assert.is(t.ackThrough(5), false)
  assert.is(t.commitPoint(), 0)
  assert.is(t.ackThrough(1), true)
  assert.is(t.commitPoint(), 2)
})

test('compacted topics: gaps in offsets are not treated as missing acks', () => {
  const t = createOffsetTracker(0)
  t.delivered([0, 5, 9])
  t.ackOffsets([0, 5])
  assert.is(t.commitPoint(), 9)
  t.ackOffsets([9])
  assert.is(t.commitPoint(), 10)
})

test('redelivered offsets (at or below the highest delivered) are not recorded twice', () => {
  const t = createOffsetTracker(0)
  t.delivered([0, 1, 2])
  t.delivered([1, 2, 3])
  t.ackOffsets([0, 1, 2, 3])
  assert.is(t.commitPoint(), 4)
  assert.equal(t.pending(), [])
})

test('rewind forgets unacked deliveries but remembers acks ahead of the commit point', () => {
  const t = createOffsetTracker(0)
  t.delivered([0, 1, 2, 3, 4])
  t.ackOffsets([0, 3])
  t.rewind()
  assert.is(t.commitPoint(), 1, 'redelivery starts at the first unacked offset')
  assert.is(t.isAckedAhead(3), true)
  assert.is(t.isAckedAhead(2), false)
  t.delivered([1, 2, 3, 4])
  assert.equal(t.pending(), [1, 2, 4], '3 counts as done on redelivery')
  t.ackOffsets([1, 2, 4])
  assert.is(t.commitPoint(), 5)
  assert.is(t.isAckedAhead(3), false, 'consumed by the redelivery')
})

test('stays correct across many deliveries (internal compaction)', () => {
  const t = createOffsetTracker(0)
  for (let i = 0; i < 10_000; i += 100) {
    const batch = Array.from({ length: 100 }, (_, k) => i + k)
    t.delivered(batch)
    t.ackOffsets(batch.filter((o) => o !== 7777))
  }
  assert.is(t.commitPoint(), 7777)
  t.ackOffsets([7777])
  assert.is(t.commitPoint(), 10_000)
})

test.run()
