import ms from 'ms'
import { InvalidDurationError } from '../errors.js'

/** A duration: milliseconds as a number, or an `ms` string such as '5s', '250ms', '1h'. */
export type Duration = number | string

/** Reads a Duration into milliseconds; throws InvalidDurationError for anything else. */
export function toMs(value: Duration, context: Record<string, unknown> = {}): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return value
    throw new InvalidDurationError(value, context)
  }
  if (typeof value === 'string') {
    const parsed = ms(value as ms.StringValue)
    if (typeof parsed === 'number' && Number.isFinite(parsed) && parsed >= 0) return parsed
  }
  throw new InvalidDurationError(value, context)
}
