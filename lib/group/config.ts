import { ConfigError } from '../errors.js'
import type { KafkaClient } from '../kafka/client.js'
import { toMs } from '../time/duration.js'
import type { Duration } from '../time/duration.js'
import type { MessageHandler } from './handler.js'

/** How a partition's fetching and committing behave; every field is optional (defaults below). */
export interface ConsumerConfig {
  /** Where to start a partition that has no committed offset. Default 'latest' (as Elsa). */
  beginOffset?: 'earliest' | 'latest'
  /** Where to restart when the committed offset is out of range (deleted by retention). Default = beginOffset. */
  offsetResetPolicy?: 'earliest' | 'latest'
  /** Broker waits for at least this many bytes per fetch (up to maxWaitTime). Default 1. */
  minBytes?: number
  /** Most bytes fetched per partition at a time (Elsa's max_bytes). Default 1 MiB. */
  maxBytes?: number
  /** Most bytes in one fetch response across partitions. Default 10 MiB (and at least maxBytes). */
  maxBytesPerFetch?: number
  /** Longest the broker holds a fetch waiting for minBytes. Default '500ms'. */
  maxWaitTime?: Duration
  /**
   * Elsa's wait after an empty fetch. On kafkajs an empty fetch waits at the broker (a long poll)
   * instead of sleeping in the client, so this sets maxWaitTime; give one or the other.
   */
  sleepTimeout?: Duration
  /** Messages fetched ahead of release (ack or continue) per partition before fetching pauses. Default 2000. */
  prefetchCount?: number
  /** Bytes fetched ahead of release per partition before fetching pauses. Default 10 MiB. */
  prefetchBytes?: number
  /** Most messages per handleMessages call. Default 1000 (fewer, larger hand-offs: see docs/reference/benchmarks.md). */
  maxBatchSize?: number
  sessionTimeout?: Duration
  rebalanceTimeout?: Duration
  heartbeatInterval?: Duration
  /** How often acked offsets are committed (also on revocation and shutdown). Default '1s'. */
  commitInterval?: Duration
  /** Crashed workers restart locally after a backoff: initial delay, doubled per crash, capped. */
  restartBackoff?: { initial?: Duration; max?: Duration }
  /** What to do when the same offset crashed the worker `maxAttempts` times (default 5). */
  onRepeatedFailure?: { maxAttempts?: number; action?: 'stop_partition' | 'dead_letter'; deadLetterTopic?: string }
}

export interface GroupConfig<S = unknown, A = unknown> {
  /** Name under which the group manager registers (default: groupId). */
  name?: string
  /** Brokers ('host:port' list or comma string); or give `client`. */
  brokers?: string[] | string
  client?: KafkaClient
  groupId: string
  topics: string[]
  handler: MessageHandler<S, A>
  handlerInitArgs?: A
  config?: ConsumerConfig
}

/** Every option resolved to milliseconds and numbers. */
export interface ResolvedConsumerConfig {
  beginOffset: 'earliest' | 'latest'
  offsetResetPolicy: 'earliest' | 'latest'
  minBytes: number
  maxBytes: number
  maxBytesPerFetch: number
  maxWaitTime: number
  prefetchCount: number
  prefetchBytes: number
  maxBatchSize: number
  sessionTimeout: number
  rebalanceTimeout: number
  heartbeatInterval: number
  commitInterval: number
  restartBackoff: { initial: number; max: number }
  onRepeatedFailure: { maxAttempts: number; action: 'stop_partition' | 'dead_letter'; deadLetterTopic?: string }
}

const KNOWN = new Set(['beginOffset', 'offsetResetPolicy', 'minBytes', 'maxBytes', 'maxBytesPerFetch', 'maxWaitTime', 'sleepTimeout', 'prefetchCount', 'prefetchBytes', 'maxBatchSize', 'sessionTimeout', 'rebalanceTimeout', 'heartbeatInterval', 'commitInterval', 'restartBackoff', 'onRepeatedFailure'])

const positiveInt = (name: string, value: unknown, fallback: number): number => {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(`${name} must be a positive integer, got ${JSON.stringify(value)}`, { option: name, value })
  }
  return value
}

