/**
 * Decides when loading a proxy partition is complete: nothing may be delivered before that, so that
 * every cancel written before the load began has been seen.
 *
 * The exact criterion is the partition's high watermark captured when loading began: once a record at
 * `high - 1` (or beyond) has been read, everything written before the load is known. A faster but
 * weaker criterion, opt-in, is a record whose timestamp is at or after the load start: on a busy
 * partition that arrives a little before the watermark is reached. Timestamps ahead of the
 * dispatcher's clock are never taken as evidence (a producer with a fast clock would otherwise end the
 * load early, before cancels written after it, and a message would be sent twice).
 */
export type LoadCompletion = 'watermark' | 'watermark-or-timestamp'

export interface LoadProgress {
  readonly complete: boolean
  /** Highest offset read so far (-1 before the first record). */
  readonly readOffset: number
  readonly records: number
  /** Records the load had to read: the watermark span when it began. */
  readonly expected: number
  /** Notes one record read; returns true when this record completed the load. */
  observe(offset: number, timestamp: number, now: number): boolean
}

export interface LoadStart {
  startedAt: number
  /** First offset still in the log. */
  low: number
  /** High watermark when loading began. */
  high: number
  completion?: LoadCompletion
}

export function createLoadProgress({ startedAt, low, high, completion = 'watermark' }: LoadStart): LoadProgress {
  let complete = high <= low
  let readOffset = -1
  let records = 0
  return {
    get complete() {
      return complete
    },
    get readOffset() {
      return readOffset
    },
    get records() {
      return records
    },
    expected: Math.max(0, high - low),
    observe(offset, timestamp, now) {
      if (complete) return false
      records += 1
      readOffset = Math.max(readOffset, offset)
      const reachedWatermark = offset + 1 >= high
      const writtenAfterStart = completion === 'watermark-or-timestamp' && timestamp <= now && timestamp >= startedAt
      complete = reachedWatermark || writtenAfterStart
      return complete
    },
  }
}
