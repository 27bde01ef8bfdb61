import type { IncomingMessage, OutgoingMessage } from '../kafka/client.js'
import type { ScheduleCommand } from './command.js'
import { readSnapshot } from './snapshot.js'
import type { ScheduleSnapshot } from './snapshot.js'

/**
 * How state snapshots and commands are laid out on the schedules topic. Keys are chosen for
 * compaction: every snapshot shares `state:schedule` (compaction keeps the newest), and each command
 * kind per task has its own `command:<name>:<task>` key (the newest request of a kind survives).
 * The payload's `type` field, not the key, decides how a record is read.
 */
export const SNAPSHOT_KEY = 'state:schedule'
export const commandKey = (name: string, task: string) => `command:${name}:${task}`

/** The schedule lives in one partition so exactly one group member owns and runs it. */
export const SCHEDULE_PARTITION = 0

/** Header naming the record type, for tools that peek at the topic without parsing JSON. */
export const RECORD_TYPE_HEADER = 'troupe-recurring'

export type ScheduleRecord =
  | { kind: 'snapshot'; offset: number; snapshot: ScheduleSnapshot }
  | { kind: 'command'; offset: number; command: ScheduleCommand }
  | { kind: 'invalid'; offset: number; reason: string }

export function encodeSnapshot(snapshot: ScheduleSnapshot): OutgoingMessage {
  return {
    key: SNAPSHOT_KEY,
    value: JSON.stringify({ type: 'schedule', ...snapshot }),
    headers: { [RECORD_TYPE_HEADER]: 'schedule' },
    partition: SCHEDULE_PARTITION,
  }
}

export function encodeCommand(command: ScheduleCommand): OutgoingMessage {
  return {
    key: commandKey(command.name, command.task),
    value: JSON.stringify({ type: 'command', command }),
    headers: { [RECORD_TYPE_HEADER]: 'command' },
    partition: SCHEDULE_PARTITION,
  }
}

function readCommand(value: unknown): ScheduleCommand | string {
  if (value === null || typeof value !== 'object') return 'command record has no command'
  const c = value as Record<string, unknown>
  if (typeof c.name !== 'string' || typeof c.task !== 'string') return 'command needs a name and a task'
  return {
    name: c.name,
    task: c.task,
    requestedAt: typeof c.requestedAt === 'number' ? c.requestedAt : 0,
    requestId: typeof c.requestId === 'string' ? c.requestId : '',
  }
}

/** Reads one record of the schedules topic. Never throws: unreadable records come back as 'invalid'. */
export function decodeScheduleRecord(message: IncomingMessage): ScheduleRecord {
  const { offset } = message
  if (message.value === null) return { kind: 'invalid', offset, reason: 'tombstone' }
  let payload: unknown
  try {
    payload = JSON.parse(message.value.toString('utf8'))
  } catch {
    return { kind: 'invalid', offset, reason: 'value is not JSON' }
  }
  if (payload === null || typeof payload !== 'object') return { kind: 'invalid', offset, reason: 'value is not an object' }
  const record = payload as Record<string, unknown>
  if (record.type === 'schedule') {
    const snapshot = readSnapshot(record)
    return typeof snapshot === 'string' ? { kind: 'invalid', offset, reason: snapshot } : { kind: 'snapshot', offset, snapshot }
  }
  if (record.type === 'command') {
    const command = readCommand(record.command)
    return typeof command === 'string' ? { kind: 'invalid', offset, reason: command } : { kind: 'command', offset, command }
  }
  return { kind: 'invalid', offset, reason: `unknown record type ${JSON.stringify(record.type)}` }
}
