import type { Schedule, ScheduledTask } from './schedule.js'

/** What the executor remembers about one task between runs (and stores in snapshots). */
export interface TaskState {
  /** Start time of the last run (epoch ms); 0 = never ran. */
  previousTime: number
  enabled: boolean
  /** When an enable command last switched the task on; 0 = on by definition. */
  enabledAt: number
  /** A trigger command is pending: run once as soon as possible, even if disabled. */
  triggered: boolean
}

export type TaskStates = Record<string, TaskState>

export function initialTaskStates(schedule: Schedule): TaskStates {
  const states: TaskStates = {}
  for (const task of schedule.tasks) states[task.id] = { previousTime: 0, enabled: task.enabledByDefault, enabledAt: 0, triggered: false }
  return states
}

/**
 * The next cron slot the task is waiting for. It counts from the last run, so slots missed while the
 * process was down collapse into one catch-up run; from the process start if it never ran (there is
 * nothing to catch up); and never from before it was last enabled (slots it slept through while
 * disabled are not owed).
 */
export function nextSlot(task: ScheduledTask, state: TaskState, startedAt: number): number | null {
  const since = Math.max(state.previousTime === 0 ? startedAt : state.previousTime, state.enabledAt)
  return task.slots.nextAfter(since)
}

/** When the task should run next: now-ish if triggered, never if disabled, else its next slot. */
export function dueAt(task: ScheduledTask, state: TaskState, startedAt: number): number | null {
  if (state.triggered) return 0
  if (!state.enabled) return null
  return nextSlot(task, state, startedAt)
}

export function isDue(task: ScheduledTask, state: TaskState, startedAt: number, now: number): boolean {
  const at = dueAt(task, state, startedAt)
  return at !== null && at <= now
}

/**
 * The earliest moment any idle task falls due, so the executor can sleep exactly until then instead
 * of polling. Tasks in flight are skipped: their finish re-evaluates the schedule anyway.
 */
export function nextWakeUp(schedule: Schedule, states: TaskStates, startedAt: number, inFlight: ReadonlySet<string>): number | null {
  let earliest: number | null = null
  for (const task of schedule.tasks) {
    const state = states[task.id]
    if (!state || inFlight.has(task.id)) continue
    const at = dueAt(task, state, startedAt)
    if (at !== null && (earliest === null || at < earliest)) earliest = at
  }
  return earliest
}
