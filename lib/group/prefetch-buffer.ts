import type { Message } from './handler.js'

/**
 * One partition's fetched messages not yet given to its worker. Fetched batches are kept whole (no
 * per-message copying) and handed out in slices of at most `max`. Together with the tracker's
 * unreleased count it makes the prefetch window that pauses fetching (see delivery.ts).
 */
export interface PrefetchBuffer {
  push(messages: Message[]): void
  /** Removes up to `max` queued messages, oldest first. */
  take(max: number): Message[]
  clear(): void
  readonly queued: number
  readonly queuedBytes: number
}

export function createPrefetchBuffer(): PrefetchBuffer {
  let chunks: Message[][] = []
  let cursor = 0 // position in chunks[0]
  let queued = 0
  let queuedBytes = 0

  return {
    push(messages) {
      if (messages.length === 0) return
      chunks.push(messages)
      queued += messages.length
      for (const m of messages) queuedBytes += m.size
    },
    take(max) {
      const chunk = chunks[0]
      if (!chunk) return []
      let out: Message[]
      if (cursor === 0 && chunk.length <= max) {
        out = chunk // the common case: a whole fetched batch, handed over as is
        chunks.shift()
      } else {
        out = chunk.slice(cursor, cursor + max)
        cursor += out.length
        if (cursor >= chunk.length) {
          chunks.shift()
          cursor = 0
        }
      }
      queued -= out.length
      for (const m of out) queuedBytes -= m.size
      return out
    },
    clear() {
      chunks = []
      cursor = 0
      queued = 0
      queuedBytes = 0
    },
    get queued() {
      return queued
    },
    get queuedBytes() {
      return queuedBytes
    },
  }
}
