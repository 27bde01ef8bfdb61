import { ConfigError, DuplicateTaskError } from '../errors.js'
import { createCronSlots, DEFAULT_TIMEZONE } from './cron.js'
import type { CronSlots } from './cron.js'
import { assertScheduleVersion } from './version.js'

/** What a task's function is told about the run it is doing. */
export interface TaskRunContext {
  taskId: string
  /** Clock time (epoch ms) at which the executor decided to run it. */
  startedAt: number
  /** 'cron' for a due slot, 'trigger' for a trigger command. */
  reason: RunReason
  /** Aborted when the owning process stops outright; a graceful stop lets the run finish. */
  signal: AbortSignal
}

export type RunReason = 'cron' | 'trigger'

export interface TaskDefinition {
  /** Unique within the schedule; letters, digits, '.', '_' and '-' (it appears in keys and on the command line). */
  id: string
  /** Cron expression: 5 fields, or 6 with seconds first; nicknames such as '@hourly' work. */
  cron: string
  /** IANA timezone the expression is read in. Default 'UTC'. */
  timezone?: string
  /** Whether the task runs on its slots before any enable/disable command. Default true. */
  enabled?: boolean
  run(context: TaskRunContext): unknown
}

export interface ScheduleDefinition {
  /** Dotted numbers ('1', '1.2'). Bump it when tasks change meaning: older processes then stand aside. */
  version: string
  tasks: TaskDefinition[]
}

export interface ScheduledTask {
  readonly id: string
  readonly cron: string
  readonly timezone: string
  readonly enabledByDefault: boolean
  readonly slots: CronSlots
  readonly run: (context: TaskRunContext) => unknown
}

export interface Schedule {
  readonly version: string
  readonly tasks: readonly ScheduledTask[]
  task(id: string): ScheduledTask | undefined
}

const TASK_ID = /^[A-Za-z0-9_.-]+$/

/**
 * Checks a schedule once, at definition: a bad version, id, cron expression or timezone, a duplicate
 * id or a missing function is an error here rather than a surprise at the first slot.
 */
export function defineSchedule(definition: ScheduleDefinition): Schedule {
  if (definition === null || typeof definition !== 'object') throw new ConfigError('defineSchedule expects { version, tasks }')
  const version = assertScheduleVersion(definition.version)
  if (!Array.isArray(definition.tasks)) throw new ConfigError('schedule tasks must be an array', { version })

  const byId = new Map<string, ScheduledTask>()
  for (const task of definition.tasks) {
    const id: unknown = task?.id
    if (typeof id !== 'string' || !TASK_ID.test(id)) {
      throw new ConfigError(`task id must be letters, digits, '.', '_' or '-', got ${JSON.stringify(id)}`, { taskId: id })
    }
    if (byId.has(id)) throw new DuplicateTaskError(id)
    if (typeof task.run !== 'function') throw new ConfigError(`task ${JSON.stringify(id)} has no run function`, { taskId: id })
    if (task.enabled !== undefined && typeof task.enabled !== 'boolean') {
      throw new ConfigError(`task ${JSON.stringify(id)}: enabled must be a boolean`, { taskId: id })
    }
    const timezone = task.timezone ?? DEFAULT_TIMEZONE
    const slots = createCronSlots(task.cron, timezone, { taskId: id })
    byId.set(id, Object.freeze({ id, cron: task.cron, timezone, enabledByDefault: task.enabled ?? true, slots, run: task.run }))
  }

  const tasks = Object.freeze([...byId.values()])
  return Object.freeze({ version, tasks, task: (id: string) => byId.get(id) })
}
