import { createActor } from 'xstate'
import { IncompatibleScheduleError, UnknownCommandError } from '../errors.js'
import { Events } from '../instrumentation/events.js'
import { silentInstrumentation } from '../instrumentation/instrumentation.js'
import type { Instrumentation } from '../instrumentation/instrumentation.js'
import { systemClock } from '../time/clock.js'
import type { Clock, TimerHandle } from '../time/clock.js'
import type { ScheduleCommand } from './command.js'
import { nextWakeUp } from './due.js'
import type { TaskStates } from './due.js'
import { executorMachine } from './executor-machine.js'
import type { ExecutorStateName } from './executor-machine.js'
import type { TaskRunRecord } from './run-log.js'
import type { Schedule } from './schedule.js'
import type { ScheduleSnapshot } from './snapshot.js'
import { createTaskRunner } from './task-runner.js'

/** Where the executor's durable outputs go (the schedules and logs topics, or a fake in specs). */
export interface ExecutorSinks {
  writeSnapshot(snapshot: ScheduleSnapshot): Promise<unknown>
  writeRunRecord(record: TaskRunRecord): Promise<unknown>
}

export interface ScheduleExecutorOptions {
  schedule: Schedule
  sinks: ExecutorSinks
  clock?: Clock
  instrumentation?: Instrumentation
  /** Baseline for tasks that never ran; default: the clock's now when the executor is created. */
  startedAt?: number
}

/** One ownership of the schedule: fed the partition's records, it replays, then runs tasks on time. */
export interface ScheduleExecutor {
  loadSnapshot(snapshot: ScheduleSnapshot, offset: number): void
  command(command: ScheduleCommand, offset: number): void
  /** The replay reached the end of the partition. */
  replayDone(): void
  state(): ExecutorStateName | 'stopped'
  taskStates(): Readonly<TaskStates>
  /** When the next timer fires (epoch ms), or null when nothing is waiting. */
  nextWakeUp(): number | null
  /** Stops scheduling at once; resolves when in-flight runs finished and pending writes settled. */
  stop(): Promise<void>
}

/** setTimeout overflows past ~24.8 days; a long sleep is cut into checks that simply find nothing due. */
const LONGEST_SLEEP_MS = 60 * 60 * 1000

