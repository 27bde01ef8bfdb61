import { nanoid } from 'nanoid'
import { InvalidEnvelopeError } from '../errors.js'
import type { Headers, OutgoingMessage } from '../kafka/client.js'
import { toMs, type Duration } from '../time/duration.js'
import { ENVELOPE_SCHEMA_VERSION, Header } from './headers.js'
import type { Target } from './envelope.js'
import { checkDueTime, checkMessageId, checkTargetPartition, checkTargetTopic, checkUserHeaders, type EnvelopeLimits } from './validation.js'

/** What a caller asks for: deliver `value` to `targetTopic` at `at`, or `after` a delay from now. */
export interface ScheduleRequest {
  /** The message id and proxy key. Scheduling the same id again replaces the earlier one. Default: a nanoid. */
  id?: string
  targetTopic: string
  targetKey?: string | Buffer | null
  /** Explicit target partition; without it the target key picks one. */
  targetPartition?: number
  /** Due time: a Date or epoch milliseconds. Exactly one of `at` and `after`. */
  at?: Date | number
  /** Due time relative to now: ms or a duration string such as '10m'. */
  after?: Duration
  /** Not null: a null value would be a tombstone on the compacted proxy topic. */
  value: string | Buffer
  headers?: Record<string, string | Buffer>
}

export interface BuiltSchedule {
  id: string
  due: number
  message: OutgoingMessage
}

function resolveDue(request: ScheduleRequest, now: number): number {
  const hasAt = request.at !== undefined
  const hasAfter = request.after !== undefined
  if (hasAt === hasAfter) throw new InvalidEnvelopeError('give exactly one of `at` and `after`', { at: request.at, after: request.after })
  if (hasAfter) return now + toMs(request.after as Duration, { option: 'after' })
  const at = request.at
  return at instanceof Date ? at.getTime() : (at as number)
}

/** Builds the proxy record for a schedule request; throws InvalidEnvelopeError for anything it cannot deliver. */
export function buildScheduleMessage(request: ScheduleRequest, now: number, limits: EnvelopeLimits, newId: () => string = nanoid): BuiltSchedule {
  if (request === null || typeof request !== 'object') throw new InvalidEnvelopeError('schedule() needs a request object')
  const id = request.id ?? newId()
  const context = { id, targetTopic: request.targetTopic }
  const due = resolveDue(request, now)
  const error =
    checkMessageId(id, context) ??
    checkTargetTopic(request.targetTopic, context) ??
    checkTargetPartition(request.targetPartition, context) ??
    checkUserHeaders(request.headers, context) ??
    (typeof request.value === 'string' || Buffer.isBuffer(request.value)
      ? undefined
      : new InvalidEnvelopeError('value must be a string or a Buffer (null is not schedulable)', context)) ??
    checkDueTime(due, now, limits, context)
  if (error) throw error

  const headers: Headers = { ...request.headers }
  headers[Header.schema] = String(ENVELOPE_SCHEMA_VERSION)
  headers[Header.type] = 'schedule'
  headers[Header.targetAt] = String(due)
  headers[Header.targetTopic] = request.targetTopic
  if (request.targetPartition !== undefined) headers[Header.targetPartition] = String(request.targetPartition)
  if (request.targetKey !== undefined && request.targetKey !== null) headers[Header.targetKey] = request.targetKey
  return { id, due, message: { key: id, value: request.value, headers } }
}

/** A cancel: the same key with a null value, so compaction forgets the schedule too. */
export function buildCancelMessage(id: string): OutgoingMessage {
  const error = checkMessageId(id)
  if (error) throw error
  return { key: id, value: null, headers: { [Header.schema]: String(ENVELOPE_SCHEMA_VERSION), [Header.type]: 'cancel' } }
}

/** Where a delivered proxy record was; written on both the target message and the tombstone. */
export interface SourcePosition {
  topic: string
  partition: number
  offset: number
  id: string
}

/**
 * The tombstone written after delivery. It goes to the proxy partition the record came from, named
 * explicitly: a tombstone that lands in another partition would not hide the record there.
 */
export function buildTombstone(source: SourcePosition): OutgoingMessage {
  return {
    key: source.id,
    value: null,
    partition: source.partition,
    headers: {
      [Header.schema]: String(ENVELOPE_SCHEMA_VERSION),
      [Header.type]: 'tombstone',
      [Header.sourceOffset]: String(source.offset),
    },
  }
}

/** The message as the target topic receives it: the user's value, key and headers, plus trace headers. */
export function buildTargetMessage(target: Target, value: Buffer, headers: Record<string, Buffer> | undefined, source: SourcePosition): OutgoingMessage {
  const message: OutgoingMessage = {
    key: target.key,
    value,
    headers: {
      ...headers,
      [Header.sourceTopic]: source.topic,
      [Header.sourcePartition]: String(source.partition),
      [Header.sourceOffset]: String(source.offset),
      [Header.sourceKey]: source.id,
    },
  }
  if (target.partition >= 0) message.partition = target.partition
  return message
}
