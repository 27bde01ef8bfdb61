import type { Message } from './handler.js'

/**
 * Pure bookkeeping of what a partition's worker was given, for one partition in one generation.
 *
 * Every delivered message is `pending`, `released` (flow control given back with `continue`, not
 * done) or `acked`. Handler results ack or release whole batches, `ack(offset)` acks cumulatively,
 * and acks may complete out of order, but only the contiguous acked prefix is committable: the commit
 * point is the first delivered offset not acked (or the next offset to deliver when all are). Pending
 * messages count against the prefetch window. Offsets are not assumed dense (compacted topics).
 *
 * Kept per delivered batch, not per message: a batch acked as a whole costs O(1), which matters at
 * hundreds of thousands of messages a second. Per-message states appear only in a batch that is
 * acked or released in part.
 */
export interface OffsetTracker {
  /** Records a delivered batch (ascending offsets above all earlier ones; lower ones are ignored). */
  delivered(messages: readonly Message[]): void
  /** Acks a batch exactly as it was delivered (the same array). */
  ackBatch(messages: readonly Message[]): void
  /** Releases (`continue`) a batch exactly as it was delivered. */
  releaseBatch(messages: readonly Message[]): void
  /** Acks the listed delivered offsets (ascending). Unknown offsets are ignored. */
  ackOffsets(offsets: readonly number[]): void
  /**
   * Acks every delivered offset <= `offset`, including ones delivered before a rewind and not yet
   * delivered again (they will count as done when they are). False when `offset` was never delivered.
   */
  ackThrough(offset: number): boolean
  /** Releases the listed delivered offsets without acking them. */
  releaseOffsets(offsets: readonly number[]): void
  /** The next offset to commit (Kafka's "next to read"). */
  commitPoint(): number
  /** Offsets delivered and not acked, oldest first. */
  pending(): number[]
  /** Delivered messages neither acked nor released, and their bytes: they hold the prefetch window. */
  readonly unreleasedCount: number
  readonly unreleasedBytes: number
  /** Was `offset` acked before a rewind (so its redelivery may skip the handler)? */
  isAckedAhead(offset: number): boolean
  hasAckedAhead(): boolean
  /** Forgets delivered-but-unacked messages: they will be redelivered from the commit point. */
  rewind(): void
}

const PENDING = 0
const RELEASED = 1
const ACKED = 2

interface Entry {
  messages: readonly Message[]
  /** The state of every message while the batch is uniform; undefined once states are mixed. */
  uniform: number | undefined
  states: Uint8Array | undefined
  pendingCount: number
  pendingBytes: number
}

