import type { AnyActorRef } from 'xstate'
import type { Clock } from '../time/clock.js'
import type { ActorExit } from './monitor.js'

/**
 * The event a supervisor sends to ask a child to stop gracefully. A machine should handle it by
 * finishing (or handing back) its current work and then reaching a final state; anything that does
 * not handle it simply runs until its shutdown timeout and is then stopped outright.
 */
export const SHUTDOWN_EVENT = { type: 'troupe.shutdown' } as const
export type ShutdownEvent = typeof SHUTDOWN_EVENT

export interface ShutdownOutcome {
  exit: ActorExit
  /** True when the actor did not end within its timeout and was stopped outright. */
  timedOut: boolean
}

/**
 * Stops an actor with a shutdown policy: 'brutal' stops it at once; a number of ms (or Infinity) sends
 * SHUTDOWN_EVENT and waits that long for `exited` before stopping it outright.
 * `exited` must settle when the actor ends (a monitor set up when it was started).
 */
export async function shutdownActor(
  ref: AnyActorRef,
  policy: number | 'brutal',
  exited: Promise<ActorExit>,
  clock: Clock,
): Promise<ShutdownOutcome> {
  if (ref.getSnapshot().status !== 'active') return { exit: await exited, timedOut: false }
  if (policy === 'brutal') {
    ref.stop()
    return { exit: await exited, timedOut: false }
  }

  ref.send(SHUTDOWN_EVENT)
  if (policy === Infinity) return { exit: await exited, timedOut: false }

  let timer: unknown
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = clock.setTimeout(() => resolve('timeout'), policy)
  })
  const first = await Promise.race([exited, timeout])
  clock.clearTimeout(timer)
  if (first !== 'timeout') return { exit: first, timedOut: false }
  ref.stop()
  return { exit: await exited, timedOut: true }
}
