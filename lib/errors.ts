/**
 * One error hierarchy for all of Troupe. Every error has a stable `code` (match on it, not on messages),
 * a `retriable` flag (may the same call succeed if tried again?), and a `context` object with the
 * facts needed to act on it (topic, partition, offset, child id, ...). Failures that are data (a stale
 * ack, a malformed envelope) are reported through instrumentation with these same classes.
 */
export type ErrorContext = Record<string, unknown>

export interface TroupeErrorOptions {
  retriable?: boolean
  context?: ErrorContext
  cause?: unknown
}

export class TroupeError extends Error {
  readonly code: string
  readonly retriable: boolean
  readonly context: ErrorContext

  constructor(code: string, message: string, options: TroupeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = code
    this.retriable = options.retriable ?? false
    this.context = options.context ?? {}
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, retriable: this.retriable, context: this.context }
  }
}

// ---- configuration and input -------------------------------------------------------------------

/** Options or definitions that cannot work: thrown at start or definition time, never later. */
export class ConfigError extends TroupeError {
  constructor(message: string, context: ErrorContext = {}) {
    super('TROUPE_INVALID_CONFIG', message, { context })
  }
}

/** A duration that `ms` cannot read ('5 sec' is fine, '5 secs later' is not). */
export class InvalidDurationError extends TroupeError {
  constructor(value: unknown, context: ErrorContext = {}) {
    super('TROUPE_INVALID_DURATION', `not a duration: ${JSON.stringify(value)} (use a number of ms or a string like '5s')`, {
      context: { value, ...context },
    })
  }
}

// ---- kafka client ------------------------------------------------------------------------------

/** Anything the Kafka client port reports; `retriable` follows the broker/client's own verdict. */
export class KafkaClientError extends TroupeError {
  constructor(code: string, message: string, options: TroupeErrorOptions = {}) {
    super(code, message, options)
  }
}

export class KafkaConnectionError extends KafkaClientError {
  constructor(message: string, options: TroupeErrorOptions = {}) {
    super('TROUPE_KAFKA_CONNECTION', message, { retriable: true, ...options })
  }
}

export class ProduceError extends KafkaClientError {
  constructor(message: string, options: TroupeErrorOptions = {}) {
    super('TROUPE_PRODUCE_FAILED', message, options)
  }
}

export class TopicAdminError extends KafkaClientError {
  constructor(message: string, options: TroupeErrorOptions = {}) {
    super('TROUPE_TOPIC_ADMIN', message, options)
  }
}

export class CommitError extends KafkaClientError {
  constructor(message: string, options: TroupeErrorOptions = {}) {
    super('TROUPE_COMMIT_FAILED', message, options)
  }
}

// ---- actor runtime -----------------------------------------------------------------------------

export class ActorError extends TroupeError {}

/** A child's start threw, or its actor failed before it reported ready. */
export class ChildStartError extends ActorError {
  constructor(message: string, options: TroupeErrorOptions = {}) {
    super('TROUPE_CHILD_START_FAILED', message, options)
  }
}

/** More than `intensity` restarts within `period`: the supervisor gives up and escalates. */
export class RestartIntensityError extends ActorError {
  constructor(message: string, options: TroupeErrorOptions = {}) {
    super('TROUPE_RESTART_INTENSITY', message, options)
  }
}

/** A child did not stop within its shutdown timeout and was killed. */
export class ShutdownTimeoutError extends ActorError {
  constructor(message: string, options: TroupeErrorOptions = {}) {
    super('TROUPE_SHUTDOWN_TIMEOUT', message, options)
  }
}

export class NameTakenError extends ActorError {
  constructor(name: string) {
    super('TROUPE_NAME_TAKEN', `an actor is already registered as ${JSON.stringify(name)}`, { context: { name } })
  }
}

export class ActorNotFoundError extends ActorError {
  constructor(name: string, context: ErrorContext = {}) {
    super('TROUPE_ACTOR_NOT_FOUND', `no actor named ${JSON.stringify(name)}`, { context: { name, ...context } })
  }
}

/** A message arrived at a full bounded mailbox. */
export class MailboxOverflowError extends ActorError {
  constructor(message: string, context: ErrorContext = {}) {
    super('TROUPE_MAILBOX_OVERFLOW', message, { context, retriable: true })
  }
}

// ---- consumer groups ---------------------------------------------------------------------------

export class GroupError extends TroupeError {}

/** An ack whose generation id is not the current one: the partition may belong to someone else now. */
export class StaleGenerationError extends GroupError {
  constructor(context: ErrorContext) {
    super('TROUPE_STALE_GENERATION', 'ack ignored: its generation id is not the current one', { context })
  }
}

/** An ack for a partition this member does not own, or an offset it never delivered. */
export class InvalidAckError extends GroupError {
  constructor(message: string, context: ErrorContext) {
    super('TROUPE_INVALID_ACK', message, { context })
  }
}

/** A MessageHandler threw or returned something that is not a handler result. */
export class HandlerError extends GroupError {
  constructor(message: string, options: TroupeErrorOptions = {}) {
    super('TROUPE_HANDLER_FAILED', message, { retriable: true, ...options })
  }
}

// ---- recurring tasks ---------------------------------------------------------------------------

export class RecurringTasksError extends TroupeError {}

export class InvalidCronError extends RecurringTasksError {
  constructor(message: string, context: ErrorContext = {}) {
    super('TROUPE_INVALID_CRON', message, { context })
  }
}

export class DuplicateTaskError extends RecurringTasksError {
  constructor(taskId: string) {
    super('TROUPE_DUPLICATE_TASK', `task id ${JSON.stringify(taskId)} is defined twice`, { context: { taskId } })
  }
}

export class UnknownCommandError extends RecurringTasksError {
  constructor(command: unknown, context: ErrorContext = {}) {
    super('TROUPE_UNKNOWN_COMMAND', `unknown command ${JSON.stringify(command)}`, { context: { command, ...context } })
  }
}

/** The stored schedule was written by a newer version than ours: run nothing, leave it to a newer process. */
export class IncompatibleScheduleError extends RecurringTasksError {
  constructor(context: ErrorContext) {
    super('TROUPE_INCOMPATIBLE_SCHEDULE', 'stored schedule version is newer than this process knows', { context })
  }
}

// ---- scheduled messages ------------------------------------------------------------------------

export class ScheduledMessagesError extends TroupeError {}

/** An envelope that cannot be dispatched: rejected when producing, reported and skipped when consuming. */
export class InvalidEnvelopeError extends ScheduledMessagesError {
  constructor(message: string, context: ErrorContext = {}) {
    super('TROUPE_INVALID_ENVELOPE', message, { context })
  }
}

// ---- runner ------------------------------------------------------------------------------------

export class RunnerError extends TroupeError {}

export class ForcedShutdownError extends RunnerError {
  constructor(context: ErrorContext) {
    super('TROUPE_FORCED_SHUTDOWN', 'graceful shutdown timed out; forcing stop', { context })
  }
}

/** Normalises anything thrown into an Error, keeping TroupeErrors as they are. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown
  return new Error(typeof thrown === 'string' ? thrown : JSON.stringify(thrown))
}
