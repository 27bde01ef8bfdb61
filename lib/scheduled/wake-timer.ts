import type { Clock, TimerHandle } from '../time/clock.js'

// setTimeout fires at once for delays above 2^31-1 ms; longer waits are taken in steps.
const MAX_TIMER_DELAY = 2 ** 31 - 1

/**
 * The dispatcher's single timer. Instead of polling, it sleeps exactly until the next thing that can
 * happen: the earliest due message or the day's reload slot, whichever comes first. Re-arming to
 * the same instant keeps the timer that is already set.
 */
export interface WakeTimer {
  /** Wakes `onWake` at `at` (clock ms), replacing any earlier plan; `undefined` disarms. */
  arm(at: number | undefined): void
  readonly armedAt: number | undefined
  cancel(): void
}

export function nextWake(nextDue: number | undefined, reloadAt: number | undefined): number | undefined {
  if (nextDue === undefined) return reloadAt
  if (reloadAt === undefined) return nextDue
  return Math.min(nextDue, reloadAt)
}

export function createWakeTimer(clock: Clock, onWake: () => void): WakeTimer {
  let handle: TimerHandle | undefined
  let armedAt: number | undefined

  const clear = () => {
    if (handle !== undefined) clock.clearTimeout(handle)
    handle = undefined
    armedAt = undefined
  }
  const set = (at: number) => {
    armedAt = at
    const delay = Math.max(0, at - clock.now())
    handle = clock.setTimeout(() => {
      handle = undefined
      if (clock.now() < at) return set(at) // a long wait taken in steps
      armedAt = undefined
      onWake()
    }, Math.min(delay, MAX_TIMER_DELAY))
  }

  return {
    arm(at) {
      if (at === armedAt && handle !== undefined) return
      clear()
      if (at !== undefined) set(at)
    },
    get armedAt() {
      return armedAt
    },
    cancel: clear,
  }
}
