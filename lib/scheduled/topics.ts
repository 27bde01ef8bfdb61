import type { Admin } from '../kafka/client.js'
import { ConfigError } from '../errors.js'
import { toMs, type Duration } from '../time/duration.js'

export interface ScheduledTopicsOptions {
  proxyTopic: string
  statesTopic: string
  /** Partitions of both topics: one dispatcher per proxy partition, status N goes to states partition N. */
  partitions: number
  replicationFactor?: number
  /** How long proxy records live at most (longer than the furthest schedule you accept). Default '30d'. */
  retention?: Duration
}

/**
 * Creates the proxy topic (compact: a cancel or tombstone erases its schedule; delete: nothing lives
 * past the retention) and the states topic (compact: the latest status per partition). Topics that
 * exist are left as they are, but a partition count that does not match is refused.
 */
export async function createScheduledTopics(admin: Admin, options: ScheduledTopicsOptions): Promise<void> {
  const retentionMs = toMs(options.retention ?? '30d', { option: 'retention' })
  const replicationFactor = options.replicationFactor ?? 1
  await admin.createTopics([
    {
      topic: options.proxyTopic,
      partitions: options.partitions,
      replicationFactor,
      config: { 'cleanup.policy': 'compact,delete', 'retention.ms': String(retentionMs) },
    },
    {
      topic: options.statesTopic,
      partitions: options.partitions,
      replicationFactor,
      config: { 'cleanup.policy': 'compact' },
    },
  ])
  const [proxy, states] = await Promise.all([admin.partitionCount(options.proxyTopic), admin.partitionCount(options.statesTopic)])
  if (proxy !== states) {
    throw new ConfigError('the states topic needs as many partitions as the proxy topic', {
      proxyTopic: options.proxyTopic, proxyPartitions: proxy, statesTopic: options.statesTopic, statesPartitions: states,
    })
  }
}
