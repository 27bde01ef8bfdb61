import type { OutgoingMessage } from '../kafka/client.js'
import type { RunReason } from './schedule.js'

/** One run of one task, as recorded on the logs topic (keyed by task id) and reported by events. */
export interface TaskRunRecord {
  schemaVersion: 1
  taskId: string
  scheduleVersion: string
  reason: RunReason
  /** Clock time the run started (epoch ms). */
  startedAt: number
  durationMs: number
  result: 'success' | 'failure'
  /** Present on failure: enough to read the log without the process at hand. */
  error?: { name: string; message: string; code?: string }
}

/** Turns whatever a task threw into plain data for the log. */
export function describeError(thrown: unknown): NonNullable<TaskRunRecord['error']> {
  if (thrown instanceof Error) {
    const code = (thrown as { code?: unknown }).code
    return { name: thrown.name, message: thrown.message, ...(typeof code === 'string' ? { code } : {}) }
  }
  return { name: 'NonError', message: typeof thrown === 'string' ? thrown : JSON.stringify(thrown) ?? String(thrown) }
}

export function encodeRunRecord(record: TaskRunRecord): OutgoingMessage {
  return { key: record.taskId, value: JSON.stringify(record), timestamp: record.startedAt }
}

/** Reads a logs-topic value back (for tools and specs); undefined when it is not a run record. */
export function decodeRunRecord(value: Buffer | string | null): TaskRunRecord | undefined {
  if (value === null) return undefined
  try {
    const parsed = JSON.parse(value.toString()) as Partial<TaskRunRecord>
    if (parsed.schemaVersion !== 1 || typeof parsed.taskId !== 'string' || (parsed.result !== 'success' && parsed.result !== 'failure')) return undefined
    return parsed as TaskRunRecord
  } catch {
    return undefined
  }
}
