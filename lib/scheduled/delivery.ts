import type { OutgoingMessage, Producer } from '../kafka/client.js'
import type { BufferedMessage, DailyBuffer } from './daily-buffer.js'
import { buildTargetMessage, buildTombstone, type SourcePosition } from './messages.js'

export interface DeliveryOutcome {
  /** Every target message was acknowledged. */
  delivered: boolean
  error?: unknown
  /** Tombstones that could not be written (delivery still counts; a restart may send these again). */
  unwrittenTombstones: OutgoingMessage[]
}

const sourceOf = (proxyTopic: string, partition: number, m: BufferedMessage): SourcePosition => ({
  topic: proxyTopic, partition, offset: m.offset, id: m.id,
})

/**
 * Sends one batch of due messages, then tombstones their proxy records.
 *
 * Targets first: a message is never tombstoned before it went out, so a crash in between can only
 * send it again (at-least-once), never lose it. Targets are grouped per topic, keeping (due, offset)
 * order inside each topic. A message rescheduled (same id, later offset) while this batch was in
 * flight gets no tombstone: the tombstone would, after compaction, erase the newer schedule too.
 */
export async function deliverBatch(
  producer: Producer,
  proxyTopic: string,
  partition: number,
  batch: BufferedMessage[],
  buffer: DailyBuffer,
  retryTombstones: OutgoingMessage[] = [],
): Promise<DeliveryOutcome> {
  const byTopic = new Map<string, OutgoingMessage[]>()
  for (const m of batch) {
    const list = byTopic.get(m.topic) ?? []
    list.push(buildTargetMessage(m, m.value, m.headers, sourceOf(proxyTopic, partition, m)))
    byTopic.set(m.topic, list)
  }
  try {
    for (const [topic, messages] of byTopic) await producer.produce(topic, messages)
  } catch (error) {
    return { delivered: false, error, unwrittenTombstones: retryTombstones }
  }

  const tombstones = [...retryTombstones]
  for (const m of batch) {
    const current = buffer.get(m.id)
    if (current !== undefined && current !== m && current.offset > m.offset) continue
    tombstones.push(buildTombstone(sourceOf(proxyTopic, partition, m)))
  }
  try {
    await producer.produce(proxyTopic, tombstones)
    return { delivered: true, unwrittenTombstones: [] }
  } catch (error) {
    return { delivered: true, error, unwrittenTombstones: tombstones }
  }
}
