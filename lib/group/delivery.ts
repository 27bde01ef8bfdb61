import { Events } from '../instrumentation/events.js'
import type { HandlerResult, Message } from './handler.js'
import type { ManagerContext } from './manager-context.js'
import { windowBytes, windowCount, windowFull } from './partition-state.js'
import type { PartitionState } from './partition-state.js'

/**
 * Moves fetched messages to a partition's worker, one batch at a time, and applies what the handler
 * decided. Back-pressure: the partition's fetching is paused while its prefetch window is full and
 * resumed as soon as acks (or `continue`) release it.
 */
export function createDelivery(ctx: ManagerContext) {
  const updateFlow = (ps: PartitionState) => {
    const consumer = ctx.consumer
    if (!consumer || ps.status === 'stopped') return
    const full = windowFull(ps, ctx.resolved)
    if (full && !ps.paused) {
      ps.paused = true
      consumer.pause([ps.tp])
      ctx.emit(Events.PARTITION_PAUSED, { ...ps.tp, buffered: windowCount(ps), bytes: windowBytes(ps) })
    } else if (!full && ps.paused) {
      ps.paused = false
      consumer.resume([ps.tp])
      ctx.emit(Events.PARTITION_RESUMED, { ...ps.tp })
    }
  }

  const pump = (ps: PartitionState) => {
    while (ps.status === 'running' && ps.workerReady && ps.deliver && ps.buffer.queued > 0 && ps.tracker) {
      // While a crash is being isolated, one message at a time finds the one that fails.
      let batch = ps.buffer.take(ps.failure ? 1 : ctx.resolved.maxBatchSize)
      const tracker = ps.tracker
      // Messages acked before a worker restart are done: the tracker records them as acked, and
      // they are not handed out again.
      if (tracker.hasAckedAhead()) {
        const todo = batch.filter((m) => !tracker.isAckedAhead(m.offset))
        tracker.delivered(batch)
        batch = todo
        if (batch.length === 0) continue
      } else {
        tracker.delivered(batch)
      }
      ps.workerReady = false
      ps.inFlight = batch
      ps.deliver(batch, ps.highWatermark)
    }
    updateFlow(ps)
  }

  const applyResult = (ps: PartitionState, messages: Message[], result: HandlerResult<unknown>) => {
    const tracker = ps.tracker
    if (!tracker) return
    switch (result.action) {
      case 'ack':
        tracker.ackBatch(messages)
        break
      case 'ack_up_to':
        tracker.ackOffsets(messages.filter((m) => m.offset <= result.offset).map((m) => m.offset))
        break
      case 'continue':
        tracker.releaseBatch(messages)
        break
      case 'no_ack':
        break
    }
    const last = messages[messages.length - 1]?.offset ?? -1
    if (ps.failure && last >= ps.failure.until) ps.failure = undefined
    ctx.emit(Events.BATCH_HANDLED, { ...ps.tp, count: messages.length, action: result.action, lastOffset: last })
  }

  return { pump, applyResult, updateFlow }
}

export type Delivery = ReturnType<typeof createDelivery>
