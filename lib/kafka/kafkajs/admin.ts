import type { Admin as KafkaJsAdmin } from 'kafkajs'
import type { Admin } from '../client.js'
import { toOffset } from './convert.js'
import { fromKafkaJs } from './errors.js'

/** Topic administration on one lazily connected kafkajs admin client. */
export function createKafkaJsAdmin(connectedAdmin: () => Promise<KafkaJsAdmin>, disconnect: () => Promise<void>): Admin {
  const run = async <T>(context: Record<string, unknown>, op: (a: KafkaJsAdmin) => Promise<T>): Promise<T> => {
    try {
      return await op(await connectedAdmin())
    } catch (e) {
      throw fromKafkaJs(e, 'admin', context)
    }
  }

  return {
    connect: async () => {
      await run({}, async () => undefined)
    },
    disconnect,
    createTopics: (specs) =>
      run({ topics: specs.map((s) => s.topic) }, async (a) => {
        const existing = new Set(await a.listTopics())
        const missing = specs.filter((s) => !existing.has(s.topic))
        if (missing.length === 0) return
        await a.createTopics({
          waitForLeaders: true,
          topics: missing.map((s) => ({
            topic: s.topic,
            numPartitions: s.partitions ?? 1,
            replicationFactor: s.replicationFactor ?? 1,
            configEntries: Object.entries(s.config ?? {}).map(([name, value]) => ({ name, value })),
          })),
        })
      }),
    deleteTopics: (topics) =>
      run({ topics }, async (a) => {
        const existing = new Set(await a.listTopics())
        const present = topics.filter((t) => existing.has(t))
        if (present.length > 0) await a.deleteTopics({ topics: present })
      }),
    listTopics: () => run({}, (a) => a.listTopics()),
    partitionCount: (topic) =>
      run({ topic }, async (a) => {
        const { topics } = await a.fetchTopicMetadata({ topics: [topic] })
        return topics[0]?.partitions.length ?? 0
      }),
    fetchTopicOffsets: (topic) =>
      run({ topic }, async (a) => {
        const offsets = await a.fetchTopicOffsets(topic)
        return offsets
          .map((o) => ({ partition: o.partition, low: toOffset(o.low), high: toOffset(o.high) }))
          .sort((x, y) => x.partition - y.partition)
      }),
    fetchCommittedOffsets: (groupId, topic) =>
      run({ groupId, topic }, async (a) => {
        const result = await a.fetchOffsets({ groupId, topics: [topic] })
        return (result[0]?.partitions ?? [])
          .map((p) => ({ topic, partition: p.partition, offset: toOffset(p.offset) }))
          .sort((x, y) => x.partition - y.partition)
      }),
  }
}
