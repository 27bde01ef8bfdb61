import { fromService, type ServiceLogic } from '../actor/service-logic.js'
import { createScheduledMessages, type ScheduledMessagesOptions } from './scheduled-messages.js'

/**
 * Scheduled-message dispatching as actor logic, for a supervision tree: it starts dispatching when
 * spawned, and on a graceful shutdown ('troupe.shutdown') or a stop it finishes the batch in flight
 * and leaves the group. A consumer that crashed for good fails the actor, so its supervisor restarts
 * it (a restart reloads from the proxy partitions: at-least-once still holds).
 */
export function fromScheduledMessages(options: ScheduledMessagesOptions): ServiceLogic<void, unknown> {
  return fromService<void, unknown>(async ({ shutdown, signal }) => {
    let crash: ((error: Error) => void) | undefined
    const crashed = new Promise<Error>((resolve) => (crash = resolve))
    const scheduled = createScheduledMessages({
      ...options,
      onCrash: (error) => {
        options.onCrash?.(error)
        crash?.(error)
      },
    })
    const aborted = (s: AbortSignal) => new Promise<void>((resolve) => (s.aborted ? resolve() : s.addEventListener('abort', () => resolve(), { once: true })))
    await scheduled.start()
    const outcome = await Promise.race([aborted(shutdown).then(() => undefined), aborted(signal).then(() => undefined), crashed])
    await scheduled.stop()
    if (outcome instanceof Error) throw outcome
  })
}
