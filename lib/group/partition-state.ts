import type { AnyActorRef } from 'xstate'
import type { TopicPartition } from '../kafka/client.js'
import type { TimerHandle } from '../time/clock.js'
import type { Message } from './handler.js'
import { createOffsetTracker } from './offset-tracker.js'
import type { OffsetTracker } from './offset-tracker.js'
import { createPrefetchBuffer } from './prefetch-buffer.js'
import type { PrefetchBuffer } from './prefetch-buffer.js'

export type PartitionStatus = 'running' | 'restarting' | 'revoking' | 'stopped'

/** Everything the manager knows about one owned partition in one generation. */
export interface PartitionState {
  readonly tp: TopicPartition
  readonly key: string
  readonly generationId: number
  status: PartitionStatus
  /** Created at the first delivered batch: kafkajs decides the start (committed offset or reset). */
  tracker: OffsetTracker | undefined
  buffer: PrefetchBuffer
  /** Child id of the current worker incarnation under the worker supervisor. */
  workerId: string | undefined
  worker: AnyActorRef | undefined
  /** Hands a batch to the worker; set when the worker reports ready, until it stops. */
  deliver: ((messages: Message[], highWatermark: number) => void) | undefined
  workerReady: boolean
  /** The batch the worker is handling (kept to dead-letter a message that keeps crashing it). */
  inFlight: Message[]
  paused: boolean
  /** After a seek, fetched messages below this offset are stale and dropped. */
  expectedNext: number | undefined
  highWatermark: number
  lastCommitted: number
  /**
   * The offset that crashed the worker and how often in a row. While set, batches are of one message
   * up to `until` (the end of the batch that first crashed), so the failing message is found exactly.
   */
  failure: { offset: number; attempts: number; until: number } | undefined
  restarts: number
  restartTimer: TimerHandle | undefined
}

export const partitionKey = (tp: TopicPartition): string => `${tp.topic}/${tp.partition}`

export function createPartitionState(tp: TopicPartition, generationId: number): PartitionState {
  return {
    tp,
    key: partitionKey(tp),
    generationId,
    status: 'running',
    tracker: undefined,
    buffer: createPrefetchBuffer(),
    workerId: undefined,
    worker: undefined,
    deliver: undefined,
    workerReady: false,
    inFlight: [],
    paused: false,
    expectedNext: undefined,
    highWatermark: -1,
    lastCommitted: -1,
    failure: undefined,
    restarts: 0,
    restartTimer: undefined,
  }
}

/** Records a fetched batch; returns the messages worth delivering (stale and already-acked ones removed). */
export function acceptFetched(ps: PartitionState, messages: readonly Message[]): Message[] {
  const floor = ps.expectedNext
  const fresh = floor === undefined ? messages : messages.filter((m) => m.offset >= floor)
  if (fresh.length === 0) return []
  const first = fresh[0] as Message
  ps.expectedNext = undefined
  if (!ps.tracker) {
    ps.tracker = createOffsetTracker(first.offset)
    // Kafka started us here (the committed offset, or the reset point): nothing below needs committing.
    ps.lastCommitted = first.offset
  }
  return fresh as Message[]
}

/** Messages fetched and not yet acked or released: queued for the worker, or with it. */
export function windowCount(ps: PartitionState): number {
  return ps.buffer.queued + (ps.tracker?.unreleasedCount ?? 0)
}

export function windowBytes(ps: PartitionState): number {
  return ps.buffer.queuedBytes + (ps.tracker?.unreleasedBytes ?? 0)
}

/** Is the prefetch window full (pause fetching) by count or by bytes? */
export function windowFull(ps: PartitionState, limits: { prefetchCount: number; prefetchBytes: number }): boolean {
  return windowCount(ps) >= limits.prefetchCount || windowBytes(ps) >= limits.prefetchBytes
}

/** Commit point if it moved past what was last committed. */
export function committable(ps: PartitionState): number | undefined {
  if (!ps.tracker) return undefined
  const point = ps.tracker.commitPoint()
  return point > ps.lastCommitted ? point : undefined
}

/** Exponential backoff for the n-th consecutive crash (n >= 1), capped. */
export function restartDelay(attempt: number, backoff: { initial: number; max: number }): number {
  return Math.min(backoff.max, backoff.initial * 2 ** Math.max(0, attempt - 1))
}
