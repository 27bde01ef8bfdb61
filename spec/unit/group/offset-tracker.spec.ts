import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createOffsetTracker } from '../../../lib/group/offset-tracker.js'
import { message } from '../../support/fake-kafka.js'

// Delivered messages with these offsets (value 'v<offset>').
const at = (offsets: number[]) => offsets.map((o) => message('t', 0, o))

const test = suite('group/offset-tracker')

test('commit point is the first delivered offset not acked', () => {
  const t = createOffsetTracker(10)
  assert.is(t.commitPoint(), 10, 'nothing delivered: commit point is the start')
  t.delivered(at([10, 11, 12, 13]))
  assert.is(t.commitPoint(), 10)
  t.ackOffsets([10, 11])
  assert.is(t.commitPoint(), 12)
  t.ackOffsets([12, 13])
  assert.is(t.commitPoint(), 14, 'all acked: next to read')
})

test('out-of-order acks only commit the contiguous prefix', () => {
  const t = createOffsetTracker(0)
  t.delivered(at([0, 1, 2, 3, 4, 5]))
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
  t.delivered(at([0, 1, 2]))
  assert.is(t.ackThrough(5), false)
  assert.is(t.commitPoint(), 0)
  assert.is(t.ackThrough(1), true)
  assert.is(t.commitPoint(), 2)
})

test('compacted topics: gaps in offsets are not treated as missing acks', () => {
  const t = createOffsetTracker(0)
  t.delivered(at([0, 5, 9]))
  t.ackOffsets([0, 5])
  assert.is(t.commitPoint(), 9)
  t.ackOffsets([9])
  assert.is(t.commitPoint(), 10)
})

test('redelivered offsets (at or below the highest delivered) are not recorded twice', () => {
  const t = createOffsetTracker(0)
  t.delivered(at([0, 1, 2]))
  t.delivered(at([1, 2, 3]))
  t.ackOffsets([0, 1, 2, 3])
  assert.is(t.commitPoint(), 4)
  assert.equal(t.pending(), [])
})

test('rewind forgets unacked deliveries but remembers acks ahead of the commit point', () => {
  const t = createOffsetTracker(0)
  t.delivered(at([0, 1, 2, 3, 4]))
  t.ackOffsets([0, 3])
  t.rewind()
  assert.is(t.commitPoint(), 1, 'redelivery starts at the first unacked offset')
  assert.is(t.isAckedAhead(3), true)
  assert.is(t.isAckedAhead(2), false)
  t.delivered(at([1, 2, 3, 4]))
  assert.equal(t.pending(), [1, 2, 4], '3 counts as done on redelivery')
  t.ackOffsets([1, 2, 4])
  assert.is(t.commitPoint(), 5)
  assert.is(t.isAckedAhead(3), false, 'consumed by the redelivery')
})

test('stays correct across many deliveries (internal compaction)', () => {
  const t = createOffsetTracker(0)
  for (let i = 0; i < 10_000; i += 100) {
    const batch = Array.from({ length: 100 }, (_, k) => i + k)
    t.delivered(at(batch))
    t.ackOffsets(batch.filter((o) => o !== 7777))
  }
  assert.is(t.commitPoint(), 7777)
  t.ackOffsets([7777])
  assert.is(t.commitPoint(), 10_000)
})

test('the prefetch window counts delivered messages until acked or released', () => {
  const t = createOffsetTracker(0)
  t.delivered(at([0, 1, 2, 3]))
  assert.is(t.unreleasedCount, 4)
  assert.is(t.unreleasedBytes, 8, "'v0'..'v3' are 2 bytes each")
  t.releaseOffsets([0, 1])
  assert.is(t.unreleasedCount, 2, 'continue gives flow control back')
  assert.is(t.commitPoint(), 0, '... but commits nothing')
  t.ackOffsets([1, 2])
  assert.is(t.unreleasedCount, 1, 'acking a released offset does not count it twice')
  t.ackThrough(3)
  assert.is(t.unreleasedCount, 0)
  assert.is(t.commitPoint(), 4)
})

test('rewind empties the window (the unacked messages will be fetched again)', () => {
  const t = createOffsetTracker(0)
  t.delivered(at([0, 1, 2]))
  t.rewind()
  assert.is(t.unreleasedCount, 0)
  assert.is(t.unreleasedBytes, 0)
})

test.run()

const batches = suite('group/offset-tracker: whole batches')

batches('a batch acked as delivered is matched by identity; a re-sliced one by offsets', () => {
  const t = createOffsetTracker(0)
  const first = at([0, 1, 2])
  const second = at([3, 4, 5])
  t.delivered(first)
  t.delivered(second)
  t.ackBatch(second)
  assert.is(t.commitPoint(), 0, 'the second batch done does not commit past the first')
  assert.is(t.unreleasedCount, 3)
  t.ackBatch(at([0, 1])) // not the delivered array: matched by offset
  assert.is(t.commitPoint(), 2)
  t.releaseBatch(first)
  assert.is(t.unreleasedCount, 0, 'offset 2 released')
  t.ackOffsets([2])
  assert.is(t.commitPoint(), 6)
})

batches('ackThrough splits a batch and acks whole ones before it', () => {
  const t = createOffsetTracker(10)
  t.delivered(at([10, 11]))
  t.delivered(at([12, 13, 14]))
  assert.is(t.ackThrough(12), true)
  assert.is(t.commitPoint(), 13)
  assert.equal(t.pending(), [13, 14])
  assert.is(t.unreleasedCount, 2)
})

batches.run()

const afterRewind = suite('group/offset-tracker: acks held across a worker restart')

afterRewind('an ack for messages delivered before a rewind is kept and counts when they come again', () => {
  const t = createOffsetTracker(0)
  t.delivered(at([0, 1, 2, 3]))
  t.ackOffsets([0])
  t.rewind() // the worker crashed: 1..3 will be fetched again
  assert.is(t.ackThrough(2), true, 'offset 2 was delivered (before the rewind): the ack is not refused')
  assert.is(t.ackThrough(9), false, 'never delivered')
  assert.ok(t.isAckedAhead(1) && t.isAckedAhead(2) && !t.isAckedAhead(3))
  t.delivered(at([1, 2, 3]))
  assert.equal(t.pending(), [3])
  assert.is(t.commitPoint(), 3)
})

afterRewind.run()
