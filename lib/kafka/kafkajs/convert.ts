import type { IHeaders, KafkaMessage, Message } from 'kafkajs'
import { KafkaClientError } from '../../errors.js'
import type { IncomingMessage, OutgoingMessage } from '../client.js'

/** kafkajs speaks offsets as strings; Troupe uses safe integers and refuses anything else. */
export function toOffset(value: string, topic?: string, partition?: number): number {
  const n = Number(value)
  if (!Number.isSafeInteger(n)) {
    throw new KafkaClientError('TROUPE_OFFSET_RANGE', `offset ${value} is not a safe integer`, { context: { topic, partition } })
  }
  return n
}

export function toKafkaJsMessage(message: OutgoingMessage, partition: number): Message {
  const out: Message = { value: message.value, partition }
  if (message.key !== undefined) out.key = message.key
  if (message.headers) {
    const headers: IHeaders = {}
    for (const [k, v] of Object.entries(message.headers)) if (v !== undefined) headers[k] = v
    out.headers = headers
  }
  if (message.timestamp !== undefined) out.timestamp = String(message.timestamp)
  return out
}

// Most messages carry no headers: they share one frozen empty object instead of allocating one each.
const NO_HEADERS: Record<string, Buffer | undefined> = Object.freeze({}) as Record<string, Buffer | undefined>

function convertHeaders(raw: IHeaders): Record<string, Buffer | undefined> {
  let headers = NO_HEADERS
  for (const k in raw) {
    if (headers === NO_HEADERS) headers = {}
    const v = raw[k]
    // kafkajs gives an array when a header name repeats; the last one wins, as in most clients' lookups.
    const value = Array.isArray(v) ? v[v.length - 1] : v
    headers[k] = value === undefined ? undefined : Buffer.isBuffer(value) ? value : Buffer.from(String(value))
  }
  return headers
}

/**
 * A consumed message over kafkajs's own object. Built for every message at full speed, so the
 * timestamp (a 13-digit string) is parsed only when read; headers are converted up front only when
 * there are any (their bytes count towards the prefetch window).
 */
class ConsumedMessage implements IncomingMessage {
  readonly key: Buffer | null
  readonly value: Buffer | null
  readonly headers: Record<string, Buffer | undefined>
  readonly size: number
  readonly #timestamp: string

  constructor(readonly topic: string, readonly partition: number, readonly offset: number, raw: KafkaMessage) {
    this.key = raw.key ?? null
    this.value = raw.value ?? null
    this.#timestamp = raw.timestamp
    let size = (this.key?.length ?? 0) + (this.value?.length ?? 0)
    this.headers = raw.headers ? convertHeaders(raw.headers) : NO_HEADERS
    if (this.headers !== NO_HEADERS) {
      for (const k in this.headers) size += k.length + (this.headers[k]?.length ?? 0)
    }
    this.size = size
  }

  get timestamp(): number {
    return Number(this.#timestamp)
  }

  toJSON() {
    return { topic: this.topic, partition: this.partition, offset: this.offset, key: this.key, value: this.value, headers: this.headers, timestamp: this.timestamp, size: this.size }
  }
}

export function fromKafkaJsMessage(topic: string, partition: number, m: KafkaMessage): IncomingMessage {
  return new ConsumedMessage(topic, partition, toOffset(m.offset, topic, partition), m)
}
