import { InvalidEnvelopeError } from '../errors.js'
import { toMs, type Duration } from '../time/duration.js'
import { isReservedHeader } from './headers.js'

/** How far from its reference time a due time may be. */
export interface EnvelopeLimits {
  /** A due time this far in the past is still accepted (clock skew, slow callers); beyond it, rejected. */
  toleranceMs: number
  /** A due time further ahead than this is rejected: usually a unit mistake (microseconds, not ms). */
  maxAheadMs: number
}

export const DEFAULT_LIMITS: EnvelopeLimits = { toleranceMs: toMs('1m'), maxAheadMs: toMs('366d') }

export function resolveLimits(tolerance?: Duration, maxAhead?: Duration): EnvelopeLimits {
  return {
    toleranceMs: tolerance === undefined ? DEFAULT_LIMITS.toleranceMs : toMs(tolerance, { option: 'tolerance' }),
    maxAheadMs: maxAhead === undefined ? DEFAULT_LIMITS.maxAheadMs : toMs(maxAhead, { option: 'maxAhead' }),
  }
}

// Epoch ms below this (2001-09-09) is almost surely seconds passed where milliseconds were expected.
const SECONDS_LOOKALIKE = 1e12

/**
 * Checks a due time against a reference: `now` when producing, the record's broker timestamp when
 * consuming (a record is judged by when it was written, not by when a restarted dispatcher reads it).
 */
export function checkDueTime(due: number, reference: number, limits: EnvelopeLimits, context: Record<string, unknown>): InvalidEnvelopeError | undefined {
  if (!Number.isSafeInteger(due)) {
    return new InvalidEnvelopeError(`due time must be an integer epoch in milliseconds, got ${String(due)}`, { ...context, due })
  }
  if (due < reference - limits.toleranceMs) {
    const hint = due > 0 && due < SECONDS_LOOKALIKE ? ' (it looks like seconds: pass milliseconds)' : ''
    return new InvalidEnvelopeError(`due time ${new Date(due).toISOString()} is in the past beyond the tolerance of ${limits.toleranceMs}ms${hint}`, {
      ...context, due, reference, toleranceMs: limits.toleranceMs,
    })
  }
  if (due > reference + limits.maxAheadMs) {
    return new InvalidEnvelopeError(`due time ${due} is more than ${limits.maxAheadMs}ms ahead (microseconds instead of milliseconds?)`, {
      ...context, due, reference, maxAheadMs: limits.maxAheadMs,
    })
  }
  return undefined
}

export function checkTargetTopic(topic: unknown, context: Record<string, unknown>): InvalidEnvelopeError | undefined {
  if (typeof topic === 'string' && topic.length > 0 && topic.length <= 249) return undefined
  return new InvalidEnvelopeError('a target topic is required (a non-empty string)', { ...context, targetTopic: topic })
}

export function checkTargetPartition(partition: unknown, context: Record<string, unknown>): InvalidEnvelopeError | undefined {
  if (partition === undefined || (Number.isSafeInteger(partition) && (partition as number) >= 0)) return undefined
  return new InvalidEnvelopeError('target partition must be a non-negative integer', { ...context, targetPartition: partition })
}

export function checkUserHeaders(headers: Record<string, unknown> | undefined, context: Record<string, unknown>): InvalidEnvelopeError | undefined {
  for (const name of Object.keys(headers ?? {})) {
    if (isReservedHeader(name)) {
      return new InvalidEnvelopeError(`header ${JSON.stringify(name)} uses the reserved prefix 'troupe.'`, { ...context, header: name })
    }
  }
  return undefined
}

/** Message ids become Kafka keys of a compacted topic: they must be non-empty and stable. */
export function checkMessageId(id: unknown, context: Record<string, unknown> = {}): InvalidEnvelopeError | undefined {
  if (typeof id === 'string' && id.length > 0 && id.length <= 1024) return undefined
  return new InvalidEnvelopeError('a message id (the proxy key) must be a non-empty string of at most 1024 characters', { ...context, id })
}
