import { InvalidEnvelopeError } from '../errors.js'
import type { IncomingMessage } from '../kafka/client.js'
import { ENVELOPE_SCHEMA_VERSION, Header, isReservedHeader, isSourceType } from './headers.js'
import { checkDueTime, checkTargetPartition, checkTargetTopic, type EnvelopeLimits } from './validation.js'

/** Where and how a scheduled message goes out. */
export interface Target {
  topic: string
  /** -1 when Kafka's partitioner should pick one from the key. */
  partition: number
  key: Buffer | null
}

/** A proxy record read back and understood. Offsets are the proxy partition's. */
export type ProxyRecord =
  | {
      kind: 'schedule'
      id: string
      offset: number
      due: number
      target: Target
      value: Buffer
      /** The user's own headers (envelope headers removed); undefined when there are none. */
      headers: Record<string, Buffer> | undefined
    }
  | { kind: 'cancel'; id: string; offset: number }
  /** Written by the dispatcher after delivery; `sourceOffset` is the delivered record's offset. */
  | { kind: 'tombstone'; id: string; offset: number; sourceOffset: number | undefined }

export type DecodeResult = { ok: true; record: ProxyRecord } | { ok: false; error: InvalidEnvelopeError }

const text = (b: Buffer | undefined) => (b === undefined ? undefined : b.toString('utf8'))

/**
 * Reads a proxy record. Never throws: a record we cannot dispatch comes back as an InvalidEnvelopeError
 * so the caller can report it and move on. A null value always deletes (that is what compaction will do
 * with it anyway), whatever its headers say; a header-less null is a cancel written by hand.
 */
export function decodeProxyRecord(message: IncomingMessage, limits: EnvelopeLimits): DecodeResult {
  const context = { topic: message.topic, partition: message.partition, offset: message.offset }
  const fail = (error: InvalidEnvelopeError): DecodeResult => ({ ok: false, error })
  if (message.key === null || message.key.length === 0) return fail(new InvalidEnvelopeError('proxy record has no key (message id)', context))
  const id = message.key.toString('utf8')
  const where = { ...context, id }
  const h = message.headers
  const type = text(h[Header.type])

  if (message.value === null) {
    if (type === 'tombstone') {
      const source = Number(text(h[Header.sourceOffset]))
      return { ok: true, record: { kind: 'tombstone', id, offset: message.offset, sourceOffset: Number.isSafeInteger(source) ? source : undefined } }
    }
    return { ok: true, record: { kind: 'cancel', id, offset: message.offset } }
  }

  const schemaText = text(h[Header.schema])
  const schema = Number(schemaText)
  if (schemaText === undefined || !Number.isInteger(schema) || schema < 1) {
    return fail(new InvalidEnvelopeError(`proxy record has no valid schema version (${Header.schema})`, { ...where, schema: schemaText }))
  }
  if (schema > ENVELOPE_SCHEMA_VERSION) {
    return fail(new InvalidEnvelopeError(`unknown envelope schema version ${schema} (this process reads up to ${ENVELOPE_SCHEMA_VERSION})`, { ...where, schema }))
  }
  if (type === undefined || !isSourceType(type) || type !== 'schedule') {
    return fail(new InvalidEnvelopeError(`a record with a value must have type 'schedule', got ${JSON.stringify(type)}`, { ...where, type }))
  }

  const targetTopic = text(h[Header.targetTopic])
  const partitionText = text(h[Header.targetPartition])
  const targetPartition = partitionText === undefined ? undefined : Number(partitionText)
  const dueText = text(h[Header.targetAt])
  const due = dueText === undefined || dueText.trim() === '' ? NaN : Number(dueText)
  const error =
    checkTargetTopic(targetTopic, where) ??
    checkTargetPartition(targetPartition, where) ??
    checkDueTime(due, message.timestamp, limits, where)
  if (error) return fail(error)

  let headers: Record<string, Buffer> | undefined
  for (const name in h) {
    const value = h[name]
    if (value === undefined || isReservedHeader(name)) continue
    ;(headers ??= {})[name] = value
  }
  return {
    ok: true,
    record: {
      kind: 'schedule',
      id,
      offset: message.offset,
      due,
      target: { topic: targetTopic as string, partition: targetPartition ?? -1, key: h[Header.targetKey] ?? null },
      value: message.value,
      headers,
    },
  }
}
