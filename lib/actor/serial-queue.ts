/**
 * Runs async operations one at a time, in the order they were queued. The supervisor puts every
 * change to its children (start, stop, restarts, exits) through one queue, so an exit can never be
 * handled in the middle of a restart or a shutdown that would make it stale.
 */
export interface SerialQueue {
  run<T>(operation: () => Promise<T>): Promise<T>
}

export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve()
  return {
    run(operation) {
      const result = tail.then(operation)
      // The queue goes on after a failed operation; the caller gets the failure.
      tail = result.catch(() => undefined)
      return result
    },
  }
}
