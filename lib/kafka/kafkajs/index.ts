import kafkajs from 'kafkajs'
import type { Admin as KafkaJsAdmin, logCreator, LogEntry } from 'kafkajs'
import { ConfigError } from '../../errors.js'
import type { KafkaClient } from '../client.js'
import { createKafkaJsAdmin } from './admin.js'
import { createKafkaJsGroupConsumer } from './group-consumer.js'
import { applyIdlePollingFix } from './idle-polling-fix.js'
import { createKafkaJsProducer } from './producer.js'

export interface KafkaJsClientOptions {
  /** 'host:port' strings, or one comma-separated string. */
  brokers: string[] | string
  clientId?: string
  /** kafkajs's own log level; default 'error'. */
  logLevel?: 'nothing' | 'error' | 'warn' | 'info' | 'debug'
  /** Where kafkajs log lines go; default console.error with a `[kafkajs]` prefix. */
  log?: (entry: { level: string; namespace: string; message: string; extra: Record<string, unknown> }) => void
  connectionTimeout?: number
  requestTimeout?: number
  /** Stop kafkajs 2.2.4's 1 ms idle polling (see idle-polling-fix.ts). Default true. */
  idlePollingFix?: boolean
}

const LEVELS = { nothing: kafkajs.logLevel.NOTHING, error: kafkajs.logLevel.ERROR, warn: kafkajs.logLevel.WARN, info: kafkajs.logLevel.INFO, debug: kafkajs.logLevel.DEBUG }

export function parseBrokers(brokers: string[] | string): string[] {
  const list = (Array.isArray(brokers) ? brokers : brokers.split(',')).map((b) => b.trim()).filter(Boolean)
  if (list.length === 0) throw new ConfigError('at least one broker is required (host:port)', { brokers })
  for (const b of list) {
    if (!/^[^:\s]+:\d+$/.test(b)) throw new ConfigError(`broker ${JSON.stringify(b)} is not host:port`, { brokers })
  }
  return list
}

/** The one adapter of the KafkaClient port, on kafkajs. */
export function createKafkaClient(options: KafkaJsClientOptions): KafkaClient {
  const brokers = parseBrokers(options.brokers)
  if (options.idlePollingFix !== false) applyIdlePollingFix()
  const sink = options.log ?? ((e) => console.error(`[kafkajs] ${e.level} ${e.namespace}: ${e.message}`))
  const creator: logCreator = () => ({ namespace, level, log }: LogEntry) => {
    const { message, ...extra } = log
    sink({ level: kafkajs.logLevel[level] ?? String(level), namespace, message, extra })
  }
  const kafka = new kafkajs.Kafka({
    clientId: options.clientId ?? 'troupe',
    brokers,
    logLevel: LEVELS[options.logLevel ?? 'error'],
    logCreator: creator,
    connectionTimeout: options.connectionTimeout ?? 3000,
    requestTimeout: options.requestTimeout ?? 30000,
  })

  // One admin connection shared by the admin API and the producers' partition planning.
  let admin: KafkaJsAdmin | undefined
  let adminReady: Promise<KafkaJsAdmin> | undefined
  const connectedAdmin = () =>
    (adminReady ??= (async () => {
      admin = kafka.admin()
      await admin.connect()
      return admin
    })().catch((e) => {
      adminReady = undefined
      throw e
    }))
  const disconnectAdmin = async () => {
    const a = adminReady
    adminReady = undefined
    if (a) await (await a.catch(() => undefined))?.disconnect()
  }

  return {
    brokers,
    producer: (producerOptions) => createKafkaJsProducer(kafka, connectedAdmin, producerOptions),
    admin: () => createKafkaJsAdmin(connectedAdmin, disconnectAdmin),
    groupConsumer: (consumerOptions) => createKafkaJsGroupConsumer(kafka, consumerOptions),
    close: disconnectAdmin,
  }
}