export function createOffsetTracker(startOffset: number): OffsetTracker {
  let entries: Entry[] = []
  let head = 0
  let highest = startOffset - 1
  let unreleasedCount = 0
  let unreleasedBytes = 0
  // After a rewind: offsets acked beyond the commit point, done already when they are redelivered;
  // and a cumulative bound for `ackThrough` of offsets delivered before the rewind, not yet again.
  const ackedAhead = new Set<number>()
  let ackedAheadThrough = -1
  let highestEver = startOffset - 1
  const doneAhead = (offset: number) => offset <= ackedAheadThrough || ackedAhead.delete(offset)

  const stateOf = (e: Entry, i: number) => (e.states ? (e.states[i] as number) : (e.uniform as number))
  const isDone = (e: Entry) => e.uniform === ACKED

  /** Raises one message's state (never lowers it), keeping the window counts. */
  const raise = (e: Entry, i: number, state: number) => {
    if (!e.states) {
      if ((e.uniform as number) >= state) return
      e.states = new Uint8Array(e.messages.length).fill(e.uniform as number)
      e.uniform = undefined
    }
    const before = e.states[i] as number
    if (before >= state) return
    if (before === PENDING) {
      const size = (e.messages[i] as Message).size
      e.pendingCount -= 1
      e.pendingBytes -= size
      unreleasedCount -= 1
      unreleasedBytes -= size
    }
    e.states[i] = state
    if (state === ACKED && e.states.every((s) => s === ACKED)) {
      e.states = undefined
      e.uniform = ACKED
    }
  }

  /** Raises a whole batch at once: O(1) for a uniform batch. */
  const raiseAll = (e: Entry, state: number) => {
    if (e.states) {
      for (let i = 0; i < e.messages.length; i++) raise(e, i, state)
      return
    }
    if ((e.uniform as number) >= state) return
    if (e.uniform === PENDING) {
      unreleasedCount -= e.pendingCount
      unreleasedBytes -= e.pendingBytes
      e.pendingCount = 0
      e.pendingBytes = 0
    }
    e.uniform = state
  }

  const advance = () => {
    while (head < entries.length && isDone(entries[head] as Entry)) head++
    if (head === entries.length) {
      entries = []
      head = 0
    } else if (head > 256 && head * 2 > entries.length) {
      entries = entries.slice(head)
      head = 0
    }
  }

  const entryOf = (messages: readonly Message[]) => {
    for (let i = head; i < entries.length; i++) if ((entries[i] as Entry).messages === messages) return entries[i]
    return undefined
  }

  /** Visits each listed offset found among the delivered messages (both ascending). */
  const forEachOffset = (offsets: readonly number[], visit: (e: Entry, i: number) => void) => {
    let k = 0
    for (let j = head; j < entries.length && k < offsets.length; j++) {
      const e = entries[j] as Entry
      for (let i = 0; i < e.messages.length && k < offsets.length; i++) {
        const o = (e.messages[i] as Message).offset
        while (k < offsets.length && (offsets[k] as number) < o) k++
        if (offsets[k] === o) {
          visit(e, i)
          k++
        }
      }
    }
  }

  const offsetsOf = (messages: readonly Message[]) => messages.map((m) => m.offset)

  return {
    delivered(batch) {
      let messages = batch
      if (messages.length > 0 && (messages[0] as Message).offset <= highest) messages = messages.filter((m) => m.offset > highest)
      if (messages.length === 0) return
      let bytes = 0
      for (const m of messages) bytes += m.size
      const entry: Entry = { messages, uniform: PENDING, states: undefined, pendingCount: messages.length, pendingBytes: bytes }
      entries.push(entry)
      unreleasedCount += messages.length
      unreleasedBytes += bytes
      highest = (messages[messages.length - 1] as Message).offset
      highestEver = Math.max(highestEver, highest)
      if (ackedAhead.size > 0 || ackedAheadThrough >= (messages[0] as Message).offset) {
        messages.forEach((m, i) => {
          if (doneAhead(m.offset)) raise(entry, i, ACKED)
        })
      }
      advance()
    },
    ackBatch(messages) {
      const e = entryOf(messages)
      // Not the delivered array (part of it was done already): match by offset instead.
      if (e) raiseAll(e, ACKED)
      else forEachOffset(offsetsOf(messages), (x, i) => raise(x, i, ACKED))
      advance()
    },
    releaseBatch(messages) {
      const e = entryOf(messages)
      if (e) raiseAll(e, RELEASED)
      else forEachOffset(offsetsOf(messages), (x, i) => raise(x, i, RELEASED))
    },
    ackOffsets(offsets) {
      forEachOffset(offsets, (e, i) => raise(e, i, ACKED))
      advance()
    },
    ackThrough(offset) {
      if (offset > highestEver) return false
      // Delivered before a rewind and not redelivered yet: remembered for when it is.
      if (offset > highest) ackedAheadThrough = Math.max(ackedAheadThrough, offset)
      for (let j = head; j < entries.length; j++) {
        const e = entries[j] as Entry
        if ((e.messages[e.messages.length - 1] as Message).offset <= offset) {
          raiseAll(e, ACKED)
          continue
        }
        for (let i = 0; i < e.messages.length && (e.messages[i] as Message).offset <= offset; i++) raise(e, i, ACKED)
        break
      }
      advance()
      return true
    },
    releaseOffsets(offsets) {
      forEachOffset(offsets, (e, i) => raise(e, i, RELEASED))
    },
    commitPoint() {
      const e = entries[head]
      if (!e) return highest + 1
      for (let i = 0; i < e.messages.length; i++) if (stateOf(e, i) !== ACKED) return (e.messages[i] as Message).offset
      return highest + 1
    },
    pending() {
      const out: number[] = []
      for (let j = head; j < entries.length; j++) {
        const e = entries[j] as Entry
        e.messages.forEach((m, i) => stateOf(e, i) !== ACKED && out.push(m.offset))
      }
      return out
    },
    get unreleasedCount() {
      return unreleasedCount
    },
    get unreleasedBytes() {
      return unreleasedBytes
    },
    isAckedAhead: (offset) => offset <= ackedAheadThrough || ackedAhead.has(offset),
    hasAckedAhead: () => ackedAhead.size > 0 || ackedAheadThrough > highest,
    rewind() {
      const from = this.commitPoint()
      for (let j = head; j < entries.length; j++) {
        const e = entries[j] as Entry
        e.messages.forEach((m, i) => stateOf(e, i) === ACKED && m.offset > from && ackedAhead.add(m.offset))
      }
      entries = []
      head = 0
      highest = from - 1
      unreleasedCount = 0
      unreleasedBytes = 0
    },
  }
}
