import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createLoadProgress } from '../../../lib/scheduled/load-tracker.js'

const test = suite('scheduled/load-tracker')
const T = 1_000_000

test('an empty partition is loaded at once', () => {
  assert.ok(createLoadProgress({ startedAt: T, low: 7, high: 7 }).complete)
})

test('loading completes when the record before the start watermark is read', () => {
  const p = createLoadProgress({ startedAt: T, low: 0, high: 3 })
  assert.not.ok(p.observe(0, T - 10, T))
  assert.not.ok(p.observe(1, T + 10, T + 20)) // written after the start, but the default waits for the watermark
  assert.ok(p.observe(2, T - 5, T))
  assert.ok(p.complete)
  assert.is(p.records, 3)
  assert.is(p.readOffset, 2)
})

test('a compacted gap is fine: any offset at or past the watermark completes', () => {
  const p = createLoadProgress({ startedAt: T, low: 0, high: 100 })
  assert.ok(p.observe(150, T, T))
})

test('opt-in: a record written after the load began completes it, but a timestamp from the future never does', () => {
  const p = createLoadProgress({ startedAt: T, low: 0, high: 100, completion: 'watermark-or-timestamp' })
  assert.not.ok(p.observe(0, T + 60_000, T + 5)) // a producer clock running ahead is not evidence
  assert.not.ok(p.observe(1, T - 1, T + 5))
  assert.ok(p.observe(2, T + 3, T + 5))
})

test.run()