const oneOf = <T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T => {
  if (value === undefined) return fallback
  if (!allowed.includes(value as T)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`, { option: name, value })
  }
  return value as T
}

const duration = (name: string, value: Duration | undefined, fallback: Duration): number => toMs(value ?? fallback, { option: name })

/** Validates a group's config at start; anything wrong is a ConfigError naming the option. */
export function resolveGroupConfig(config: GroupConfig<any, any>): ResolvedConsumerConfig {
  if (!config || typeof config !== 'object') throw new ConfigError('group config must be an object')
  if (typeof config.groupId !== 'string' || config.groupId.length === 0) throw new ConfigError('groupId is required', { option: 'groupId' })
  if (!Array.isArray(config.topics) || config.topics.length === 0 || config.topics.some((t) => typeof t !== 'string' || !t)) {
    throw new ConfigError('topics must be a non-empty list of topic names', { option: 'topics', value: config.topics })
  }
  if (!config.handler || typeof config.handler.handleMessages !== 'function') {
    throw new ConfigError('handler must implement handleMessages(messages, state, context)', { option: 'handler' })
  }
  if (!config.client && !config.brokers) throw new ConfigError('brokers (or a client) are required', { option: 'brokers' })
  const c: ConsumerConfig = config.config ?? {}
  for (const key of Object.keys(c)) {
    if (!KNOWN.has(key)) throw new ConfigError(`unknown consumer option ${JSON.stringify(key)}`, { option: key })
  }
  if (c.sleepTimeout !== undefined && c.maxWaitTime !== undefined) {
    throw new ConfigError('give maxWaitTime or sleepTimeout, not both: on kafkajs both set how long an empty fetch waits at the broker', { option: 'sleepTimeout' })
  }
  const beginOffset = oneOf('beginOffset', c.beginOffset, ['earliest', 'latest'] as const, 'latest')
  const sessionTimeout = duration('sessionTimeout', c.sessionTimeout, '30s')
  const heartbeatInterval = duration('heartbeatInterval', c.heartbeatInterval, '3s')
  if (heartbeatInterval >= sessionTimeout) {
    throw new ConfigError('heartbeatInterval must be shorter than sessionTimeout', { heartbeatInterval, sessionTimeout })
  }
  const failure = c.onRepeatedFailure ?? {}
  const action = oneOf('onRepeatedFailure.action', failure.action, ['stop_partition', 'dead_letter'] as const, 'stop_partition')
  if (action === 'dead_letter' && !failure.deadLetterTopic) {
    throw new ConfigError("onRepeatedFailure.action 'dead_letter' needs deadLetterTopic", { option: 'onRepeatedFailure.deadLetterTopic' })
  }
  const maxBytes = positiveInt('maxBytes', c.maxBytes, 1024 * 1024)
  const resolved: ResolvedConsumerConfig = {
    beginOffset,
    offsetResetPolicy: oneOf('offsetResetPolicy', c.offsetResetPolicy, ['earliest', 'latest'] as const, beginOffset),
    minBytes: positiveInt('minBytes', c.minBytes, 1),
    maxBytes,
    maxBytesPerFetch: Math.max(maxBytes, positiveInt('maxBytesPerFetch', c.maxBytesPerFetch, 10 * 1024 * 1024)),
    maxWaitTime: duration(c.sleepTimeout !== undefined ? 'sleepTimeout' : 'maxWaitTime', c.maxWaitTime ?? c.sleepTimeout, '500ms'),
    prefetchCount: positiveInt('prefetchCount', c.prefetchCount, 2000),
    prefetchBytes: positiveInt('prefetchBytes', c.prefetchBytes, 10 * 1024 * 1024),
    maxBatchSize: positiveInt('maxBatchSize', c.maxBatchSize, 1000),
    sessionTimeout,
    rebalanceTimeout: duration('rebalanceTimeout', c.rebalanceTimeout, '60s'),
    heartbeatInterval,
    commitInterval: duration('commitInterval', c.commitInterval, '1s'),
    restartBackoff: {
      initial: duration('restartBackoff.initial', c.restartBackoff?.initial, '100ms'),
      max: duration('restartBackoff.max', c.restartBackoff?.max, '10s'),
    },
    onRepeatedFailure: {
      maxAttempts: positiveInt('onRepeatedFailure.maxAttempts', failure.maxAttempts, 5),
      action,
      ...(failure.deadLetterTopic ? { deadLetterTopic: failure.deadLetterTopic } : {}),
    },
  }
  return resolved
}
