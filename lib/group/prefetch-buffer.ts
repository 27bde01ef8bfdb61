import type { Message } from './handler.js'

/**
 * One partition's fetched-ahead window, for back-pressure. Messages are counted from the moment they
 * are fetched until they are released: acked, or passed with `continue`. A worker only ever gets
 * messages from `take`; messages it holds stay counted. When the window is over `prefetchCount`
 * messages or `prefetchBytes` bytes the partition's fetching is paused, and resumed once it is not.
 */
export interface PrefetchBuffer {
  push(messages: readonly Message[]): void
  /** Removes up to `max` queued messages to hand to the worker (they stay counted until released). */
  take(max: number): Message[]
  /** Releases the listed held offsets. */
  release(offsets: readonly number[]): void
  /** Releases every held offset <= `offset`. */
  releaseThrough(offset: number): void
  /** Drops everything queued and held (the worker restarts from the commit point). */
  clear(): void
  readonly queued: number
  readonly count: number
  readonly bytes: number
  isFull(): boolean
  /** Offset of the last message pushed, or undefined. */
  readonly lastPushedOffset: number | undefined
}

export function createPrefetchBuffer(limits: { prefetchCount: number; prefetchBytes: number }): PrefetchBuffer {
  let queue: Message[] = []
  let qHead = 0
  let queuedBytes = 0
  // Held: handed to the worker, not yet released. Map keeps insertion (= offset) order.
  const held = new Map<number, number>()
  let heldBytes = 0
  let lastPushed: number | undefined

  const releaseOne = (offset: number) => {
    const size = held.get(offset)
    if (size === undefined) return
    held.delete(offset)
    heldBytes -= size
  }

  return {
    push(messages) {
      for (const m of messages) {
        queue.push(m)
        queuedBytes += m.size
        lastPushed = m.offset
      }
    },
    take(max) {
      const end = Math.min(queue.length, qHead + max)
      const out = queue.slice(qHead, end)
      qHead = end
      if (qHead === queue.length) {
        queue = []
        qHead = 0
      } else if (qHead > 4096) {
        queue = queue.slice(qHead)
        qHead = 0
      }
      for (const m of out) {
        queuedBytes -= m.size
        held.set(m.offset, m.size)
        heldBytes += m.size
      }
      return out
    },
    release(offsets) {
      for (const o of offsets) releaseOne(o)
    },
    releaseThrough(offset) {
      for (const o of held.keys()) {
        if (o > offset) break
        releaseOne(o)
      }
    },
    clear() {
      queue = []
      qHead = 0
      queuedBytes = 0
      held.clear()
      heldBytes = 0
      lastPushed = undefined
    },
    get queued() {
      return queue.length - qHead
    },
    get count() {
      return queue.length - qHead + held.size
    },
    get bytes() {
      return queuedBytes + heldBytes
    },
    isFull() {
      return queue.length - qHead + held.size >= limits.prefetchCount || queuedBytes + heldBytes >= limits.prefetchBytes
    },
    get lastPushedOffset() {
      return lastPushed
    },
  }
}
