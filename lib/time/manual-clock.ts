import type { Clock, TimerHandle } from './clock.js'

interface Timer {
  id: number
  at: number
  fn: () => void
}

/**
 * A Clock that only moves when told to. `advance(ms)` fires due timers in time order (timers a
 * callback schedules within the window fire too), and `flush()` lets promise callbacks run between
 * timers so async code behaves as it would in real time.
 */
export interface ManualClock extends Clock {
  /** Moves time forward, firing every timer that falls due, in order. */
  advance(ms: number): Promise<void>
  /** Sets the time (only forward), firing due timers. */
  set(epochMs: number): Promise<void>
  /** Number of timers waiting. */
  pending(): number
}

export function createManualClock(startAt = Date.UTC(2026, 0, 1, 0, 0, 0)): ManualClock {
  let now = startAt
  let nextId = 1
  let timers: Timer[] = []

  const settle = async () => {
    // Several macrotask turns so chains of awaits started by a timer complete before the next one.
    for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r))
  }

  const advanceTo = async (target: number) => {
    for (;;) {
      timers.sort((a, b) => a.at - b.at || a.id - b.id)
      const next = timers[0]
      if (!next || next.at > target) break
      timers.shift()
      now = Math.max(now, next.at)
      next.fn()
      await settle()
    }
    now = Math.max(now, target)
    await settle()
  }

  return {
    now: () => now,
    setTimeout(fn: () => void, ms: number): TimerHandle {
      const timer = { id: nextId++, at: now + Math.max(0, ms), fn }
      timers.push(timer)
      return timer.id
    },
    clearTimeout(handle: TimerHandle) {
      timers = timers.filter((t) => t.id !== handle)
    },
    advance: (ms) => advanceTo(now + ms),
    set: (epochMs) => advanceTo(epochMs),
    pending: () => timers.length,
  }
}
