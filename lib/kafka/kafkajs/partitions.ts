import kafkajs from 'kafkajs'
import type { Admin as KafkaJsAdmin, PartitionMetadata } from 'kafkajs'
import type { OutgoingMessage } from '../client.js'

const METADATA_TTL_MS = 30_000

/**
 * Picks each message's partition before sending, with kafkajs's Java-compatible murmur2 partitioner,
 * so `produce` can tell the caller which partition and offset every message got (Kafka only returns a
 * base offset per partition). Partition metadata is cached briefly and refreshed on demand.
 */
export function createPartitionPlanner(admin: () => Promise<KafkaJsAdmin>) {
  const partitioner = kafkajs.Partitioners.DefaultPartitioner()
  const cache = new Map<string, { at: number; metadata: PartitionMetadata[] }>()

  async function metadataFor(topic: string): Promise<PartitionMetadata[]> {
    const cached = cache.get(topic)
    if (cached && Date.now() - cached.at < METADATA_TTL_MS) return cached.metadata
    const a = await admin()
    const { topics } = await a.fetchTopicMetadata({ topics: [topic] })
    const metadata = topics[0]?.partitions ?? []
    cache.set(topic, { at: Date.now(), metadata })
    return metadata
  }

  return {
    async plan(topic: string, messages: OutgoingMessage[]): Promise<number[]> {
      if (messages.every((m) => m.partition !== undefined)) return messages.map((m) => m.partition as number)
      const partitionMetadata = await metadataFor(topic)
      return messages.map((m) =>
        m.partition !== undefined
          ? m.partition
          : partitioner({ topic, partitionMetadata, message: { key: m.key ?? null, value: m.value } }),
      )
    },
    forget(topic: string) {
      cache.delete(topic)
    },
  }
}
