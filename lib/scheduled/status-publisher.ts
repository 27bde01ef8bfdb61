import { Events } from '../instrumentation/events.js'
import type { Instrumentation } from '../instrumentation/instrumentation.js'
import type { Producer } from '../kafka/client.js'
import { buildStatusMessage, type PartitionStatus } from './partition-status.js'

export interface StatusPublisher {
  publish(status: PartitionStatus): void
  /** Resolves once everything handed over so far was written (or failed and was reported). */
  flush(): Promise<void>
}

/**
 * Writes partition statuses to the states topic without slowing dispatch down: one write in flight
 * per partition, and while it is in flight only the newest status waits (older ones are superseded,
 * and the topic is compacted to the latest per partition anyway). Failures are reported, not thrown.
 */
export function createStatusPublisher(producer: Producer, statesTopic: string, instrumentation: Instrumentation): StatusPublisher {
  const waiting = new Map<number, PartitionStatus>()
  const writing = new Map<number, Promise<void>>()

  const drain = (partition: number): Promise<void> => {
    const run = (async () => {
      for (let next = waiting.get(partition); next; next = waiting.get(partition)) {
        waiting.delete(partition)
        try {
          await producer.produce(statesTopic, [buildStatusMessage(next)])
        } catch (error) {
          instrumentation.emit(Events.ERROR, { error, type: 'scheduled.status_publish', topic: statesTopic, partition })
        }
      }
    })().finally(() => writing.delete(partition))
    writing.set(partition, run)
    return run
  }

  return {
    publish(status) {
      waiting.set(status.partition, status)
      if (!writing.has(status.partition)) void drain(status.partition)
    },
    async flush() {
      while (writing.size > 0) await Promise.all([...writing.values()])
    },
  }
}
