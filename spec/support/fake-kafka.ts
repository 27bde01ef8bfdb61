import type {
  Admin, GroupConsumer, GroupConsumerListener, IncomingMessage, KafkaClient, Producer, TopicPartition, TopicPartitionOffset,
} from '../../lib/kafka/client.js'

/** A scripted GroupConsumer: the spec decides assignments and batches, and reads what the owner did. */
export interface FakeConsumer extends GroupConsumer {
  listener: GroupConsumerListener | undefined
  paused: Set<string>
  seeks: TopicPartitionOffset[]
  commits: TopicPartitionOffset[][]
  stopped: boolean
  assign(generationId: number, partitions: TopicPartition[]): void
  revoke(): void
  deliver(topic: string, partition: number, offsets: number[], highWatermark?: number): void
}

export function message(topic: string, partition: number, offset: number, value = `v${offset}`): IncomingMessage {
  const buf = Buffer.from(value)
  return { topic, partition, offset, key: null, value: buf, headers: {}, timestamp: 0, size: buf.length }
}

export function createFakeConsumer(): FakeConsumer {
  let owned: TopicPartition[] = []
  const fake: FakeConsumer = {
    listener: undefined,
    paused: new Set(),
    seeks: [],
    commits: [],
    stopped: false,
    async start(listener) {
      fake.listener = listener
    },
    async stop() {
      fake.stopped = true
    },
    pause: (tps) => tps.forEach((tp) => fake.paused.add(`${tp.topic}/${tp.partition}`)),
    resume: (tps) => tps.forEach((tp) => fake.paused.delete(`${tp.topic}/${tp.partition}`)),
    seek: (tpo) => void fake.seeks.push(tpo),
    async commit(offsets) {
      fake.commits.push(offsets)
    },
    assign(generationId, partitions) {
      owned = partitions
      fake.listener?.onAssigned({ generationId, memberId: 'm', partitions })
    },
    revoke() {
      fake.listener?.onRevoking(owned)
    },
    deliver(topic, partition, offsets, highWatermark) {
      fake.listener?.onBatch({
        topic, partition, highWatermark: highWatermark ?? (offsets[offsets.length - 1] ?? -1) + 1,
        messages: offsets.map((o) => message(topic, partition, o)),
      })
    },
  }
  return fake
}

export function createFakeProducer(sent: Array<{ topic: string; count: number }> = []): Producer {
  return {
    connect: async () => undefined,
    disconnect: async () => undefined,
    async produce(topic, messages) {
      sent.push({ topic, count: messages.length })
      return messages.map((_, i) => ({ topic, partition: 0, offset: i }))
    },
    transaction: async (work) => work(async () => undefined),
  }
}

export function createFakeClient(consumer: FakeConsumer, producer = createFakeProducer()): KafkaClient {
  const admin = {} as Admin
  return {
    brokers: ['fake:9092'],
    producer: () => producer,
    admin: () => admin,
    groupConsumer: () => consumer,
    close: async () => undefined,
  }
}

/** Lets pending promise callbacks and xstate's microtasks run. */
export const settle = async (turns = 10) => {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r))
}
