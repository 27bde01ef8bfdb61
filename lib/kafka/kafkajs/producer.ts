import kafkajs from 'kafkajs'
import type { Admin as KafkaJsAdmin, Kafka, Producer as KafkaJsProducer, RecordMetadata } from 'kafkajs'
import { ConfigError, ProduceError } from '../../errors.js'
import type { OutgoingMessage, ProducedRecord, Producer, ProducerOptions } from '../client.js'
import { toKafkaJsMessage, toOffset } from './convert.js'
import { fromKafkaJs } from './errors.js'
import { createPartitionPlanner } from './partitions.js'

/** A Producer on kafkajs: acks from all in-sync replicas, idempotent by default, per-message offsets. */
export function createKafkaJsProducer(kafka: Kafka, admin: () => Promise<KafkaJsAdmin>, options: ProducerOptions = {}): Producer {
  const idempotent = options.idempotent ?? true
  const producer: KafkaJsProducer = kafka.producer({
    idempotent: idempotent || options.transactionalId !== undefined,
    maxInFlightRequests: idempotent || options.transactionalId ? 1 : undefined,
    transactionalId: options.transactionalId,
    allowAutoTopicCreation: false,
    createPartitioner: kafkajs.Partitioners.DefaultPartitioner,
  })
  const planner = createPartitionPlanner(admin)
  let connected: Promise<void> | undefined

  const ensureConnected = () => (connected ??= producer.connect().catch((e) => {
    connected = undefined
    throw fromKafkaJs(e, 'produce')
  }))

  async function buildRecords(topic: string, messages: OutgoingMessage[]) {
    validate(topic, messages)
    const partitions = await planner.plan(topic, messages)
    return { partitions, kafkaMessages: messages.map((m, i) => toKafkaJsMessage(m, partitions[i] as number)) }
  }

  return {
    connect: ensureConnected,
    async disconnect() {
      if (!connected) return
      connected = undefined
      await producer.disconnect()
    },

    async produce(topic, messages) {
      if (messages.length === 0) return []
      await ensureConnected()
      const { partitions, kafkaMessages } = await buildRecords(topic, messages)
      let metadata: RecordMetadata[]
      try {
        metadata = await producer.send({ topic, messages: kafkaMessages, acks: -1 })
      } catch (e) {
        planner.forget(topic)
        throw fromKafkaJs(e, 'produce', { topic, count: messages.length })
      }
      return assignOffsets(topic, partitions, metadata)
    },

    async transaction(work) {
      if (!options.transactionalId) {
        throw new ConfigError('transaction() needs a producer created with a transactionalId')
      }
      await ensureConnected()
      const txn = await producer.transaction()
      try {
        const result = await work(async (topic, messages) => {
          const { kafkaMessages } = await buildRecords(topic, messages)
          await txn.send({ topic, messages: kafkaMessages, acks: -1 })
        })
        await txn.commit()
        return result
      } catch (e) {
        await txn.abort().catch(() => undefined)
        throw fromKafkaJs(e, 'produce', { transactional: true })
      }
    },
  }
}

function validate(topic: string, messages: OutgoingMessage[]) {
  if (typeof topic !== 'string' || topic.length === 0) throw new ProduceError('topic must be a non-empty string', { context: { topic } })
  messages.forEach((m, index) => {
    if (m === null || typeof m !== 'object' || !('value' in m)) {
      throw new ProduceError('each message needs a value (null for a tombstone)', { context: { topic, index } })
    }
    if (m.partition !== undefined && (!Number.isInteger(m.partition) || m.partition < 0)) {
      throw new ProduceError(`invalid partition ${String(m.partition)}`, { context: { topic, index } })
    }
  })
}

/** Kafka returns one base offset per partition; messages of a partition keep their order in the request. */
function assignOffsets(topic: string, partitions: number[], metadata: RecordMetadata[]): ProducedRecord[] {
  const next = new Map<number, number>()
  for (const m of metadata) next.set(m.partition, toOffset(m.baseOffset ?? '-1', topic))
  return partitions.map((partition) => {
    const offset = next.get(partition) ?? -1
    next.set(partition, offset + 1)
    return { topic, partition, offset }
  })
}
