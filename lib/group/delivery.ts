import { Events } from '../instrumentation/events.js'
import type { HandlerResult, Message } from './handler.js'
import type { ManagerContext } from './manager-context.js'
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
    const full = ps.buffer.isFull()
    if (full && !ps.paused) {
      ps.paused = true
      consumer.pause([ps.tp])
      ctx.emit(Events.PARTITION_PAUSED, { ...ps.tp, buffered: ps.buffer.count, bytes: ps.buffer.bytes })
    } else if (!full && ps.paused) {
      ps.paused = false
      consumer.resume([ps.tp])
      ctx.emit(Events.PARTITION_RESUMED, { ...ps.tp })
    }
  }

  const pump = (ps: PartitionState) => {
    while (ps.status === 'running' && ps.workerReady && ps.worker && ps.buffer.queued > 0 && ps.tracker) {
      // While a crash is being isolated, one message at a time finds the one that fails.
      const batch = ps.buffer.take(ps.failure ? 1 : ctx.resolved.maxBatchSize)
      // Messages acked before a worker restart are done: record them, don't hand them out again.
      const done = batch.filter((m) => ps.tracker?.isAckedAhead(m.offset))
      ps.tracker.delivered(batch.map((m) => m.offset))
      if (done.length > 0) ps.buffer.release(done.map((m) => m.offset))
      const todo = done.length === 0 ? batch : batch.filter((m) => !done.includes(m))
      if (todo.length === 0) continue
      ps.workerReady = false
      ps.inFlight = todo
      ps.worker.send({ type: 'deliver', messages: todo, highWatermark: ps.highWatermark })
    }
    updateFlow(ps)
  }

  const applyResult = (ps: PartitionState, messages: Message[], result: HandlerResult<unknown>) => {
    const tracker = ps.tracker
    if (!tracker) return
    const offsets = messages.map((m) => m.offset)
    switch (result.action) {
      case 'ack':
        tracker.ackOffsets(offsets)
        ps.buffer.release(offsets)
        break
      case 'ack_up_to': {
        const done = offsets.filter((o) => o <= result.offset)
        tracker.ackOffsets(done)
        ps.buffer.release(done)
        break
      }
      case 'continue':
        ps.buffer.release(offsets)
        break
      case 'no_ack':
        break
    }
    const last = offsets[offsets.length - 1] ?? -1
    if (ps.failure && last >= ps.failure.until) ps.failure = undefined
    ctx.emit(Events.BATCH_HANDLED, { ...ps.tp, count: messages.length, action: result.action, lastOffset: last })
  }

  return { pump, applyResult, updateFlow }
}

export type Delivery = ReturnType<typeof createDelivery>
