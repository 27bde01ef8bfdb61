import { Events } from '../instrumentation/events.js'
import type { GroupConsumer, Producer } from '../kafka/client.js'
import type { ResolvedConsumerConfig } from './config.js'
import type { Message } from './handler.js'
import type { PartitionState } from './partition-state.js'

export interface RepeatedFailure {
  ps: PartitionState
  /** The batch that crashed the worker the last time (one message once isolation kicked in). */
  failed: Message[]
  error: Error
  resolved: ResolvedConsumerConfig
  producer: Producer
  consumer: GroupConsumer | undefined
  emit: (name: (typeof Events)[keyof typeof Events], payload?: Record<string, unknown>) => void
}

const header = (value: string | number) => Buffer.from(String(value))

/**
 * The same offset crashed the worker `maxAttempts` times. Either stop the partition (nothing is
 * skipped; it waits for a fix and a restart) or move the failing messages to a dead-letter topic with
 * where they came from and why, ack them, and carry on after them. If the dead-letter write itself
 * fails the partition stops: a message is never dropped without a copy.
 */
export async function handleRepeatedFailure(f: RepeatedFailure): Promise<'stopped' | 'skipped'> {
  const { ps, failed, error, resolved, emit } = f
  const policy = resolved.onRepeatedFailure
  if (policy.action === 'dead_letter' && policy.deadLetterTopic && failed.length > 0) {
    try {
      await f.producer.produce(
        policy.deadLetterTopic,
        failed.map((m) => ({
          key: m.key,
          value: m.value,
          headers: {
            ...m.headers,
            'troupe-dlq-topic': header(m.topic),
            'troupe-dlq-partition': header(m.partition),
            'troupe-dlq-offset': header(m.offset),
            'troupe-dlq-error': header(error.message.slice(0, 1000)),
            'troupe-dlq-attempts': header(ps.failure?.attempts ?? 0),
          },
        })),
      )
      const offsets = failed.map((m) => m.offset)
      ps.tracker?.ackOffsets(offsets)
      ps.failure = undefined
      emit(Events.DEAD_LETTERED, { ...ps.tp, offsets, deadLetterTopic: policy.deadLetterTopic, error })
      return 'skipped'
    } catch (produceError) {
      emit(Events.ERROR, { ...ps.tp, type: 'group.dead_letter', error: produceError })
    }
  }
  ps.status = 'stopped'
  ps.buffer.clear()
  if (!ps.paused) {
    ps.paused = true
    f.consumer?.pause([ps.tp])
  }
  emit(Events.PARTITION_STOPPED, { ...ps.tp, offset: ps.failure?.offset, attempts: ps.failure?.attempts, error })
  return 'stopped'
}
