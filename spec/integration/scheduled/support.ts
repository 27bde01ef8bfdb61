import type { GroupConsumer, IncomingMessage, KafkaClient } from '../../../lib/kafka/client.js'
import { createInstrumentation, type InstrumentationEvent } from '../../../lib/instrumentation/instrumentation.js'
import { createScheduledMessages, createScheduledTopics, type ScheduledMessagesOptions } from '../../../lib/scheduled/index.js'
import { testClient, unique } from '../../support/kafka.js'

export interface Received {
  message: IncomingMessage
  /** Wall-clock ms when the collector got it. */
  at: number
}

/** Reads a target topic from the start, collecting everything that arrives. */
async function collect(client: KafkaClient, topic: string): Promise<{ received: Received[]; consumer: GroupConsumer }> {
  const received: Received[] = []
  const consumer = client.groupConsumer({
    groupId: unique('sched-collector'), topics: [topic], beginOffset: 'earliest',
    sessionTimeout: 10_000, rebalanceTimeout: 10_000, heartbeatInterval: 1000,
    minBytes: 1, maxBytes: 1024 * 1024, maxBytesPerPartition: 1024 * 1024, maxWaitTime: 100,
  })
  await consumer.start({
    onBatch: (batch) => {
      const at = Date.now()
      for (const message of batch.messages) received.push({ message, at })
    },
    onAssigned: () => undefined,
    onRevoking: () => undefined,
    onCrash: () => undefined,
  })
  return { received, consumer }
}

/** A proxy, states and target topic of one scenario, a collector on the target, and a way to start dispatchers. */
export async function createScenario(name: string, partitions = 1) {
  const client = testClient(`sched-${name}`)
  const admin = client.admin()
  const proxyTopic = unique(`sched-${name}-proxy`)
  const statesTopic = unique(`sched-${name}-states`)
  const targetTopic = unique(`sched-${name}-target`)
  const groupId = unique(`sched-${name}`)
  await createScheduledTopics(admin, { proxyTopic, statesTopic, partitions })
  await admin.createTopics([{ topic: targetTopic, partitions: 1 }])
  const { received, consumer } = await collect(client, targetTopic)
  const events: InstrumentationEvent[] = []
  const instrumentation = createInstrumentation()
  instrumentation.on('*', (e) => void events.push(e))
  const started: Array<ReturnType<typeof createScheduledMessages>> = []

  return {
    client, proxyTopic, statesTopic, targetTopic, groupId, received, events, instrumentation,
    /** A scheduled-messages instance on this scenario's topics (not started). */
    instance(extra: Partial<ScheduledMessagesOptions> = {}) {
      const s = createScheduledMessages({ client, proxyTopic, statesTopic, groupId, instrumentation, ...extra })
      started.push(s)
      return s
    },
    values: () => received.map((r) => r.message.value?.toString()),
    named: (n: string) => events.filter((e) => e.name === n),
    async cleanup() {
      await Promise.all(started.map((s) => s.stop().catch(() => undefined)))
      await consumer.stop()
      await admin.deleteTopics([proxyTopic, statesTopic, targetTopic]).catch(() => undefined)
      await client.close()
    },
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