export function createScheduleExecutor(options: ScheduleExecutorOptions): ScheduleExecutor {
  const { schedule, sinks } = options
  const clock = options.clock ?? systemClock
  const instrumentation = options.instrumentation ?? silentInstrumentation
  const runner = createTaskRunner({ clock, scheduleVersion: schedule.version })
  const actor = createActor(executorMachine, { input: { schedule, startedAt: options.startedAt ?? clock.now() }, clock })
  let stopped = false
  let timer: TimerHandle | undefined
  let wakeAt: number | null = null
  let writes: Promise<unknown> = Promise.resolve()
  const pendingRecords = new Set<Promise<unknown>>()

  const report = (error: unknown, type: string, extra: Record<string, unknown> = {}) =>
    instrumentation.emit(Events.ERROR, { error, type, scheduleVersion: schedule.version, ...extra })

  // Snapshots are written one after another so the topic holds them in the order they were taken.
  // One taken before a stop is still written: it may record a run that already started.
  const writeSnapshot = (snapshot: ScheduleSnapshot) => {
    writes = writes.then(async () => {
      try {
        await sinks.writeSnapshot(snapshot)
        instrumentation.emit(Events.SCHEDULE_SNAPSHOT, { scheduleVersion: snapshot.scheduleVersion, at: snapshot.at, commandsAppliedThrough: snapshot.commandsAppliedThrough })
      } catch (error) {
        report(error, 'recurring.snapshot_write')
      }
    })
  }

  const recordRun = async (record: TaskRunRecord) => {
    const payload = { taskId: record.taskId, reason: record.reason, startedAt: record.startedAt, durationMs: record.durationMs }
    if (record.result === 'success') instrumentation.emit(Events.TASK_FINISHED, payload)
    else instrumentation.emit(Events.TASK_FAILED, { ...payload, error: record.error })
    try {
      await sinks.writeRunRecord(record)
    } catch (error) {
      report(error, 'recurring.run_log_write', { taskId: record.taskId })
    }
  }

  const startRun = (taskId: string, reason: 'cron' | 'trigger', startedAt: number) => {
    const task = schedule.task(taskId)
    const run = task && runner.start(task, reason, startedAt)
    if (!run) return
    instrumentation.emit(Events.TASK_STARTED, { taskId, reason, startedAt })
    const done = run.then(async (record) => {
      await recordRun(record)
      if (!stopped) actor.send({ type: 'RUN_FINISHED', taskId, now: clock.now() })
    })
    pendingRecords.add(done)
    void done.finally(() => pendingRecords.delete(done))
  }

  actor.on('run', (e) => startRun(e.taskId, e.reason, e.startedAt))
  actor.on('snapshot', (e) => writeSnapshot(e.snapshot))
  actor.on('command.applied', (e) =>
    instrumentation.emit(Events.COMMAND_APPLIED, { command: e.command.name, task: e.command.task, tasks: e.tasks, offset: e.offset, requestId: e.command.requestId }),
  )
  actor.on('command.rejected', (e) =>
    instrumentation.emit(Events.COMMAND_REJECTED, {
      command: e.command.name, task: e.command.task, offset: e.offset, requestId: e.command.requestId, reason: e.reason,
      error: new UnknownCommandError(e.command.name, { task: e.command.task, offset: e.offset, reason: e.reason }),
    }),
  )
  actor.on('replayed', (e) =>
    instrumentation.emit(Events.SCHEDULE_REPLAYED, { scheduleVersion: schedule.version, restored: e.restored, storedVersion: e.storedVersion, commandsApplied: e.commandsApplied }),
  )
  actor.on('incompatible', (e) =>
    instrumentation.emit(Events.SCHEDULE_INCOMPATIBLE, {
      storedVersion: e.storedVersion, ourVersion: e.ourVersion, reason: e.reason,
      error: new IncompatibleScheduleError({ storedVersion: e.storedVersion, ourVersion: e.ourVersion, reason: e.reason }),
    }),
  )

  // One timer, set for the exact moment the earliest task falls due: no polling, no drift.
  const rearm = () => {
    if (timer !== undefined) clock.clearTimeout(timer)
    timer = undefined
    wakeAt = null
    if (stopped || !actor.getSnapshot().matches('running')) return
    const context = actor.getSnapshot().context
    const at = nextWakeUp(schedule, context.states, context.startedAt, new Set(context.inFlight))
    if (at === null) return
    wakeAt = at
    timer = clock.setTimeout(() => {
      timer = undefined
      if (!stopped) actor.send({ type: 'TICK', now: clock.now() })
    }, Math.min(Math.max(0, at - clock.now()), LONGEST_SLEEP_MS))
  }
  actor.subscribe(() => rearm())
  actor.start()

  const send = (event: Parameters<typeof actor.send>[0]) => {
    if (!stopped) actor.send(event)
  }

  return {
    loadSnapshot: (snapshot, offset) => send({ type: 'STATE_LOADED', snapshot, offset }),
    command: (command, offset) => send({ type: 'COMMAND', command, offset, now: clock.now() }),
    replayDone: () => send({ type: 'REPLAY_DONE', now: clock.now() }),
    state: () => (stopped ? 'stopped' : (actor.getSnapshot().value as ExecutorStateName)),
    taskStates: () => actor.getSnapshot().context.states,
    nextWakeUp: () => wakeAt,
    async stop() {
      if (!stopped) {
        stopped = true
        if (timer !== undefined) clock.clearTimeout(timer)
        timer = undefined
        wakeAt = null
        actor.stop()
      }
      await runner.whenIdle()
      await Promise.allSettled([...pendingRecords])
      await writes
    },
  }
}
