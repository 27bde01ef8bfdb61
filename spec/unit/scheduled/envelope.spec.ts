import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { InvalidEnvelopeError } from '../../../lib/errors.js'
import { decodeProxyRecord } from '../../../lib/scheduled/envelope.js'
import { Header } from '../../../lib/scheduled/headers.js'
import { buildCancelMessage, buildScheduleMessage, buildTombstone } from '../../../lib/scheduled/messages.js'
import { DEFAULT_LIMITS } from '../../../lib/scheduled/validation.js'
import { asIncoming, text } from './support.js'

const test = suite('scheduled/envelope')
const NOW = Date.UTC(2026, 0, 1, 12)
const schedule = () => buildScheduleMessage({ id: 'm1', targetTopic: 'orders', targetKey: 'k', after: '1h', value: 'v', headers: { a: 'b' } }, NOW, DEFAULT_LIMITS).message
const withHeaders = (changes: Record<string, string | undefined>) => {
  const m = schedule()
  return { ...m, headers: { ...m.headers, ...changes } }
}
const reject = (decoded: ReturnType<typeof decodeProxyRecord>, pattern: RegExp) => {
  assert.is(decoded.ok, false)
  if (decoded.ok) return
  assert.instance(decoded.error, InvalidEnvelopeError)
  assert.match(decoded.error.message, pattern)
}

test('a built schedule reads back with target, due time and only the user headers', () => {
  const decoded = decodeProxyRecord(asIncoming(schedule(), 5, NOW), DEFAULT_LIMITS)
  assert.ok(decoded.ok)
  if (!decoded.ok || decoded.record.kind !== 'schedule') return assert.unreachable()
  const r = decoded.record
  assert.equal([r.id, r.offset, r.due, r.target.topic, r.target.partition, text(r.target.key)], ['m1', 5, NOW + 3_600_000, 'orders', -1, 'k'])
  assert.equal(Object.keys(r.headers ?? {}), ['a'])
})

test('null values delete: cancel, tombstone with its source offset, a bare null is a cancel', () => {
  const cancel = decodeProxyRecord(asIncoming(buildCancelMessage('m1'), 6, NOW), DEFAULT_LIMITS)
  assert.equal(cancel.ok && cancel.record, { kind: 'cancel', id: 'm1', offset: 6 })
  const tomb = decodeProxyRecord(asIncoming(buildTombstone({ topic: 'p', partition: 0, offset: 5, id: 'm1' }), 7, NOW), DEFAULT_LIMITS)
  assert.equal(tomb.ok && tomb.record, { kind: 'tombstone', id: 'm1', offset: 7, sourceOffset: 5 })
  const bare = decodeProxyRecord(asIncoming({ key: 'm1', value: null }, 8, NOW), DEFAULT_LIMITS)
  assert.equal(bare.ok && bare.record.kind, 'cancel')
})

test('malformed envelopes come back as errors, never as throws', () => {
  reject(decodeProxyRecord(asIncoming({ ...schedule(), key: null }, 1, NOW), DEFAULT_LIMITS), /no key/)
  reject(decodeProxyRecord(asIncoming(withHeaders({ [Header.schema]: '2' }), 1, NOW), DEFAULT_LIMITS), /unknown envelope schema version 2/)
  reject(decodeProxyRecord(asIncoming(withHeaders({ [Header.schema]: undefined }), 1, NOW), DEFAULT_LIMITS), /no valid schema version/)
  reject(decodeProxyRecord(asIncoming(withHeaders({ [Header.targetTopic]: undefined }), 1, NOW), DEFAULT_LIMITS), /target topic is required/)
  reject(decodeProxyRecord(asIncoming(withHeaders({ [Header.targetAt]: 'soon' }), 1, NOW), DEFAULT_LIMITS), /integer epoch/)
  reject(decodeProxyRecord(asIncoming(withHeaders({ [Header.type]: 'cancel' }), 1, NOW), DEFAULT_LIMITS), /must have type 'schedule'/)
  reject(decodeProxyRecord(asIncoming(withHeaders({ [Header.targetPartition]: 'x' }), 1, NOW), DEFAULT_LIMITS), /non-negative integer/)
  reject(decodeProxyRecord(asIncoming({ key: 'raw', value: 'no headers at all' }, 1, NOW), DEFAULT_LIMITS), /schema version/)
})

test('due times are judged against when the record was written, not when it is read', () => {
  const due = NOW + 3_600_000
  // Read a week later (a long outage): still valid, it is simply overdue.
  assert.ok(decodeProxyRecord(asIncoming(schedule(), 1, NOW), DEFAULT_LIMITS).ok)
  // Written (broker timestamp) two hours after its due time: rejected as in the past.
  reject(decodeProxyRecord(asIncoming(schedule(), 1, due + 7_200_000), DEFAULT_LIMITS), /in the past/)
  reject(decodeProxyRecord(asIncoming(withHeaders({ [Header.targetAt]: String(NOW * 1000) }), 1, NOW), DEFAULT_LIMITS), /ahead/)
})

test.run()
