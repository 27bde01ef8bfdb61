/** One scheduled message held in memory until it is delivered. Target fields are flattened to save memory. */
export interface BufferedMessage {
  readonly id: string
  /** Offset of the proxy record: ties on `due` go out in log order. */
  readonly offset: number
  readonly due: number
  readonly topic: string
  /** -1 lets the target key pick the partition. */
  readonly partition: number
  readonly key: Buffer | null
  readonly value: Buffer
  readonly headers: Record<string, Buffer> | undefined
}

export interface DailyBuffer {
  /** Messages held, including those being sent right now. */
  readonly size: number
  get(id: string): BufferedMessage | undefined
  /** Adds or replaces (last write wins) the message with this id; returns the one it replaced. */
  upsert(message: BufferedMessage): BufferedMessage | undefined
  remove(id: string): BufferedMessage | undefined
  /** Due time of the next message waiting to be sent, if any. */
  nextDue(): number | undefined
  /** Takes up to `max` messages due at or before `now`, in (due, offset) order, and marks them in flight. */
  takeDue(now: number, max: number): BufferedMessage[]
  /** The send succeeded: forget the message (unless it was replaced meanwhile). */
  delivered(message: BufferedMessage): void
  /** The send failed: the message waits again (unless it was cancelled or replaced meanwhile). */
  requeue(message: BufferedMessage): void
  /** While loading, additions skip heap ordering; `endBulk` orders everything once, in O(n). */
  beginBulk(): void
  endBulk(): void
  clear(): void
}

const before = (a: BufferedMessage, b: BufferedMessage) => a.due < b.due || (a.due === b.due && a.offset < b.offset)

/**
 * The daily buffer: a Map from id to message (last write wins, O(1) cancel) plus a binary min-heap
 * ordered by (due, offset) with lazy deletion. Why a heap: a load inserts up to millions of messages
 * (heapified once, O(n)); while running, schedules arrive in any order (O(log n) each, where a sorted
 * array would shift O(n) elements) and we only ever need the earliest one. Replaced or cancelled
 * messages stay in the heap as stale slots, skipped when they surface; the heap is rebuilt when stale
 * slots outnumber live ones, so memory stays bounded under heavy cancelling.
 */
export function createDailyBuffer(): DailyBuffer {
  const byId = new Map<string, BufferedMessage>()
  const inFlight = new Set<BufferedMessage>()
  let heap: BufferedMessage[] = []
  let stale = 0
  let bulk = false

  const isCurrent = (m: BufferedMessage) => byId.get(m.id) === m && !inFlight.has(m)

  const siftUp = (i: number) => {
    const item = heap[i] as BufferedMessage
    while (i > 0) {
      const parent = (i - 1) >> 1
      const p = heap[parent] as BufferedMessage
      if (!before(item, p)) break
      heap[i] = p
      i = parent
    }
    heap[i] = item
  }
  const siftDown = (i: number) => {
    const n = heap.length
    const item = heap[i] as BufferedMessage
    for (;;) {
      let child = 2 * i + 1
      if (child >= n) break
      const right = child + 1
      if (right < n && before(heap[right] as BufferedMessage, heap[child] as BufferedMessage)) child = right
      const c = heap[child] as BufferedMessage
      if (!before(c, item)) break
      heap[i] = c
      i = child
    }
    heap[i] = item
  }
  const push = (m: BufferedMessage) => {
    heap.push(m)
    if (!bulk) siftUp(heap.length - 1)
  }
  const popTop = () => {
    const last = heap.pop() as BufferedMessage
    if (heap.length > 0) {
      heap[0] = last
      siftDown(0)
    }
  }
  const rebuild = () => {
    heap = heap.filter(isCurrent)
    stale = 0
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(i)
  }
  const markStale = () => {
    stale += 1
    if (!bulk && stale > 1024 && stale > heap.length / 2) rebuild()
  }
  // Drops stale slots from the top so heap[0], if any, is a message waiting to be sent.
  const top = () => {
    while (heap.length > 0 && !isCurrent(heap[0] as BufferedMessage)) {
      popTop()
      stale = Math.max(0, stale - 1)
    }
    return heap[0]
  }

  return {
    get size() {
      return byId.size
    },
    get: (id) => byId.get(id),
    upsert(message) {
      const previous = byId.get(message.id)
      byId.set(message.id, message)
      if (previous && !inFlight.has(previous)) markStale()
      push(message)
      return previous
    },
    remove(id) {
      const previous = byId.get(id)
      if (!previous) return undefined
      byId.delete(id)
      if (!inFlight.has(previous)) markStale()
      return previous
    },
    nextDue: () => top()?.due,
    takeDue(now, max) {
      const taken: BufferedMessage[] = []
      while (taken.length < max) {
        const next = top()
        if (!next || next.due > now) break
        popTop()
        inFlight.add(next)
        taken.push(next)
      }
      return taken
    },
    delivered(message) {
      inFlight.delete(message)
      if (byId.get(message.id) === message) byId.delete(message.id)
    },
    requeue(message) {
      inFlight.delete(message)
      if (byId.get(message.id) === message) push(message)
    },
    beginBulk() {
      bulk = true
    },
    endBulk() {
      bulk = false
      rebuild()
    },
    clear() {
      byId.clear()
      inFlight.clear()
      heap = []
      stale = 0
    },
  }
}
