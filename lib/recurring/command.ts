import { ConfigError, UnknownCommandError } from '../errors.js'

/** What can be asked of a task. Anything else is rejected: by the sender, and again by the executor. */
export const COMMAND_NAMES = ['trigger', 'enable', 'disable'] as const
export type CommandName = (typeof COMMAND_NAMES)[number]

/** The target meaning "every task of the schedule". */
export const ALL_TASKS = '*'

/**
 * A command as it travels through the schedules topic. `name` stays a plain string because a log may
 * hold commands this process does not know (written by a newer version, or by hand): the executor
 * must be able to read and reject them rather than fail to decode the partition.
 */
export interface ScheduleCommand {
  name: string
  /** A task id, or '*' for all tasks. */
  task: string
  /** Sender's clock time (epoch ms). */
  requestedAt: number
  /** Lets a sender match the executor's COMMAND_APPLIED / COMMAND_REJECTED event to its request. */
  requestId: string
}

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && (COMMAND_NAMES as readonly string[]).includes(name)
}

/** Validates a command before it is sent, so a typo fails at the caller instead of in the log. */
export function createCommand(name: string, task: string, requestedAt: number, requestId: string): ScheduleCommand {
  if (!isCommandName(name)) throw new UnknownCommandError(name, { allowed: [...COMMAND_NAMES] })
  if (typeof task !== 'string' || task.trim() === '') {
    throw new ConfigError(`command ${name} needs a task id or "${ALL_TASKS}"`, { command: name, task })
  }
  return { name, task, requestedAt, requestId }
}

/** The ids a command applies to; an unknown single id yields none (the executor rejects it). */
export function targetsOf(command: ScheduleCommand, taskIds: readonly string[]): string[] {
  if (command.task === ALL_TASKS) return [...taskIds]
  return taskIds.includes(command.task) ? [command.task] : []
}
