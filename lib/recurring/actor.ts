import { fromService } from '../actor/service-logic.js'
import type { ServiceLogic } from '../actor/service-logic.js'
import { createRecurringTasks } from './recurring-tasks.js'
import type { RecurringTasks, RecurringTasksOptions } from './recurring-tasks.js'

/**
 * Recurring tasks as xstate actor logic, so a supervisor can run them as a child: it starts when
 * spawned, finishes in-flight runs and leaves the group on 'troupe.shutdown' (a normal exit), stops
 * at once when the actor is stopped, and fails (so the supervisor restarts it) if its consumer crashes.
 * `onStarted` hands out the instance, e.g. to send commands from elsewhere in the process.
 */
export function fromRecurringTasks(
  options: Omit<RecurringTasksOptions, 'onCrash'> & { onStarted?: (tasks: RecurringTasks) => void },
): ServiceLogic<void, void> {
  return fromService<void, void>(async ({ shutdown, signal }) => {
    let crash: ((error: Error) => void) | undefined
    const crashed = new Promise<never>((_, reject) => (crash = reject))
    crashed.catch(() => undefined) // observed through the races below; a late crash must not go unhandled
    const tasks = createRecurringTasks({ ...options, onCrash: (error) => crash?.(error) })
    const done = new Promise<void>((resolve) => {
      const finish = () => resolve()
      if (shutdown.aborted || signal.aborted) return resolve()
      shutdown.addEventListener('abort', finish, { once: true })
      signal.addEventListener('abort', finish, { once: true })
    })
    try {
      await Promise.race([tasks.start(), crashed])
      options.onStarted?.(tasks)
      await Promise.race([done, crashed])
    } finally {
      await tasks.stop()
    }
  })
}
