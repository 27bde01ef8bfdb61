import type { AnyActorLogic } from 'xstate'
import { ConfigError } from '../errors.js'
import { toMs } from '../time/duration.js'
import type { Duration } from '../time/duration.js'
import type { SupervisorOptions } from './supervisor-options.js'

/**
 * When a child that exited is started again:
 * - 'permanent': always (normal exit, crash, or an outside stop).
 * - 'transient': only after an abnormal exit (its actor errored).
 * - 'temporary': never; the child is forgotten once it exits.
 */
export type RestartType = 'permanent' | 'transient' | 'temporary'

/**
 * How long a child gets to stop after it was asked to (SHUTDOWN_EVENT), before it is stopped outright.
 * 'brutal' skips the request; 'infinity' waits as long as it takes (the default for supervisors, whose
 * own children each have a timeout already).
 */
export type Shutdown = 'brutal' | 'infinity' | Duration

export type ChildType = 'worker' | 'supervisor'

/** What to start: any xstate v5 actor logic with its input, or a nested supervisor. */
export type ActorStart<TInput = any> = { logic: AnyActorLogic; input?: TInput } | { supervisor: SupervisorOptions }

export interface ChildSpec<TInput = any> {
  /** Unique among the supervisor's children. */
  id: string
  /**
   * What to start. A function is called on every (re)start, so a restarted child can get fresh input
   * (for example the last acknowledged offset); if it throws, that start failed.
   */
  start: ActorStart<TInput> | (() => ActorStart<TInput>)
  /** Default 'permanent'. */
  restart?: RestartType
  /** Default '5s' for workers and 'infinity' for supervisors. */
  shutdown?: Shutdown
  /** Default 'worker', or 'supervisor' when `start` is a nested supervisor object. */
  type?: ChildType
  /** Registers the running actor under this name in the supervisor's registry. */
  name?: string
}

export const DEFAULT_WORKER_SHUTDOWN = '5s'

/** A child spec with its defaults applied and its shutdown read into ms (Infinity / 'brutal'). */
export interface NormalizedChildSpec {
  id: string
  start: ChildSpec['start']
  restart: RestartType
  shutdownMs: number | 'brutal'
  type: ChildType
  name: string | undefined
}

export function isSupervisorStart(start: ActorStart): start is { supervisor: SupervisorOptions } {
  return 'supervisor' in start
}

/** Applies defaults and checks the spec; throws ConfigError for what could never start. */
export function normalizeChildSpec(spec: ChildSpec, supervisorId: string): NormalizedChildSpec {
  const context = { supervisorId, childId: spec.id }
  if (typeof spec.id !== 'string' || spec.id.length === 0) throw new ConfigError('a child spec needs a non-empty string id', context)
  if (typeof spec.start !== 'function' && (spec.start === null || typeof spec.start !== 'object')) {
    throw new ConfigError(`child ${JSON.stringify(spec.id)} has no start (give { logic, input } or { supervisor })`, context)
  }
  const restart = spec.restart ?? 'permanent'
  if (!['permanent', 'transient', 'temporary'].includes(restart)) {
    throw new ConfigError(`child ${JSON.stringify(spec.id)} has an unknown restart type ${JSON.stringify(restart)}`, context)
  }
  const inferredType: ChildType = typeof spec.start === 'object' && isSupervisorStart(spec.start) ? 'supervisor' : 'worker'
  const type = spec.type ?? inferredType
  const shutdown = spec.shutdown ?? (type === 'supervisor' ? 'infinity' : DEFAULT_WORKER_SHUTDOWN)
  const shutdownMs = shutdown === 'brutal' ? 'brutal' : shutdown === 'infinity' ? Infinity : toMs(shutdown, context)
  return { id: spec.id, start: spec.start, restart, shutdownMs, type, name: spec.name }
}

/** Evaluates a spec's start (calling it when it is a factory); may throw. */
export function resolveStart(spec: NormalizedChildSpec): ActorStart {
  const start = typeof spec.start === 'function' ? spec.start() : spec.start
  if (start === null || typeof start !== 'object' || !('logic' in start || 'supervisor' in start)) {
    throw new ConfigError(`child ${JSON.stringify(spec.id)}: start must give { logic, input } or { supervisor }`, { childId: spec.id })
  }
  return start
}
