import { isCommandName, targetsOf } from './command.js'
import type { ScheduleCommand } from './command.js'
import { dueAt, isDue, nextSlot } from './due.js'
import type { TaskStates } from './due.js'
import type { RunReason, Schedule } from './schedule.js'
import { SNAPSHOT_SCHEMA_VERSION } from './snapshot.js'
import type { ScheduleSnapshot } from './snapshot.js'
import { compareVersions, isScheduleVersion } from './version.js'

/**
 * The executor's decisions as pure functions of its context: the xstate machine (executor-machine.ts)
 * only routes events to them, which keeps every rule testable without a clock or Kafka.
 */
export interface ExecutorContext {
  schedule: Schedule
  /** Process start: the baseline for tasks that never ran. */
  startedAt: number
  states: TaskStates
  inFlight: readonly string[]
  /** Latest snapshot seen while replaying (the last one wins). */
  stored: ScheduleSnapshot | null
  /** Commands seen while replaying, applied only once the replay is complete. */
  buffered: ReadonlyArray<{ command: ScheduleCommand; offset: number }>
  commandsAppliedThrough: number
}

/** What the machine asks its owner to do or report; emitted as xstate events. */
export type ExecutorEmitted =
  | { type: 'snapshot'; snapshot: ScheduleSnapshot }
  | { type: 'run'; taskId: string; reason: RunReason; startedAt: number }
  | { type: 'command.applied'; command: ScheduleCommand; offset: number; tasks: string[] }
  | { type: 'command.rejected'; command: ScheduleCommand; offset: number; reason: string }
  | { type: 'replayed'; restored: boolean; storedVersion: string | null; commandsApplied: number; at: number }
  | { type: 'incompatible'; storedVersion: string; ourVersion: string; reason: string }

export interface Step {
  context: ExecutorContext
  emitted: ExecutorEmitted[]
}

/** Why the stored state cannot be used by this process, or null when it can. */
export function incompatibility(context: ExecutorContext): string | null {
  const stored = context.stored
  if (!stored) return null
  if (stored.schemaVersion > SNAPSHOT_SCHEMA_VERSION) return `snapshot schema ${stored.schemaVersion} is newer than ${SNAPSHOT_SCHEMA_VERSION}`
  if (!isScheduleVersion(stored.scheduleVersion)) return `stored schedule version ${JSON.stringify(stored.scheduleVersion)} is unreadable`
  if (compareVersions(stored.scheduleVersion, context.schedule.version) > 0) {
    return `stored schedule version ${stored.scheduleVersion} is newer than ${context.schedule.version}`
  }
  return null
}

export function toSnapshot(context: ExecutorContext, now: number): ScheduleSnapshot {
  const tasks: ScheduleSnapshot['tasks'] = {}
  for (const task of context.schedule.tasks) {
    const state = context.states[task.id]
    if (!state) continue
    const next = state.enabled ? nextSlot(task, state, context.startedAt) : null
    tasks[task.id] = { cron: task.cron, timezone: task.timezone, previousTime: state.previousTime, nextTime: next ?? 0, enabled: state.enabled, enabledAt: state.enabledAt }
  }
  return { schemaVersion: SNAPSHOT_SCHEMA_VERSION, scheduleVersion: context.schedule.version, at: now, commandsAppliedThrough: context.commandsAppliedThrough, tasks }
}

export function applyCommand(context: ExecutorContext, command: ScheduleCommand, offset: number, now: number): Step {
  const through = Math.max(context.commandsAppliedThrough, offset)
  const reject = (reason: string): Step => ({
    context: { ...context, commandsAppliedThrough: through },
    emitted: [{ type: 'command.rejected', command, offset, reason }],
  })
  if (!isCommandName(command.name)) return reject(`unknown command ${JSON.stringify(command.name)}`)
  const tasks = targetsOf(command, context.schedule.tasks.map((t) => t.id))
  if (tasks.length === 0) return reject(`unknown task ${JSON.stringify(command.task)}`)

  const states: TaskStates = { ...context.states }
  for (const id of tasks) {
    const state = states[id]
    if (!state) continue
    if (command.name === 'trigger') states[id] = { ...state, triggered: true }
    else if (command.name === 'disable') states[id] = { ...state, enabled: false }
    else if (!state.enabled) states[id] = { ...state, enabled: true, enabledAt: now }
  }
  return { context: { ...context, states, commandsAppliedThrough: through }, emitted: [{ type: 'command.applied', command, offset, tasks }] }
}

/**
 * Starts every due task that is not already running, and writes a snapshot if anything changed. The
 * run's start time becomes its previous time before the run, so a crash mid-run cannot run the same
 * slot twice after a restart; a due task that is still busy waits for its run to finish.
 */
export function startDueTasks(context: ExecutorContext, now: number, changed: boolean): Step {
  const emitted: ExecutorEmitted[] = []
  const states: TaskStates = { ...context.states }
  const inFlight = [...context.inFlight]
  for (const task of context.schedule.tasks) {
    const state = states[task.id]
    if (!state || inFlight.includes(task.id) || !isDue(task, state, context.startedAt, now)) continue
    const reason: RunReason = state.triggered ? 'trigger' : 'cron'
    states[task.id] = { ...state, previousTime: now, triggered: false }
    inFlight.push(task.id)
    emitted.push({ type: 'run', taskId: task.id, reason, startedAt: now })
  }
  const next = { ...context, states, inFlight }
  if (changed || emitted.length > 0) emitted.push({ type: 'snapshot', snapshot: toSnapshot(next, now) })
  return { context: next, emitted }
}

/** End of replay for a compatible (or absent) stored state: restore it, apply buffered commands, snapshot. */
export function finishReplay(context: ExecutorContext, now: number): Step {
  const stored = context.stored
  let next: ExecutorContext = { ...context, states: { ...context.states }, buffered: [], stored: null }
  if (stored) {
    for (const task of context.schedule.tasks) {
      const saved = stored.tasks[task.id]
      const state = next.states[task.id]
      if (!saved || !state) continue // a task new in this version starts from its definition
      next.states[task.id] = { ...state, previousTime: saved.previousTime, enabled: saved.enabled, enabledAt: saved.enabledAt }
    }
    next.commandsAppliedThrough = Math.max(next.commandsAppliedThrough, stored.commandsAppliedThrough)
  }
  const emitted: ExecutorEmitted[] = []
  let applied = 0
  for (const { command, offset } of context.buffered) {
    if (offset <= next.commandsAppliedThrough) continue // already part of the stored state
    const step = applyCommand(next, command, offset, now)
    next = step.context
    emitted.push(...step.emitted)
    if (step.emitted.some((e) => e.type === 'command.applied')) applied += 1
  }
  emitted.push({ type: 'replayed', restored: stored !== null, storedVersion: stored?.scheduleVersion ?? null, commandsApplied: applied, at: now })
  const started = startDueTasks(next, now, true)
  return { context: started.context, emitted: [...emitted, ...started.emitted] }
}

/** A task's next due time, for reports and the CLI: null when it is disabled and not triggered. */
export function taskDueAt(context: ExecutorContext, taskId: string): number | null {
  const task = context.schedule.task(taskId)
  const state = context.states[taskId]
  return task && state ? dueAt(task, state, context.startedAt) : null
}
