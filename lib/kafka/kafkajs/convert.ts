import type { IHeaders, KafkaMessage, Message } from 'kafkajs'
import { KafkaClientError } from '../../errors.js'
import type { IncomingMessage, OutgoingMessage } from '../client.js'

/** kafkajs speaks offsets as strings; Troupe uses safe integers and refuses anything else. */
export function toOffset(value: string, context: Record<string, unknown> = {}): number {
  const n = Number(value)
  if (!Number.isSafeInteger(n)) {
    throw new KafkaClientError('TROUPE_OFFSET_RANGE', `offset ${value} is not a safe integer`, { context })
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

export function fromKafkaJsMessage(topic: string, partition: number, m: KafkaMessage): IncomingMessage {
  const headers: Record<string, Buffer | undefined> = {}
  let size = (m.key?.length ?? 0) + (m.value?.length ?? 0)
  if (m.headers) {
    for (const [k, v] of Object.entries(m.headers)) {
      // kafkajs gives an array when a header name repeats; the last one wins, as in most clients' lookups.
      const value = Array.isArray(v) ? v[v.length - 1] : v
      const buf = value === undefined ? undefined : Buffer.isBuffer(value) ? value : Buffer.from(String(value))
      headers[k] = buf
      size += k.length + (buf?.length ?? 0)
    }
  }
  return {
    topic,
    partition,
    offset: toOffset(m.offset, { topic, partition }),
    key: m.key ?? null,
    value: m.value ?? null,
    headers,
    timestamp: Number(m.timestamp),
    size,
  }
}
