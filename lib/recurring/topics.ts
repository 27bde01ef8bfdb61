import type { Admin, TopicSpec } from '../kafka/client.js'

export interface RecurringTopics {
  /** State snapshots and commands; one partition, so one group member owns the schedule. */
  schedules: string
  /** One record per task run; nothing consumes it, it is there for people and tools. */
  logs: string
}

export interface RecurringTopicOptions {
  /** How long superseded snapshots and old commands stay before deletion. Default 7 days. */
  schedulesRetentionMs?: number
  /** How long run records are kept. Default 7 days. */
  logsRetentionMs?: number
  replicationFactor?: number
  /** Partitions of the logs topic (records are keyed by task id). Default 1. */
  logsPartitions?: number
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000

/**
 * Topic specs for recurring tasks. The schedules topic is compact+delete: compaction keeps the newest
 * snapshot (all share one key) and the newest command per kind and task, and deletion bounds the rest.
 * Segments roll hourly so compaction has closed segments to work on in a quiet topic.
 */
export function recurringTopicSpecs(topics: RecurringTopics, options: RecurringTopicOptions = {}): TopicSpec[] {
  const replicationFactor = options.replicationFactor ?? 1
  return [
    {
      topic: topics.schedules,
      partitions: 1,
      replicationFactor,
      config: {
        'cleanup.policy': 'compact,delete',
        'retention.ms': String(options.schedulesRetentionMs ?? WEEK_MS),
        'segment.ms': String(60 * 60 * 1000),
      },
    },
    {
      topic: topics.logs,
      partitions: options.logsPartitions ?? 1,
      replicationFactor,
      config: { 'cleanup.policy': 'delete', 'retention.ms': String(options.logsRetentionMs ?? WEEK_MS) },
    },
  ]
}

/** Creates whichever of the two topics is missing; existing topics are left as they are. */
export async function createRecurringTopics(admin: Admin, topics: RecurringTopics, options: RecurringTopicOptions = {}): Promise<void> {
  await admin.createTopics(recurringTopicSpecs(topics, options))
}
