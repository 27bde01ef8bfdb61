import { CommitError, KafkaClientError, KafkaConnectionError, ProduceError, TopicAdminError } from '../../errors.js'
import type { ErrorContext } from '../../errors.js'

interface KafkaJsLikeError {
  name?: string
  message?: string
  retriable?: boolean
  type?: string
}

const CONNECTION_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSBrokerNotFound',
  'KafkaJSRequestTimeoutError',
])

/** The kafkajs facts worth keeping on our error: its class name, protocol error type and retriability. */
function describe(thrown: unknown): { name: string; type?: string; retriable: boolean; message: string } {
  const e = (thrown ?? {}) as KafkaJsLikeError
  const cause = (e as { originalError?: KafkaJsLikeError }).originalError
  return {
    name: e.name ?? 'Error',
    type: e.type ?? cause?.type,
    retriable: Boolean(e.retriable),
    message: e.message ?? String(thrown),
  }
}

type Operation = 'produce' | 'admin' | 'commit' | 'consume'

/** Translates whatever kafkajs threw into Troupe's hierarchy, keeping retriable and the protocol type. */
export function fromKafkaJs(thrown: unknown, operation: Operation, context: ErrorContext = {}): KafkaClientError {
  if (thrown instanceof KafkaClientError) return thrown
  const d = describe(thrown)
  const ctx = { ...context, kafkajsError: d.name, ...(d.type ? { protocolError: d.type } : {}) }
  const options = { retriable: d.retriable, context: ctx, cause: thrown }
  // A broker that cannot be reached now may be reachable later, whatever kafkajs's own retries said.
  if (CONNECTION_ERRORS.has(d.name)) return new KafkaConnectionError(`${operation}: ${d.message}`, { ...options, retriable: true })
  switch (operation) {
    case 'produce':
      return new ProduceError(d.message, options)
    case 'admin':
      return new TopicAdminError(d.message, options)
    case 'commit':
      return new CommitError(d.message, options)
    default:
      return new KafkaClientError('TROUPE_CONSUME_FAILED', d.message, options)
  }
}
