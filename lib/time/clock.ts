/**
 * Everything in Troupe that waits (restart backoff, shutdown timeouts, commit intervals, cron ticks,
 * scheduled dispatch) asks a Clock, so tests can drive time by hand instead of sleeping.
 * The shape is a superset of xstate's `Clock` so the same object can be passed to xstate actors.
 */
export type TimerHandle = unknown

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
  setTimeout(fn: () => void, ms: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms)
    return t
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

/** Resolves after `ms` on the given clock. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => {
    clock.setTimeout(resolve, ms)
  })
}

/**
 * Waits for `work` at most `ms` on the clock. Resolves `true` if it settled in time (its rejection is
 * passed on), `false` if the time ran out first (the work itself goes on; nothing can cancel it).
 */
export async function within(clock: Clock, ms: number, work: Promise<unknown>): Promise<boolean> {
  let timer: TimerHandle | undefined
  const timeout = new Promise<false>((resolve) => {
    timer = clock.setTimeout(() => resolve(false), ms)
  })
  try {
    return await Promise.race([work.then(() => true as const), timeout])
  } finally {
    clock.clearTimeout(timer)
  }
}
