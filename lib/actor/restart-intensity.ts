import type { Clock } from '../time/clock.js'

/**
 * The supervisor's restart budget: at most `intensity` restarts within any `periodMs` (a sliding
 * window on the clock). A group restart (one_for_all, rest_for_one) counts once, as in OTP.
 */
export interface RestartWindow {
  /** Records a restart now; returns false when that one is over the budget. */
  record(): boolean
  /** Restarts still inside the window. */
  count(): number
}

export function createRestartWindow(intensity: number, periodMs: number, clock: Clock): RestartWindow {
  let restarts: number[] = []
  const prune = () => {
    const since = clock.now() - periodMs
    restarts = restarts.filter((at) => at > since)
  }
  return {
    record() {
      prune()
      restarts.push(clock.now())
      return restarts.length <= intensity
    },
    count() {
      prune()
      return restarts.length
    },
  }
}
