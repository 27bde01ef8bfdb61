import type { Clock } from '../time/clock.js'
import { describeError } from './run-log.js'
import type { TaskRunRecord } from './run-log.js'
import type { RunReason, ScheduledTask } from './schedule.js'

/**
 * Runs task functions concurrently, at most one run per task at a time. A run never throws to its
 * caller: success or failure comes back as a TaskRunRecord with its duration on the given clock, so a
 * failing task is just data to log while the schedule goes on.
 */
export interface TaskRunner {
  /** Starts a run; undefined (and nothing started) if this task is already running. */
  start(task: ScheduledTask, reason: RunReason, startedAt: number): Promise<TaskRunRecord> | undefined
  isRunning(taskId: string): boolean
  running(): string[]
  /** Resolves once every run started so far has finished. */
  whenIdle(): Promise<void>
  /** Aborts the signal every running task was given (they decide how fast to stop). */
  abortAll(): void
}

export function createTaskRunner(options: { clock: Clock; scheduleVersion: string }): TaskRunner {
  const { clock, scheduleVersion } = options
  const inFlight = new Map<string, { promise: Promise<TaskRunRecord>; abort: AbortController }>()

  return {
    start(task, reason, startedAt) {
      if (inFlight.has(task.id)) return undefined
      const abort = new AbortController()
      const finish = (result: 'success' | 'failure', thrown?: unknown): TaskRunRecord => {
        inFlight.delete(task.id)
        return {
          schemaVersion: 1,
          taskId: task.id,
          scheduleVersion,
          reason,
          startedAt,
          durationMs: Math.max(0, clock.now() - startedAt),
          result,
          ...(result === 'failure' ? { error: describeError(thrown) } : {}),
        }
      }
      // Deferred by a microtask so a task that blocks synchronously does not block its caller's turn.
      const promise = Promise.resolve()
        .then(() => task.run({ taskId: task.id, startedAt, reason, signal: abort.signal }))
        .then(
          () => finish('success'),
          (thrown: unknown) => finish('failure', thrown),
        )
      inFlight.set(task.id, { promise, abort })
      return promise
    },
    isRunning: (taskId) => inFlight.has(taskId),
    running: () => [...inFlight.keys()],
    async whenIdle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight.values()].map((r) => r.promise))
    },
    abortAll() {
      for (const run of inFlight.values()) run.abort.abort()
    },
  }
}
