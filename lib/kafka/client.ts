/**
 * The KafkaClient port: everything Troupe needs from Kafka, in Troupe's own terms. One adapter
 * (./kafkajs/) implements it on kafkajs; tests may implement it with fakes. Offsets are plain numbers
 * (safe integers; the adapter refuses anything larger) so bookkeeping stays simple and exact.
 */
import type { Instrumentation } from '../instrumentation/instrumentation.js'

export type Headers = Record<string, string | Buffer | undefined>

export interface OutgoingMessage {
  value: Buffer | string | null
  key?: Buffer | string | null
  headers?: Headers
  /** Explicit partition; without it Kafka's default murmur2 partitioner picks one from the key. */
  partition?: number
  /** Epoch ms as the message timestamp; the broker's time when omitted. */
  timestamp?: number
}

export interface ProducedRecord {
  topic: string
  partition: number
  /** Offset of this message (the broker returns the batch base offset; the adapter adds the index). */
  offset: number
}

export interface IncomingMessage {
  readonly topic: string
  readonly partition: number
  readonly offset: number
  readonly key: Buffer | null
  readonly value: Buffer | null
  readonly headers: Record<string, Buffer | undefined>
  /** Epoch ms. */
  readonly timestamp: number
  /** Approximate size in bytes (key + value + headers), for back-pressure by bytes. */
  readonly size: number
}

export interface TopicPartition {
  topic: string
  partition: number
}

export interface TopicPartitionOffset extends TopicPartition {
  offset: number
}

export interface ProducerOptions {
  /** Idempotent producer (acks=all, retries safe against duplicates). Default true. */
  idempotent?: boolean
  /** A transactional id makes `transaction()` available. */
  transactionalId?: string
}

export interface Producer {
  connect(): Promise<void>
  disconnect(): Promise<void>
  /** Sends messages to one topic; resolves once the broker acknowledged all of them. */
  produce(topic: string, messages: OutgoingMessage[]): Promise<ProducedRecord[]>
  /** Runs `work` inside one Kafka transaction (all or nothing). Needs `transactionalId`. */
  transaction<T>(work: (send: (topic: string, messages: OutgoingMessage[]) => Promise<void>) => Promise<T>): Promise<T>
}

export interface TopicSpec {
  topic: string
  partitions?: number
  replicationFactor?: number
  /** Topic configs, e.g. { 'cleanup.policy': 'compact,delete', 'retention.ms': '604800000' }. */
  config?: Record<string, string>
}

export interface PartitionOffsets {
  partition: number
  /** First offset still in the log. */
  low: number
  /** Offset the next produced message will get (the high watermark). */
  high: number
}

export interface Admin {
  connect(): Promise<void>
  disconnect(): Promise<void>
  /** Creates topics that do not exist yet; existing ones are left as they are. Waits for leaders. */
  createTopics(specs: TopicSpec[]): Promise<void>
  deleteTopics(topics: string[]): Promise<void>
  listTopics(): Promise<string[]>
  partitionCount(topic: string): Promise<number>
  /** Low and high watermarks of every partition of a topic. */
  fetchTopicOffsets(topic: string): Promise<PartitionOffsets[]>
  /** The group's committed offsets for a topic (-1 where nothing is committed). */
  fetchCommittedOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]>
}

/** A batch of messages from one partition, in offset order. */
export interface FetchedBatch {
  topic: string
  partition: number
  messages: IncomingMessage[]
  /** The partition's high watermark when fetched: `lastOffset + 1 === highWatermark` means caught up. */
  highWatermark: number
}

export interface Assignment {
  /**
   * Troupe's generation id for this assignment: it increases with every join, and is never reused
   * within a process (kafkajs does not expose Kafka's own generation id at join time).
   */
  generationId: number
  memberId: string
  partitions: TopicPartition[]
}

/**
 * What a GroupConsumer tells its owner. kafkajs has no revocation callback, so the adapter infers
 * `revoking` from a rebalance it detects (every owned partition is about to be revoked: drain and
 * commit now, while the old generation may still commit) and `assigned` from each completed join.
 */
export interface GroupConsumerListener {
  /** Called for each fetched batch. Must return quickly (enqueue, don't process): heartbeats wait. */
  onBatch(batch: FetchedBatch): void
  /** A rebalance started; all current partitions are being revoked. */
  onRevoking(partitions: TopicPartition[]): void
  /** A join completed with these partitions (possibly none). Replaces any earlier assignment. */
  onAssigned(assignment: Assignment): void
  /** The client crashed and will not recover on its own (kafkajs CRASH without restart). */
  onCrash(error: Error): void
}

export interface GroupConsumerOptions {
  groupId: string
  topics: string[]
  /** Where to start a partition that has no committed offset. */
  beginOffset: 'earliest' | 'latest'
  sessionTimeout: number
  rebalanceTimeout: number
  heartbeatInterval: number
  minBytes: number
  maxBytes: number
  maxBytesPerPartition: number
  maxWaitTime: number
  /** Receives group.joined and group.rebalancing. */
  instrumentation?: Instrumentation
}

export interface GroupConsumer {
  /** Connects, subscribes, joins and starts fetching; batches flow to the listener. */
  start(listener: GroupConsumerListener): Promise<void>
  /** Leaves the group and disconnects (no commit: the owner commits before calling this). */
  stop(): Promise<void>
  pause(partitions: TopicPartition[]): void
  resume(partitions: TopicPartition[]): void
  /** Fetching of this partition restarts at `offset` (nothing is committed by seeking). */
  seek(tp: TopicPartitionOffset): void
  /** Commits offsets (each the next offset to read) for the current generation. */
  commit(offsets: TopicPartitionOffset[]): Promise<void>
}

export interface KafkaClient {
  readonly brokers: string[]
  producer(options?: ProducerOptions): Producer
  admin(): Admin
  groupConsumer(options: GroupConsumerOptions): GroupConsumer
  /** Releases connections shared by this client's producers and admins (not group consumers). */
  close(): Promise<void>
}
