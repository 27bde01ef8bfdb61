import { defineSchedule } from '../../../lib/recurring/schedule.js'
import type { TaskDefinition } from '../../../lib/recurring/schedule.js'
import type { ExecutorSinks } from '../../../lib/recurring/executor.js'
import type { TaskRunRecord } from '../../../lib/recurring/run-log.js'
import type { ScheduleSnapshot } from '../../../lib/recurring/snapshot.js'
import type { ScheduleCommand } from '../../../lib/recurring/command.js'

/** 2026-01-01T00:00:00Z, the manual clock's default start. */
export const T0 = Date.UTC(2026, 0, 1, 0, 0, 0)
export const MINUTE = 60_000
export const HOUR = 60 * MINUTE

export const noop = () => undefined

export function task(id: string, cron: string, extra: Partial<TaskDefinition> = {}): TaskDefinition {
  return { id, cron, run: noop, ...extra }
}

export function schedule(version: string, ...tasks: TaskDefinition[]) {
  return defineSchedule({ version, tasks })
}

export function command(name: string, taskId: string, requestId = `${name}-${taskId}`): ScheduleCommand {
  return { name, task: taskId, requestedAt: 0, requestId }
}

/** Sinks that remember everything, as the two topics would. */
export function recordingSinks() {
  const snapshots: ScheduleSnapshot[] = []
  const runs: TaskRunRecord[] = []
  const sinks: ExecutorSinks = {
    writeSnapshot: async (s) => void snapshots.push(s),
    writeRunRecord: async (r) => void runs.push(r),
  }
  return { sinks, snapshots, runs, last: () => snapshots[snapshots.length - 1] }
}
