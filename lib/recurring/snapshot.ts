/**
 * The schedule's stored state: written to the schedules topic after every change, read back at replay.
 * Times are epoch ms; 0 means "never" (previousTime) or "no further slot" (nextTime).
 */
export const SNAPSHOT_SCHEMA_VERSION = 1

export interface TaskSnapshot {
  cron: string
  timezone: string
  previousTime: number
  nextTime: number
  enabled: boolean
  /** When an enable command last switched it on (0: enabled by definition); slots before it are not caught up. */
  enabledAt: number
}

export interface ScheduleSnapshot {
  /** Layout of this payload; a process that meets a newer one cannot read it and stands aside. */
  schemaVersion: number
  /** The version of the schedule (code) that wrote it. */
  scheduleVersion: string
  /** When it was written (writer's clock). */
  at: number
  /**
   * Offset of the last command already reflected in this state (-1: none). Replay applies only
   * commands after it, so a trigger is never applied twice, whatever offset the replay started at.
   */
  commandsAppliedThrough: number
  tasks: Record<string, TaskSnapshot>
}

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0

function readTask(value: unknown): TaskSnapshot | undefined {
  if (value === null || typeof value !== 'object') return undefined
  const t = value as Record<string, unknown>
  if (typeof t.cron !== 'string' || typeof t.timezone !== 'string' || typeof t.enabled !== 'boolean') return undefined
  if (!isTime(t.previousTime) || !isTime(t.nextTime) || !isTime(t.enabledAt)) return undefined
  return { cron: t.cron, timezone: t.timezone, previousTime: t.previousTime, nextTime: t.nextTime, enabled: t.enabled, enabledAt: t.enabledAt }
}

/**
 * Reads a snapshot payload. For a newer schema only the header fields are trusted (the executor will
 * stand aside anyway); for ours every field is checked. Returns a reason string when unreadable.
 */
export function readSnapshot(payload: Record<string, unknown>): ScheduleSnapshot | string {
  const { schemaVersion, scheduleVersion, at, commandsAppliedThrough, tasks } = payload
  if (typeof schemaVersion !== 'number' || !Number.isInteger(schemaVersion) || schemaVersion < 1) return 'snapshot has no schema version'
  if (typeof scheduleVersion !== 'string') return 'snapshot has no schedule version'
  if (schemaVersion > SNAPSHOT_SCHEMA_VERSION) {
    return { schemaVersion, scheduleVersion, at: isTime(at) ? at : 0, commandsAppliedThrough: -1, tasks: {} }
  }
  if (!isTime(at)) return 'snapshot has no time'
  if (typeof commandsAppliedThrough !== 'number' || !Number.isSafeInteger(commandsAppliedThrough) || commandsAppliedThrough < -1) {
    return 'snapshot has no commandsAppliedThrough offset'
  }
  if (tasks === null || typeof tasks !== 'object') return 'snapshot has no tasks'
  const read: Record<string, TaskSnapshot> = {}
  for (const [id, value] of Object.entries(tasks)) {
    const task = readTask(value)
    if (!task) return `snapshot task ${JSON.stringify(id)} is malformed`
    read[id] = task
  }
  return { schemaVersion, scheduleVersion, at, commandsAppliedThrough, tasks: read }
}
