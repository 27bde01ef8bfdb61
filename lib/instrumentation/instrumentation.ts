import type { EventName } from './events.js'

/** One published event: its registered name, when it happened (clock ms), and its payload. */
export interface InstrumentationEvent<P = Record<string, unknown>> {
  name: EventName
  at: number
  payload: P
}

export type Listener = (event: InstrumentationEvent) => void

/**
 * A small synchronous event bus. Listeners never break the emitter: a throwing listener is isolated
 * and reported on 'error.occurred' (unless it was that listener that threw, to avoid a loop).
 */
export interface Instrumentation {
  emit(name: EventName, payload?: Record<string, unknown>): void
  /** Subscribes to one name, or to every event with '*'. Returns an unsubscribe function. */
  on(name: EventName | '*', listener: Listener): () => void
}

export function createInstrumentation(now: () => number = Date.now): Instrumentation {
  const listeners = new Map<string, Set<Listener>>()

  const deliver = (key: string, event: InstrumentationEvent) => {
    const set = listeners.get(key)
    if (!set) return
    for (const listener of [...set]) {
      try {
        listener(event)
      } catch (error) {
        if (event.name !== 'error.occurred') {
          instrumentation.emit('error.occurred', { error, type: 'instrumentation.listener', event: event.name })
        }
      }
    }
  }

  const instrumentation: Instrumentation = {
    emit(name, payload = {}) {
      if (listeners.size === 0) return
      const event: InstrumentationEvent = { name, at: now(), payload }
      deliver(name, event)
      deliver('*', event)
    },
    on(name, listener) {
      let set = listeners.get(name)
      if (!set) listeners.set(name, (set = new Set()))
      set.add(listener)
      return () => {
        set.delete(listener)
        if (set.size === 0) listeners.delete(name)
      }
    },
  }
  return instrumentation
}

/** An Instrumentation that drops everything; the default where none is given. */
export const silentInstrumentation: Instrumentation = {
  emit() {},
  on() {
    return () => {}
  },
}
