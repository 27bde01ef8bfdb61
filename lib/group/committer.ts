import { Events } from '../instrumentation/events.js'
import type { ManagerContext } from './manager-context.js'
import { committable } from './partition-state.js'
import type { PartitionState } from './partition-state.js'

/**
 * Commits each partition's contiguous acked prefix: on an interval, and at once on revocation and
 * shutdown. Commits are serialised so an older commit can never land after a newer one, and a
 * partition's committed offset only moves forward. A failed commit is reported and retried with the
 * next one (the acks are still there).
 */
export function createCommitter(ctx: ManagerContext) {
  let chain: Promise<void> = Promise.resolve()
  let timer: unknown
  let running = false

  const commit = (only?: Iterable<PartitionState>): Promise<void> => {
    chain = chain.then(async () => {
      const consumer = ctx.consumer
      if (!consumer) return
      const due = [...(only ?? ctx.partitions.values())]
        .map((ps) => ({ ps, offset: committable(ps) }))
        .filter((d): d is { ps: PartitionState; offset: number } => d.offset !== undefined)
      if (due.length === 0) return
      const offsets = due.map(({ ps, offset }) => ({ ...ps.tp, offset }))
      try {
        await consumer.commit(offsets)
        for (const { ps, offset } of due) ps.lastCommitted = Math.max(ps.lastCommitted, offset)
        ctx.emit(Events.COMMITTED, { offsets })
      } catch (error) {
        ctx.emit(Events.COMMIT_FAILED, { offsets, error })
      }
    })
    return chain
  }

  const schedule = () => {
    timer = ctx.clock.setTimeout(() => {
      if (!running) return
      void commit().finally(() => running && schedule())
    }, ctx.resolved.commitInterval)
  }

  return {
    commit,
    start() {
      running = true
      schedule()
    },
    stop() {
      running = false
      if (timer !== undefined) ctx.clock.clearTimeout(timer)
    },
  }
}

export type Committer = ReturnType<typeof createCommitter>
