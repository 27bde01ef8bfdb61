/**
 * The envelope's wire vocabulary. Everything the dispatcher needs to know about a scheduled message
 * travels in Kafka headers, so the value stays the user's bytes, untouched, from schedule to target.
 * All names share one reserved prefix: user headers may not use it, and it is stripped on dispatch.
 */
export const RESERVED_PREFIX = 'troupe.'

/** Envelope schema version we write and the highest one we can read. Bumped on incompatible change. */
export const ENVELOPE_SCHEMA_VERSION = 1

/** Schema version of the JSON payload published on the states topic. */
export const STATES_SCHEMA_VERSION = 1

export const Header = {
  schema: 'troupe.schema',
  /** One of SOURCE_TYPES: what this proxy record means. */
  type: 'troupe.type',
  /** Due time, epoch milliseconds as a decimal string. */
  targetAt: 'troupe.target.at',
  targetTopic: 'troupe.target.topic',
  targetPartition: 'troupe.target.partition',
  targetKey: 'troupe.target.key',
  /** On the delivered message and on the tombstone: where the proxy record was. */
  sourceTopic: 'troupe.source.topic',
  sourcePartition: 'troupe.source.partition',
  sourceOffset: 'troupe.source.offset',
  sourceKey: 'troupe.source.key',
} as const

export const SOURCE_TYPES = ['schedule', 'cancel', 'tombstone'] as const
export type SourceType = (typeof SOURCE_TYPES)[number]

export function isSourceType(value: string): value is SourceType {
  return (SOURCE_TYPES as readonly string[]).includes(value)
}

export function isReservedHeader(name: string): boolean {
  return name.startsWith(RESERVED_PREFIX)
}
