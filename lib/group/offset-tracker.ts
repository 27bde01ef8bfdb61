/**
 * Pure ack bookkeeping for one partition in one generation.
 *
 * Offsets are recorded as they are delivered (compacted topics have gaps, so offsets are not assumed
 * dense). Batches are acked as ranges by handler results and cumulatively by explicit `ack(offset)`;
 * acks may complete out of order, but only the contiguous acked prefix is ever committable: the commit
 * point is the first delivered offset not yet acked (or the next offset to deliver when all are).
 */
export interface OffsetTracker {
  /** Records delivered offsets (ascending, each above all earlier ones). */
  delivered(offsets: readonly number[]): void
  /** Acks the listed delivered offsets (a batch, or part of one). Unknown offsets are ignored. */
  ackOffsets(offsets: readonly number[]): void
  /** Acks every delivered offset <= `offset`. Returns false when `offset` was never delivered. */
  ackThrough(offset: number): boolean
  /** The next offset to commit (Kafka's "next to read"): the first unacked delivered offset. */
  commitPoint(): number
  /** Offsets delivered and not acked, oldest first. */
  pending(): number[]
  /** Was `offset` acked before a rewind (so its redelivery may skip the handler)? */
  isAckedAhead(offset: number): boolean
  /** Forgets delivered-but-unacked offsets (they will be redelivered from the commit point). */
  rewind(): void
  readonly highestDelivered: number
}

export function createOffsetTracker(startOffset: number): OffsetTracker {
  // Parallel arrays from `head`: delivered offsets and whether each is acked. Compacted on advance.
  let offsets: number[] = []
  let acked: boolean[] = []
  let head = 0
  let next = startOffset
  let highest = startOffset - 1
  // After a rewind: offsets acked beyond the commit point, done already when they are redelivered.
  const ackedAhead = new Set<number>()

  const advance = () => {
    while (head < offsets.length && acked[head]) head++
    next = head < offsets.length ? (offsets[head] as number) : highest + 1
    if (head > 1024 && head * 2 > offsets.length) {
      offsets = offsets.slice(head)
      acked = acked.slice(head)
      head = 0
    }
  }

  const indexOf = (offset: number): number => {
    let lo = head
    let hi = offsets.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const v = offsets[mid] as number
      if (v === offset) return mid
      if (v < offset) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }

  return {
    delivered(list) {
      for (const o of list) {
        if (o <= highest) continue
        offsets.push(o)
        acked.push(ackedAhead.delete(o))
        highest = o
      }
      advance()
    },
    ackOffsets(list) {
      for (const o of list) {
        const i = indexOf(o)
        if (i >= 0) acked[i] = true
      }
      advance()
    },
    ackThrough(offset) {
      if (offset > highest) return false
      for (let i = head; i < offsets.length && (offsets[i] as number) <= offset; i++) acked[i] = true
      advance()
      return true
    },
    commitPoint: () => next,
    pending() {
      const out: number[] = []
      for (let i = head; i < offsets.length; i++) if (!acked[i]) out.push(offsets[i] as number)
      return out
    },
    isAckedAhead: (offset) => ackedAhead.has(offset),
    rewind() {
      // Acked offsets above the commit point are remembered so their redelivery counts as done.
      for (let i = head; i < offsets.length; i++) if (acked[i]) ackedAhead.add(offsets[i] as number)
      offsets = []
      acked = []
      head = 0
      highest = next - 1
    },
    get highestDelivered() {
      return highest
    },
  }
}
