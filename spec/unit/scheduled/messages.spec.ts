import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { InvalidEnvelopeError } from '../../../lib/errors.js'
import { Header } from '../../../lib/scheduled/headers.js'
import { buildCancelMessage, buildScheduleMessage, buildTargetMessage, buildTombstone, type ScheduleRequest } from '../../../lib/scheduled/messages.js'
import { DEFAULT_LIMITS } from '../../../lib/scheduled/validation.js'
import { text } from './support.js'

const test = suite('scheduled/messages')
const NOW = Date.UTC(2026, 0, 1, 12)
const base: ScheduleRequest = { targetTopic: 'orders', after: '10m', value: 'hello' }
const build = (r: Partial<ScheduleRequest>) => buildScheduleMessage({ ...base, ...r } as ScheduleRequest, NOW, DEFAULT_LIMITS, () => 'gen-id')

const rejected = (r: Partial<ScheduleRequest>, pattern: RegExp) => {
  try {
    build(r)
  } catch (e) {
    assert.instance(e, InvalidEnvelopeError)
    assert.match((e as Error).message, pattern)
    return
  }
  assert.unreachable(`accepted ${JSON.stringify(r)}`)
}

test('a schedule carries the envelope in headers and the user value untouched', () => {
  const built = build({ targetKey: 'k1', targetPartition: 2, headers: { trace: 'abc' } })
  assert.is(built.id, 'gen-id')
  assert.is(built.due, NOW + 600_000)
  const h = built.message.headers ?? {}
  assert.is(built.message.key, 'gen-id')
  assert.is(built.message.value, 'hello')
  assert.is(h[Header.schema], '1')
  assert.is(h[Header.type], 'schedule')
  assert.is(h[Header.targetAt], String(NOW + 600_000))
  assert.is(h[Header.targetTopic], 'orders')
  assert.is(h[Header.targetPartition], '2')
  assert.is(h[Header.targetKey], 'k1')
  assert.is(h.trace, 'abc')
  assert.is(built.message.partition, undefined) // the id's hash picks the proxy partition, so cancel lands there too
})

test('a user-given id is the key; `at` accepts a Date and epoch ms', () => {
  assert.is(build({ id: 'order-42', after: undefined, at: new Date(NOW + 5000) }).message.key, 'order-42')
  assert.is(build({ after: undefined, at: NOW + 5000 }).due, NOW + 5000)
})

test('invalid requests are rejected with a clear InvalidEnvelopeError', () => {
  rejected({ targetTopic: '' }, /target topic is required/)
  rejected({ targetTopic: undefined as unknown as string }, /target topic is required/)
  rejected({ at: NOW + 1000 }, /exactly one of `at` and `after`/)
  rejected({ after: undefined }, /exactly one of `at` and `after`/)
  rejected({ after: undefined, at: NOW - 61_000 }, /in the past beyond the tolerance/)
  rejected({ after: undefined, at: Math.floor(NOW / 1000) }, /looks like seconds/)
  rejected({ after: undefined, at: NOW * 1000 }, /ahead \(microseconds/)
  rejected({ headers: { 'troupe.type': 'x' } }, /reserved prefix/)
  rejected({ value: null as unknown as string }, /null is not schedulable/)
  rejected({ targetPartition: -1 }, /non-negative integer/)
  rejected({ id: '' }, /non-empty string/)
})

test('a due time slightly in the past (within the tolerance) is accepted and goes out at once', () => {
  assert.is(build({ after: undefined, at: NOW - 30_000 }).due, NOW - 30_000)
})

test('cancel is the same key with a null value; tombstone names its partition and source offset', () => {
  const cancel = buildCancelMessage('order-42')
  assert.is(cancel.key, 'order-42')
  assert.is(cancel.value, null)
  assert.is(cancel.headers?.[Header.type], 'cancel')
  const tomb = buildTombstone({ topic: 'proxy', partition: 3, offset: 17, id: 'order-42' })
  assert.is(tomb.partition, 3)
  assert.is(tomb.value, null)
  assert.is(tomb.headers?.[Header.sourceOffset], '17')
  assert.is(tomb.headers?.[Header.type], 'tombstone')
  assert.throws(() => buildCancelMessage(''), (e: unknown) => e instanceof InvalidEnvelopeError)
})

test('the target message keeps key, value and user headers, and adds trace headers', () => {
  const out = buildTargetMessage(
    { topic: 'orders', partition: -1, key: Buffer.from('k1') },
    Buffer.from('v'),
    { trace: Buffer.from('abc') },
    { topic: 'proxy', partition: 1, offset: 9, id: 'm1' },
  )
  assert.is(text(out.key as Buffer), 'k1')
  assert.is(text(out.value), 'v')
  assert.is(out.partition, undefined)
  const h = out.headers ?? {}
  assert.is(text(h.trace as Buffer), 'abc')
  assert.equal([h[Header.sourceTopic], h[Header.sourcePartition], h[Header.sourceOffset], h[Header.sourceKey]], ['proxy', '1', '9', 'm1'])
  assert.not.ok(Object.keys(h).some((k) => k === Header.targetTopic || k === Header.targetAt))
})

test.run()
