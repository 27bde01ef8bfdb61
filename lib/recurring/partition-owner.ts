import { Events } from '../instrumentation/events.js'
import type { Instrumentation } from '../instrumentation/instrumentation.js'
import type { Admin, Assignment, FetchedBatch, GroupConsumer, GroupConsumerListener, TopicPartition } from '../kafka/client.js'
import type { ScheduleExecutor } from './executor.js'
import { decodeScheduleRecord, SCHEDULE_PARTITION } from './records.js'

export interface PartitionOwnerOptions {
  topic: string
  groupId: string
  admin: Admin
  /** Late-bound: the consumer is created after its listener. */
  consumer: () => GroupConsumer
  /** A fresh executor for each ownership of the partition. */
  newExecutor: () => ScheduleExecutor
  instrumentation: Instrumentation
  onCrash(error: Error): void
}

export interface PartitionOwner extends GroupConsumerListener {
  executor(): ScheduleExecutor | undefined
  /** Drops ownership; resolves once every executor it ran has stopped (in-flight runs finished). */
  stop(): Promise<void>
}

/**
 * Connects the group consumer to the executor. Owning partition 0 of the schedules topic means owning
 * the schedule: on assignment a new executor replays from the committed offset (always a snapshot) to
 * the end of the partition; on revocation it stops scheduling, letting in-flight runs finish.
 *
 * Listener callbacks must return at once, so each one only enqueues; the queue keeps batches,
 * assignments and revocations in the order they happened.
 */
export function createPartitionOwner(options: PartitionOwnerOptions): PartitionOwner {
  const { topic, groupId, admin, instrumentation } = options
  let queue: Promise<void> = Promise.resolve()
  let current: ScheduleExecutor | undefined
  let nextOffset = 0
  let lastCommandOffset = -1
  let commits: Promise<void> = Promise.resolve()
  const stopping = new Set<Promise<void>>()
  let closed = false

  const enqueue = (what: string, work: () => Promise<void> | void) => {
    queue = queue.then(work).catch((error: unknown) => {
      instrumentation.emit(Events.ERROR, { error, type: `recurring.${what}`, topic, groupId })
    })
  }

  const release = () => {
    const executor = current
    current = undefined
    if (!executor) return
    const stopped = executor.stop()
    stopping.add(stopped)
    void stopped.finally(() => stopping.delete(stopped))
  }

  // A snapshot is a safe restart point only if it reflects every command before it: otherwise a
  // replay starting there would never see those commands.
  const commitAt = (offset: number) => {
    commits = commits.then(() =>
      options.consumer().commit([{ topic, partition: SCHEDULE_PARTITION, offset }]).catch((error: unknown) => {
        instrumentation.emit(Events.COMMIT_FAILED, { error, topic, partition: SCHEDULE_PARTITION, offset, groupId })
      }),
    )
  }

  const owns = (partitions: TopicPartition[]) => partitions.some((p) => p.topic === topic && p.partition === SCHEDULE_PARTITION)

  const assume = async (assignment: Assignment) => {
    release()
    if (closed || !owns(assignment.partitions)) return
    const executor = options.newExecutor()
    current = executor
    lastCommandOffset = -1
    const [range] = (await admin.fetchTopicOffsets(topic)).filter((p) => p.partition === SCHEDULE_PARTITION)
    const [committed] = (await admin.fetchCommittedOffsets(groupId, topic)).filter((p) => p.partition === SCHEDULE_PARTITION)
    const low = range?.low ?? 0
    const high = range?.high ?? 0
    // Where kafkajs resumes: the committed offset, or the start of the log when none (or it was deleted).
    nextOffset = committed && committed.offset >= low ? committed.offset : low
    if (current === executor && nextOffset >= high) executor.replayDone() // nothing to read back
  }

  const consume = (batch: FetchedBatch) => {
    const executor = current
    if (!executor || batch.topic !== topic || batch.partition !== SCHEDULE_PARTITION) return
    for (const message of batch.messages) {
      if (message.offset < nextOffset) continue // fetched again after a seek or rejoin
      nextOffset = message.offset + 1
      const record = decodeScheduleRecord(message)
      if (record.kind === 'snapshot') {
        executor.loadSnapshot(record.snapshot, record.offset)
        const covered = record.snapshot.commandsAppliedThrough >= lastCommandOffset
        if (covered && executor.state() !== 'incompatible') commitAt(record.offset)
      } else if (record.kind === 'command') {
        lastCommandOffset = record.offset
        executor.command(record.command, record.offset)
      } else {
        instrumentation.emit(Events.ERROR, { type: 'recurring.invalid_record', reason: record.reason, topic, partition: SCHEDULE_PARTITION, offset: record.offset })
      }
    }
    if (executor.state() === 'replaying' && nextOffset >= batch.highWatermark) executor.replayDone()
  }

  return {
    onAssigned: (assignment) => enqueue('assign', () => assume(assignment)),
    onRevoking: () => enqueue('revoke', release),
    onBatch: (batch) => enqueue('batch', () => consume(batch)),
    onCrash(error) {
      enqueue('crash', release)
      options.onCrash(error)
    },
    executor: () => current,
    async stop() {
      closed = true
      enqueue('stop', release)
      await queue
      while (stopping.size > 0) await Promise.allSettled([...stopping])
      await commits
    },
  }
}
