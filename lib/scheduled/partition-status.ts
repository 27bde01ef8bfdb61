import type { OutgoingMessage } from '../kafka/client.js'
import type { PartitionPhase } from './dispatcher-machine.js'
import { Header, STATES_SCHEMA_VERSION } from './headers.js'

/** One proxy partition's figures, as published on the states topic (JSON, one record per partition). */
export interface PartitionStatus {
  schemaVersion: number
  proxyTopic: string
  partition: number
  state: PartitionPhase
  /** UTC day label of the window being served. */
  day: string
  /** Messages waiting in memory: due today (plus the short after-midnight lookahead). */
  dueToday: number
  /** Pending messages per later UTC day. */
  futureDays: Record<string, number>
  /** Since this dispatcher started. */
  dispatched: number
  cancelled: number
  rejected: number
  reloads: number
  /** Records read by the last (re)load, and how long it took. */
  loadedRecords: number
  loadDurationMs: number | undefined
  loadedAt: number | undefined
  updatedAt: number
}

/** Key of a partition's status record: compaction keeps the latest one per proxy partition. */
export function statusKey(proxyTopic: string, partition: number): string {
  return `${proxyTopic}:${partition}`
}

/** The states topic has as many partitions as the proxy topic: partition N's status goes to partition N. */
export function buildStatusMessage(status: PartitionStatus): OutgoingMessage {
  return {
    key: statusKey(status.proxyTopic, status.partition),
    value: JSON.stringify(status),
    partition: status.partition,
    headers: { [Header.schema]: String(STATES_SCHEMA_VERSION) },
  }
}

/** Reads a status record back (for dashboards and specs); undefined when it is not one of ours. */
export function parseStatus(value: Buffer | string | null): PartitionStatus | undefined {
  if (value === null) return undefined
  try {
    const parsed = JSON.parse(value.toString()) as PartitionStatus
    return parsed && parsed.schemaVersion === STATES_SCHEMA_VERSION ? parsed : undefined
  } catch {
    return undefined
  }
}
