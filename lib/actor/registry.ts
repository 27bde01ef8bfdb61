import type { AnyActorRef } from 'xstate'
import { ActorNotFoundError, NameTakenError } from '../errors.js'
import { monitor } from './monitor.js'

/** Anything a supervisor hands out as a running child: an xstate actor ref. */
export type ActorRefLike = AnyActorRef

/**
 * Names for running actors, so others can reach them without holding a ref (a restarted worker gets
 * a new ref under the same name). A name is released by itself when its actor ends.
 */
export interface Registry {
  /** Throws NameTakenError if a running actor already holds the name. */
  register(name: string, ref: ActorRefLike): void
  /** Releases the name; with `ref`, only if that actor still holds it (so a late cleanup cannot drop its successor). */
  unregister(name: string, ref?: ActorRefLike): void
  lookup(name: string): ActorRefLike | undefined
  /** Like lookup, but throws ActorNotFoundError. */
  whereis(name: string): ActorRefLike
  names(): string[]
}

export function createRegistry(): Registry {
  const entries = new Map<string, { ref: ActorRefLike; unmonitor: () => void }>()

  const registry: Registry = {
    register(name, ref) {
      const existing = entries.get(name)
      // An entry whose actor has ended but whose exit is still on its way is stale, not taken.
      if (existing && existing.ref.getSnapshot().status === 'active') throw new NameTakenError(name)
      existing?.unmonitor()
      const unmonitor = monitor(ref, () => registry.unregister(name, ref))
      entries.set(name, { ref, unmonitor })
    },
    unregister(name, ref) {
      const entry = entries.get(name)
      if (!entry || (ref !== undefined && entry.ref !== ref)) return
      entry.unmonitor()
      entries.delete(name)
    },
    lookup: (name) => entries.get(name)?.ref,
    whereis(name) {
      const ref = entries.get(name)?.ref
      if (!ref) throw new ActorNotFoundError(name)
      return ref
    },
    names: () => [...entries.keys()],
  }
  return registry
}
