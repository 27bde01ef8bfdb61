import { ConfigError } from '../errors.js'
import { toMs } from '../time/duration.js'
import type { BackoffOptions } from './supervisor-options.js'

export interface Backoff {
  /** Delay before the restart that follows `consecutive` earlier quick restarts of the same child. */
  delayMs(consecutive: number): number
}

/** initial * factor^consecutive, capped at max. Without options every delay is 0. */
export function createBackoff(options: BackoffOptions | undefined, context: Record<string, unknown> = {}): Backoff {
  if (!options) return { delayMs: () => 0 }
  const initial = toMs(options.initial, context)
  const max = toMs(options.max, context)
  const factor = options.factor ?? 2
  if (!(factor >= 1) || max < initial) throw new ConfigError('backoff needs factor >= 1 and max >= initial', { ...context, ...options })
  return { delayMs: (consecutive) => Math.min(max, initial * factor ** Math.max(0, consecutive)) }
}
