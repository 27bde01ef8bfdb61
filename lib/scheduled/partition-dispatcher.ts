import { createActor } from 'xstate'
import { Events } from '../instrumentation/events.js'
import type { Instrumentation } from '../instrumentation/instrumentation.js'
import type { FetchedBatch, OutgoingMessage, PartitionOffsets, Producer } from '../kafka/client.js'
import type { Clock } from '../time/clock.js'
import { bufferHorizon, reloadSlot, utcDayEnd, utcDayLabel } from './day.js'
import { deliverBatch } from './delivery.js'
import { dispatcherMachine, phaseOf } from './dispatcher-machine.js'
import { decodeProxyRecord } from './envelope.js'
import { createLoadProgress, type LoadCompletion, type LoadProgress } from './load-tracker.js'
import type { PartitionStatus } from './partition-status.js'
import { STATES_SCHEMA_VERSION } from './headers.js'
import { createScheduleBook, type DispatchedMark } from './schedule-book.js'
import type { EnvelopeLimits } from './validation.js'
import { createWakeTimer, nextWake } from './wake-timer.js'

export interface DispatcherSettings {
  limits: EnvelopeLimits
  lookaheadMs: number
  reloadSpreadMs: number
  /** Slack under the dispatched high-water mark when a reload decides what already went out. */
  graceMs: number
  maxBatch: number
  retryMinMs: number
  retryMaxMs: number
  loadCompletion: LoadCompletion
}

export interface PartitionDispatcherOptions {
  proxyTopic: string
  partition: number
  producer: Producer
  /** Low and high watermark of this partition, read when a (re)load begins. */
  watermarks(): Promise<PartitionOffsets>
  /** Restarts consumption of this partition at `offset`. */
  seek(offset: number): void
  publishStatus(status: PartitionStatus): void
  clock: Clock
  instrumentation: Instrumentation
  settings: DispatcherSettings
}

export interface PartitionDispatcher {
  readonly partition: number
  start(): Promise<void>
  /** Feeds one fetched batch of this partition. Synchronous: it only updates memory and the timer. */
  onBatch(batch: FetchedBatch): void
  /** Waits for the batch in flight, then stops for good. */
  stop(): Promise<void>
  status(): PartitionStatus
}

/**
 * One proxy partition's dispatcher: loads the partition from its start, keeps today's messages in
 * the daily buffer, and sends each at its due time from a single timer; reloads after midnight.
 */
