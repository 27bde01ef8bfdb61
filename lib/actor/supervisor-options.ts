import type { Instrumentation } from '../instrumentation/instrumentation.js'
import type { Clock } from '../time/clock.js'
import type { Duration } from '../time/duration.js'
import type { ChildSpec } from './child-spec.js'
import type { Registry } from './registry.js'

/**
 * Which children a crash takes down with it before they all start again:
 * - 'one_for_one': only the crashed child is restarted.
 * - 'one_for_all': every other child is stopped (reverse order), then all are started (in order).
 * - 'rest_for_one': the children started after the crashed one are stopped (reverse order), then the
 *   crashed child and those are started (in order).
 */
export type Strategy = 'one_for_one' | 'one_for_all' | 'rest_for_one'

/** Exponential delay before a restart: initial, initial*factor, ... capped at max. */
export interface BackoffOptions {
  initial: Duration
  max: Duration
  /** Default 2. */
  factor?: number
}

export interface SupervisorOptions {
  /** Default: the child spec id for a nested supervisor, else 'supervisor'. */
  id?: string
  /** Default 'one_for_one'. */
  strategy?: Strategy
  /** Most restarts allowed within `period`; one more and the supervisor gives up. Default 3. */
  intensity?: number
  /** Default '5s'. */
  period?: Duration
  /** Started in order, stopped in reverse order. */
  children?: ChildSpec[]
  /** Optional delay before each restart (default: restart at once). */
  backoff?: BackoffOptions
  /** Default systemClock; nested supervisors inherit it and xstate actors are created with it. */
  clock?: Clock
  /** Default silentInstrumentation; inherited by nested supervisors. */
  instrumentation?: Instrumentation
  /** Default a fresh registry per root supervisor; inherited by nested supervisors. */
  registry?: Registry
}

/** Why a supervisor stopped. */
export interface SupervisorExit {
  /**
   * - 'normal': stop() was called without a reason.
   * - 'shutdown': stop(reason) was called with a reason (`cause`), or its parent shut it down.
   * - 'intensity': too many restarts; `error` is the RestartIntensityError.
   * - 'start_failed': a child could not start during start(); `error` is the ChildStartError.
   */
  reason: 'normal' | 'shutdown' | 'intensity' | 'start_failed'
  error?: unknown
  cause?: unknown
}
