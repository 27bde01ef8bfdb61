import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { IncomingMessage, OutgoingMessage } from '../../../lib/kafka/client.js'
import { decodeScheduleRecord, encodeCommand, encodeSnapshot, SNAPSHOT_KEY } from '../../../lib/recurring/records.js'
import { decodeRunRecord, describeError, encodeRunRecord } from '../../../lib/recurring/run-log.js'
import { SNAPSHOT_SCHEMA_VERSION } from '../../../lib/recurring/snapshot.js'
import type { ScheduleSnapshot } from '../../../lib/recurring/snapshot.js'
import { command, T0 } from './support.js'

const test = suite('recurring/records on the schedules and logs topics')

const received = (out: OutgoingMessage, offset: number): IncomingMessage => {
  const value = out.value === null ? null : Buffer.from(out.value)
  return { topic: 't', partition: 0, offset, key: out.key ? Buffer.from(out.key) : null, value, headers: {}, timestamp: 0, size: 0 }
}
const raw = (value: string | null, offset = 3) => received({ key: 'k', value }, offset)

const snapshot: ScheduleSnapshot = {
  schemaVersion: SNAPSHOT_SCHEMA_VERSION,
  scheduleVersion: '1.10',
  at: T0,
  commandsAppliedThrough: 7,
  tasks: { report: { cron: '0 * * * *', timezone: 'UTC', previousTime: T0 - 1000, nextTime: T0 + 1000, enabled: false, enabledAt: 0 } },
}

test('snapshots: compaction key state:schedule, partition 0, round trip', () => {
  const out = encodeSnapshot(snapshot)
  assert.is(out.key, SNAPSHOT_KEY)
  assert.is(out.key, 'state:schedule')
  assert.is(out.partition, 0)
  assert.equal(decodeScheduleRecord(received(out, 12)), { kind: 'snapshot', offset: 12, snapshot })
})

test('commands: key command:<name>:<task>, round trip keeps unknown names for the executor to reject', () => {
  const out = encodeCommand(command('trigger', 'report', 'req-1'))
  assert.is(out.key, 'command:trigger:report')
  assert.is(out.partition, 0)
  assert.equal(decodeScheduleRecord(received(out, 4)), { kind: 'command', offset: 4, command: command('trigger', 'report', 'req-1') })
  const odd = decodeScheduleRecord(received(encodeCommand(command('explode', '*')), 5))
  assert.is(odd.kind, 'command')
  assert.is(odd.kind === 'command' && odd.command.name, 'explode')
})

test('unreadable records come back as invalid with a reason, never throw', () => {
  assert.equal(decodeScheduleRecord(raw(null)), { kind: 'invalid', offset: 3, reason: 'tombstone' })
  assert.is(decodeScheduleRecord(raw('{nope')).kind, 'invalid')
  assert.is(decodeScheduleRecord(raw('42')).kind, 'invalid')
  assert.is(decodeScheduleRecord(raw('{"type":"other"}')).kind, 'invalid')
  assert.is(decodeScheduleRecord(raw('{"type":"command","command":{"name":"trigger"}}')).kind, 'invalid')
  const broken = { ...snapshot, tasks: { report: { cron: '* * * * *' } } }
  const decoded = decodeScheduleRecord(raw(JSON.stringify({ type: 'schedule', ...broken })))
  assert.is(decoded.kind, 'invalid')
  assert.match(decoded.kind === 'invalid' ? decoded.reason : '', 'report')
})

test('a snapshot of a newer schema is read for its header only (the executor stands aside)', () => {
  const decoded = decodeScheduleRecord(raw(JSON.stringify({ type: 'schedule', schemaVersion: 99, scheduleVersion: '1', layout: 'future' })))
  assert.is(decoded.kind, 'snapshot')
  assert.is(decoded.kind === 'snapshot' && decoded.snapshot.schemaVersion, 99)
})

test('run records: keyed by task id, timestamped at the start, errors as plain data', () => {
  const error = describeError(Object.assign(new TypeError('boom'), { code: 'E_BOOM' }))
  assert.equal(error, { name: 'TypeError', message: 'boom', code: 'E_BOOM' })
  assert.equal(describeError('plain'), { name: 'NonError', message: 'plain' })
  const record = { schemaVersion: 1 as const, taskId: 'report', scheduleVersion: '1', reason: 'cron' as const, startedAt: T0, durationMs: 5, result: 'failure' as const, error }
  const out = encodeRunRecord(record)
  assert.is(out.key, 'report')
  assert.is(out.timestamp, T0)
  assert.equal(decodeRunRecord(out.value), record)
  assert.is(decodeRunRecord('{"x":1}'), undefined)
})

test.run()
