import type { IncomingMessage, OutgoingMessage, PartitionOffsets, Producer } from '../../../lib/kafka/client.js'
import type { BufferedMessage } from '../../../lib/scheduled/daily-buffer.js'

/** Turns a built proxy message into what a consumer would read back at `offset`. */
export function asIncoming(message: OutgoingMessage, offset: number, timestamp: number, topic = 'proxy', partition = 0): IncomingMessage {
  const headers: Record<string, Buffer | undefined> = {}
  for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = Buffer.from(v)
  const key = message.key === undefined || message.key === null ? null : Buffer.from(message.key)
  const value = message.value === null ? null : Buffer.from(message.value)
  return { topic, partition, offset, key, value, headers, timestamp, size: value?.length ?? 0 }
}

export function buffered(id: string, due: number, offset: number): BufferedMessage {
  return { id, due, offset, topic: 't', partition: -1, key: null, value: Buffer.from(id), headers: undefined }
}

export interface Sent {
  topic: string
  message: OutgoingMessage
}

/** A producer that records what it sent (and fails while `failing` is set). */
export function recordingProducer(): Producer & { sent: Sent[]; failing: boolean } {
  const producer = {
    sent: [] as Sent[],
    failing: false,
    connect: async () => undefined,
    disconnect: async () => undefined,
    async produce(topic: string, messages: OutgoingMessage[]) {
      if (producer.failing) throw new Error('broker unavailable')
      for (const message of messages) producer.sent.push({ topic, message })
      return messages.map((_, i) => ({ topic, partition: partitionOf(_), offset: i }))
    },
    transaction: async <T>(work: (send: (topic: string, messages: OutgoingMessage[]) => Promise<void>) => Promise<T>) =>
      work(async (topic, messages) => void (await producer.produce(topic, messages))),
  }
  return producer
}
const partitionOf = (m: OutgoingMessage) => m.partition ?? 0

/** An in-memory proxy partition: an append-only log the dispatcher under test can be fed from. */
export function createLog(topic = 'proxy', partition = 0) {
  const records: IncomingMessage[] = []
  return {
    records,
    append(message: OutgoingMessage, timestamp: number) {
      const record = asIncoming(message, records.length, timestamp, topic, partition)
      records.push(record)
      return record
    },
    watermarks: async (): Promise<PartitionOffsets> => ({ partition, low: 0, high: records.length }),
    batch(from = 0) {
      const messages = records.slice(from)
      return { topic, partition, messages, highWatermark: records.length }
    },
  }
}

export const text = (v: Buffer | string | null | undefined) => (v === null || v === undefined ? v : v.toString())
