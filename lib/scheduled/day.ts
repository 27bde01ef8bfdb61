/**
 * Day arithmetic for the daily buffer, always in UTC so every member of the group agrees on when a
 * day ends, whatever its local time zone or daylight saving rules.
 */
export const DAY_MS = 86_400_000

/** Start of the UTC day containing `epochMs`. */
export function utcDayStart(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS) * DAY_MS
}

/** End (exclusive) of the UTC day containing `epochMs`: the next midnight. */
export function utcDayEnd(epochMs: number): number {
  return utcDayStart(epochMs) + DAY_MS
}

/** 'YYYY-MM-DD' of the UTC day containing `epochMs`. */
export function utcDayLabel(epochMs: number): string {
  return new Date(utcDayStart(epochMs)).toISOString().slice(0, 10)
}

/**
 * The buffer window of a load done at `now`: everything due before the next midnight plus a short
 * lookahead. The lookahead lets messages due just after midnight go out on time from the old buffer
 * while the day's reload waits for its spread slot.
 */
export function bufferHorizon(now: number, lookaheadMs: number): number {
  return utcDayEnd(now) + lookaheadMs
}

/**
 * When this partition reloads after midnight: a fixed slot inside `spreadMs` derived from the partition
 * number (golden-ratio spacing), so a hundred partitions do not all re-read their logs at 00:00:00.
 */
export function reloadSlot(dayEnd: number, partition: number, spreadMs: number): number {
  if (spreadMs <= 0) return dayEnd
  const fraction = (partition * 0.6180339887498949) % 1
  return dayEnd + Math.floor(fraction * spreadMs)
}
