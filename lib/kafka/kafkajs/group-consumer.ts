import type { Consumer, Kafka } from 'kafkajs'
import type {
  GroupConsumer,
  GroupConsumerListener,
  GroupConsumerOptions,
  TopicPartition,
  TopicPartitionOffset,
} from '../client.js'
import { Events } from '../../instrumentation/events.js'
import { fromKafkaJsMessage, toOffset } from './convert.js'
import { fromKafkaJs } from './errors.js'

/**
 * A group member on kafkajs, reshaped into explicit assignment events.
 *
 * kafkajs has no revocation callback. It reports a rebalance (REBALANCING) when a fetch or heartbeat
 * fails because the group is rebalancing, and then immediately re-joins; GROUP_JOIN follows once the
 * new assignment is known. So: REBALANCING (or a crash) -> `onRevoking(all owned partitions)`; while
 * the group is still preparing the rebalance the old generation may commit, which is the owner's
 * chance to flush acks. GROUP_JOIN -> `onAssigned` with a fresh generation. A join that happens without
 * a preceding REBALANCING (metadata change, unknown member) also revokes first, so owners always see
 * revoke-then-assign. kafkajs restarts every partition from its committed offset after each join.
 *
 * Batches are handed over without awaiting any processing (onBatch must only enqueue), which keeps
 * kafkajs's heartbeats flowing and stops one slow or failing handler from stalling other partitions.
 */
/**
 * Generation ids come from one counter for the whole process, not one per consumer: a group member
 * that is restarted (a new consumer) must never hand out an id an earlier incarnation used, or an ack
 * held from before the restart would pass the generation fence.
 */
let lastGenerationId = 0

export function createKafkaJsGroupConsumer(kafka: Kafka, options: GroupConsumerOptions): GroupConsumer {
  const consumer: Consumer = kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: options.sessionTimeout,
    rebalanceTimeout: options.rebalanceTimeout,
    heartbeatInterval: options.heartbeatInterval,
    minBytes: options.minBytes,
    maxBytes: options.maxBytes,
    maxBytesPerPartition: options.maxBytesPerPartition,
    maxWaitTimeInMs: options.maxWaitTime,
    allowAutoTopicCreation: false,
  })
  let generationId = 0
  const events = options.instrumentation
  let owned: TopicPartition[] = []
  let revoked = true
  let running = false
  const detach: Array<() => void> = []

  const revokeAll = (listener: GroupConsumerListener, cause: 'rebalance' | 'rejoin' | 'crash') => {
    if (revoked) return
    revoked = true
    events?.emit(Events.GROUP_REBALANCING, { groupId: options.groupId, generationId, cause, partitions: owned })
    listener.onRevoking(owned)
  }

  return {
    async start(listener) {
      if (running) return
      running = true
      const { GROUP_JOIN, REBALANCING, CRASH } = consumer.events
      detach.push(
        consumer.on(REBALANCING, () => revokeAll(listener, 'rebalance')),
        consumer.on(GROUP_JOIN, (event) => {
          revokeAll(listener, 'rejoin')
          generationId = ++lastGenerationId
          owned = Object.entries(event.payload.memberAssignment).flatMap(([topic, partitions]) =>
            (partitions as number[]).map((partition) => ({ topic, partition })),
          )
          revoked = false
          events?.emit(Events.GROUP_JOINED, {
            groupId: options.groupId, generationId, memberId: event.payload.memberId, isLeader: event.payload.isLeader, durationMs: event.payload.duration,
          })
          listener.onAssigned({ generationId, memberId: event.payload.memberId, partitions: owned })
        }),
        consumer.on(CRASH, (event) => {
          revokeAll(listener, 'crash')
          // With restart=true kafkajs re-creates its runner and joins again (GROUP_JOIN follows).
          if (!event.payload.restart) listener.onCrash(fromKafkaJs(event.payload.error, 'consume', { groupId: options.groupId }))
        }),
      )
      try {
        await consumer.connect()
        await consumer.subscribe({ topics: options.topics, fromBeginning: options.beginOffset === 'earliest' })
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: true,
          partitionsConsumedConcurrently: 1,
          eachBatch: async ({ batch, isStale }) => {
            // A seek is pending for this partition: what was fetched before it must not be delivered.
            if (isStale()) return
            listener.onBatch({
              topic: batch.topic,
              partition: batch.partition,
              highWatermark: toOffset(batch.highWatermark),
              messages: batch.messages.map((m) => fromKafkaJsMessage(batch.topic, batch.partition, m)),
            })
          },
        })
      } catch (e) {
        running = false
        throw fromKafkaJs(e, 'consume', { groupId: options.groupId })
      }
    },

    async stop() {
      if (!running) return
      running = false
      for (const off of detach.splice(0)) off()
      await consumer.disconnect()
    },

    pause: (partitions) => consumer.pause(grouped(partitions)),
    resume: (partitions) => consumer.resume(grouped(partitions)),

    seek({ topic, partition, offset }: TopicPartitionOffset) {
      consumer.seek({ topic, partition, offset: String(offset) })
    },

    async commit(offsets) {
      if (offsets.length === 0) return
      try {
        await consumer.commitOffsets(offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: String(o.offset) })))
      } catch (e) {
        throw fromKafkaJs(e, 'commit', { groupId: options.groupId, offsets })
      }
    },
  }
}

function grouped(partitions: TopicPartition[]): Array<{ topic: string; partitions: number[] }> {
  const byTopic = new Map<string, number[]>()
  for (const { topic, partition } of partitions) {
    const list = byTopic.get(topic) ?? []
    list.push(partition)
    byTopic.set(topic, list)
  }
  return [...byTopic].map(([topic, ps]) => ({ topic, partitions: ps }))
}
