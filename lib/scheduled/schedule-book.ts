import { createDailyBuffer, type BufferedMessage, type DailyBuffer } from './daily-buffer.js'
import { utcDayStart, utcDayLabel } from './day.js'
import type { ProxyRecord } from './envelope.js'

/** What applying one proxy record did, so the dispatcher can count and report it. */
export type Applied =
  | 'buffered' // due within the window: waits in memory
  | 'deferred' // due on a later day: counted, loaded by a later day's reload
  | 'already-dispatched' // below the dispatched high-water mark: went out before this reload
  | 'cancelled' // a cancel that removed a pending message
  | 'tombstoned' // a delivery tombstone that removed what it refers to
  | 'noop' // a cancel or tombstone with nothing left to remove

/** Proof of delivery kept across reloads in one process: every record read up to `readOffset` and due by `due` went out. */
export interface DispatchedMark {
  due: number
  readOffset: number
}

export interface ScheduleBook {
  readonly buffer: DailyBuffer
  /** Records due before this go to the buffer; later ones are only counted. */
  readonly horizon: number
  apply(record: ProxyRecord): Applied
  /** Pending messages due on later days, per UTC day label. */
  futureDays(): Record<string, number>
  futureCount(): number
  /** Starts over for a new window (a reload reads the partition again from its start). */
  reset(horizon: number, mark: DispatchedMark | undefined, graceMs: number): void
}

interface Deferred {
  due: number
  offset: number
}

/** Applies proxy records in log order: last write per id wins; a cancel or tombstone deletes. */
export function createScheduleBook(initialHorizon: number): ScheduleBook {
  const buffer = createDailyBuffer()
  const deferred = new Map<string, Deferred>()
  const perDay = new Map<number, number>()
  const topics = new Map<string, string>()
  let horizon = initialHorizon
  let skipDue = -Infinity
  let skipOffset = -1

  // Target topic names repeat across millions of records: keep one string per name.
  const intern = (topic: string) => {
    const known = topics.get(topic)
    if (known !== undefined) return known
    topics.set(topic, topic)
    return topic
  }
  const undefer = (id: string, uptoOffset = Infinity): boolean => {
    const d = deferred.get(id)
    if (!d || d.offset > uptoOffset) return false
    deferred.delete(id)
    const day = utcDayStart(d.due)
    const left = (perDay.get(day) ?? 1) - 1
    if (left > 0) perDay.set(day, left)
    else perDay.delete(day)
    return true
  }

  return {
    buffer,
    get horizon() {
      return horizon
    },
    apply(record) {
      switch (record.kind) {
        case 'schedule': {
          undefer(record.id)
          if (record.due >= horizon) {
            buffer.remove(record.id) // rescheduled to a later day: no longer due in this window
            deferred.set(record.id, { due: record.due, offset: record.offset })
            const day = utcDayStart(record.due)
            perDay.set(day, (perDay.get(day) ?? 0) + 1)
            return 'deferred'
          }
          if (record.due <= skipDue && record.offset <= skipOffset) {
            buffer.remove(record.id)
            return 'already-dispatched'
          }
          // Copies, not views: a client's record buffers are slices of a whole fetch response, and one
          // buffered slice would keep that response (and every skipped record in it) alive all day.
          const message: BufferedMessage = {
            id: record.id,
            offset: record.offset,
            due: record.due,
            topic: intern(record.target.topic),
            partition: record.target.partition,
            key: record.target.key === null ? null : Buffer.from(record.target.key),
            value: Buffer.from(record.value),
            headers: record.headers === undefined ? undefined : copyHeaders(record.headers),
          }
          buffer.upsert(message)
          return 'buffered'
        }
        case 'cancel': {
          const removed = buffer.remove(record.id) !== undefined
          return undefer(record.id) || removed ? 'cancelled' : 'noop'
        }
        case 'tombstone': {
          // A tombstone only removes the record it was written for (or older): a reschedule of the
          // same id that arrived while the original was being delivered must survive it.
          const upto = record.sourceOffset ?? Infinity
          const pending = buffer.get(record.id)
          const removed = pending !== undefined && pending.offset <= upto && buffer.remove(record.id) !== undefined
          return undefer(record.id, upto) || removed ? 'tombstoned' : 'noop'
        }
      }
    },
    futureDays() {
      const out: Record<string, number> = {}
      for (const [day, count] of [...perDay].sort((a, b) => a[0] - b[0])) out[utcDayLabel(day)] = count
      return out
    },
    futureCount: () => deferred.size,
    reset(nextHorizon, mark, graceMs) {
      buffer.clear()
      deferred.clear()
      perDay.clear()
      horizon = nextHorizon
      skipDue = mark ? mark.due - graceMs : -Infinity
      skipOffset = mark ? mark.readOffset : -1
    },
  }
}

function copyHeaders(headers: Record<string, Buffer>): Record<string, Buffer> {
  const copy: Record<string, Buffer> = {}
  for (const [name, value] of Object.entries(headers)) copy[name] = Buffer.from(value)
  return copy
}
