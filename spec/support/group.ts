import type { Message, MessageHandler } from '../../lib/group/handler.js'
import { ack } from '../../lib/group/handler.js'
import type { KafkaClient } from '../../lib/kafka/client.js'
import { testClient, unique, withTopics } from './kafka.js'
import { createGroup } from '../../lib/group/group.js'
import type { GroupConfig } from '../../lib/group/config.js'

/** Records what each handler call saw, per member, so scenarios can check delivery exactly. */
export interface Seen {
  member: string
  topic: string
  partition: number
  offset: number
  value: string
  generationId: number
}

export function recordingHandler(member: string, seen: Seen[]): MessageHandler<null, unknown> {
  return {
    handleMessages(messages: Message[], state, ctx) {
      for (const m of messages) {
        seen.push({ member, topic: m.topic, partition: m.partition, offset: m.offset, value: m.value?.toString() ?? '', generationId: ctx.generationId })
      }
      return ack(state)
    },
  }
}

export async function produceNumbered(client: KafkaClient, topic: string, count: number, partitions: number, prefix = 'm'): Promise<void> {
  const producer = client.producer()
  const messages = Array.from({ length: count }, (_, i) => ({ value: `${prefix}${i}`, partition: i % partitions }))
  for (let i = 0; i < messages.length; i += 500) await producer.produce(topic, messages.slice(i, i + 500))
  await producer.disconnect()
}

export async function committedTotal(client: KafkaClient, groupId: string, topic: string): Promise<number> {
  const committed = await client.admin().fetchCommittedOffsets(groupId, topic)
  return committed.reduce((n, c) => n + Math.max(0, c.offset), 0)
}

export const fastGroupConfig = {
  beginOffset: 'earliest' as const,
  sessionTimeout: '10s',
  heartbeatInterval: '500ms',
  rebalanceTimeout: '10s',
  maxWaitTime: '100ms',
  commitInterval: '200ms',
}

/**
 * A group whose handler takes `delayMs` per batch and prints `handled <partition> <offset>` for each
 * message before acking it: the member processes of the SIGKILL and SIGTERM scenarios run this.
 */
export function slowPrintingGroup(client: KafkaClient, topic: string, groupId: string, delayMs: number, config: GroupConfig['config'] = {}) {
  return createGroup({
    client,
    groupId,
    topics: [topic],
    handler: {
      async handleMessages(messages, state) {
        await new Promise((r) => setTimeout(r, delayMs))
        for (const m of messages) process.stdout.write(`handled ${m.partition} ${m.offset}\n`)
        return ack(state)
      },
    },
    config: { ...fastGroupConfig, maxBatchSize: 10, ...config },
  })
}

/** A fresh topic of `partitions` holding `count` numbered messages, a fresh group id, and a cleanup. */
export async function numberedTopic(name: string, partitions: number, count: number) {
  const client = testClient()
  const topic = unique(name)
  const groupId = unique(`${name}-group`)
  const cleanup = await withTopics(client, [{ topic, partitions }])
  await produceNumbered(client, topic, count, partitions)
  return { client, topic, groupId, cleanup }
}
