import type { AnyActorRef, Snapshot } from 'xstate'

/**
 * How an actor ended, read from its xstate snapshot status:
 * 'done' is a normal exit, 'error' a crash (with the snapshot's error), 'stopped' an outside stop.
 */
export type ActorExit = { reason: 'normal' } | { reason: 'error'; error: unknown } | { reason: 'stopped' }

/** The exit an ended snapshot stands for, or undefined while the actor is still active. */
export function exitOf(snapshot: Snapshot<unknown>): ActorExit | undefined {
  switch (snapshot.status) {
    case 'done':
      return { reason: 'normal' }
    case 'error':
      return { reason: 'error', error: snapshot.error }
    case 'stopped':
      return { reason: 'stopped' }
    default:
      return undefined
  }
}

/**
 * Calls `listener` once when `ref` ends, with how it ended; returns a function that cancels.
 * An actor that has already ended is reported on the next microtask.
 *
 * Monitoring also gives the actor an error observer, so its crash is not reported by xstate as an
 * unhandled error (which xstate rethrows on a timer, taking the process down). Monitor before
 * starting an actor if its start may fail. A throwing listener is isolated from the actor.
 */
export function monitor(ref: AnyActorRef, listener: (exit: ActorExit) => void): () => void {
  let settled = false
  const report = (exit: ActorExit) => {
    if (settled) return
    settled = true
    subscription?.unsubscribe()
    try {
      listener(exit)
    } catch {
      // A monitor must not be able to crash the actor or whoever stopped it.
    }
  }

  const already = exitOf(ref.getSnapshot())
  let subscription: { unsubscribe(): void } | undefined
  if (already) {
    queueMicrotask(() => report(already))
  } else {
    subscription = ref.subscribe({
      next: (snapshot) => {
        if (snapshot.status === 'done') report({ reason: 'normal' })
      },
      error: (error) => report({ reason: 'error', error }),
      // xstate completes observers without a final snapshot when stopped from outside.
      complete: () => report(exitOf(ref.getSnapshot()) ?? { reason: 'stopped' }),
    })
  }
  return () => {
    settled = true
    subscription?.unsubscribe()
  }
}