export function createPartitionDispatcher(options: PartitionDispatcherOptions): PartitionDispatcher {
  const { proxyTopic, partition, producer, clock, instrumentation: bus, settings } = options
  const actor = createActor(dispatcherMachine, { input: { partition } }).start()
  const book = createScheduleBook(bufferHorizon(clock.now(), settings.lookaheadMs))
  const timer = createWakeTimer(clock, () => wake())
  const counts = { dispatched: 0, cancelled: 0, rejected: 0 }
  let progress: LoadProgress | undefined
  let loadStartedAt = 0
  let loadDurationMs: number | undefined
  let windowStart = clock.now()
  let acceptFrom = Infinity // no batch is read until the load has sought to the partition's start
  let readOffset = -1
  let mark: DispatchedMark | undefined
  let unwrittenTombstones: OutgoingMessage[] = []
  let retryAt: number | undefined
  let backoff = settings.retryMinMs
  let inFlight: Promise<void> | undefined
  let stopped = false

  const is = (state: unknown) => actor.getSnapshot().matches(state as never)
  const reloadAt = () => reloadSlot(utcDayEnd(windowStart), partition, settings.reloadSpreadMs)
  const report = () => options.publishStatus(status())

  function status(): PartitionStatus {
    const snapshot = actor.getSnapshot()
    return {
      schemaVersion: STATES_SCHEMA_VERSION, proxyTopic, partition,
      state: phaseOf(typeof snapshot.value === 'string' ? snapshot.value : 'loaded'),
      day: utcDayLabel(windowStart), dueToday: book.buffer.size, futureDays: book.futureDays(),
      ...counts, reloads: snapshot.context.reloads, loadedRecords: progress?.records ?? 0,
      loadDurationMs, loadedAt: snapshot.context.loadedAt, updatedAt: clock.now(),
    }
  }

  async function beginLoad() {
    loadStartedAt = clock.now()
    windowStart = loadStartedAt
    acceptFrom = Infinity
    progress = undefined
    book.reset(bufferHorizon(loadStartedAt, settings.lookaheadMs), mark, settings.graceMs)
    book.buffer.beginBulk()
    bus.emit(Events.DISPATCHER_LOADING, { topic: proxyTopic, partition, reload: is('reloading') })
    report()
    const { low, high } = await options.watermarks()
    if (stopped) return
    progress = createLoadProgress({ startedAt: loadStartedAt, low, high, completion: settings.loadCompletion })
    acceptFrom = low
    readOffset = low - 1
    options.seek(low)
    if (progress.complete) finishLoad(true)
  }

  function finishLoad(planNow: boolean) {
    const reload = is('reloading')
    book.buffer.endBulk()
    loadDurationMs = clock.now() - loadStartedAt
    actor.send({ type: 'LOADED', at: clock.now() })
    const figures = { topic: proxyTopic, partition, records: progress?.records ?? 0, dueToday: book.buffer.size, future: book.futureCount(), durationMs: loadDurationMs }
    bus.emit(Events.DISPATCHER_LOADED, figures)
    if (reload) bus.emit(Events.DAY_ROLLED_OVER, { ...figures, day: utcDayLabel(windowStart) })
    report()
    if (planNow) plan()
  }

  function onBatch(batch: FetchedBatch) {
    if (stopped) return
    for (const message of batch.messages) {
      if (message.offset < acceptFrom || message.offset <= readOffset) continue // before the seek, or seen
      readOffset = message.offset
      const decoded = decodeProxyRecord(message, settings.limits)
      if (!decoded.ok) {
        counts.rejected += 1
        bus.emit(Events.ENVELOPE_REJECTED, { topic: proxyTopic, partition, offset: message.offset, error: decoded.error })
      } else if (book.apply(decoded.record) === 'cancelled') {
        counts.cancelled += 1
        bus.emit(Events.MESSAGE_CANCELLED, { topic: proxyTopic, partition, offset: message.offset, id: decoded.record.id })
      }
      if (progress && !progress.complete && progress.observe(message.offset, message.timestamp, clock.now())) finishLoad(false)
    }
    plan()
  }

  /** Decides what happens next: send what is due now, or sleep until the next due message or the reload. */
  function plan() {
    if (stopped || !is({ loaded: 'waiting' })) return
    const now = clock.now()
    if (now >= reloadAt()) {
      timer.cancel()
      actor.send({ type: 'DAY_CHANGED' })
      void beginLoad()
      return
    }
    const due = book.buffer.nextDue()
    const retrying = retryAt !== undefined && now < retryAt
    const somethingToSend = (due !== undefined && due <= now) || unwrittenTombstones.length > 0
    if (somethingToSend && !retrying) {
      timer.cancel()
      inFlight = sendDue(now)
      return
    }
    timer.arm(nextWake(retrying ? retryAt : due, reloadAt()))
  }

  function wake() {
    if (retryAt !== undefined && clock.now() >= retryAt) retryAt = undefined
    plan()
  }

  async function sendDue(now: number) {
    const batch = book.buffer.takeDue(now, settings.maxBatch)
    actor.send({ type: 'SEND' })
    const readAtTake = readOffset
    const outcome = await deliverBatch(producer, proxyTopic, partition, batch, book.buffer, unwrittenTombstones)
    unwrittenTombstones = outcome.unwrittenTombstones
    if (outcome.error !== undefined) {
      bus.emit(Events.DISPATCH_FAILED, { topic: proxyTopic, partition, error: outcome.error, delivered: outcome.delivered, count: batch.length })
    }
    if (!outcome.delivered) {
      for (const m of batch) book.buffer.requeue(m)
      retryAt = clock.now() + backoff
      backoff = Math.min(backoff * 2, settings.retryMaxMs)
      actor.send({ type: 'SEND_FAILED' })
    } else {
      const sentAt = clock.now()
      for (const m of batch) {
        book.buffer.delivered(m)
        bus.emit(Events.MESSAGE_DISPATCHED, { topic: proxyTopic, partition, offset: m.offset, id: m.id, targetTopic: m.topic, due: m.due, lateMs: sentAt - m.due })
      }
      counts.dispatched += batch.length
      const last = batch[batch.length - 1]
      if (last) mark = { due: Math.max(mark?.due ?? -Infinity, last.due), readOffset: readAtTake }
      backoff = settings.retryMinMs
      if (unwrittenTombstones.length > 0) retryAt = clock.now() + backoff
      actor.send({ type: 'SENT' })
      report()
    }
    inFlight = undefined
    plan()
  }

  return {
    partition,
    start: async () => {
      actor.send({ type: 'LOAD' })
      await beginLoad()
    },
    onBatch,
    status,
    async stop() {
      if (stopped) return
      stopped = true
      timer.cancel()
      await inFlight
      actor.send({ type: 'STOP' })
      report()
      actor.stop()
    },
  }
}
