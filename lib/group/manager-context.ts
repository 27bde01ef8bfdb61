import type { Supervisor } from '../actor/supervisor.js'
import type { Events } from '../instrumentation/events.js'
import type { GroupConsumer, Producer } from '../kafka/client.js'
import type { Clock } from '../time/clock.js'
import type { GroupConfig, ResolvedConsumerConfig } from './config.js'
import type { PartitionState } from './partition-state.js'

export type Emit = (name: (typeof Events)[keyof typeof Events], payload?: Record<string, unknown>) => void

/** What the group manager's parts (delivery, commits, worker hosting) share for one member incarnation. */
export interface ManagerContext {
  readonly config: GroupConfig<any, any>
  readonly resolved: ResolvedConsumerConfig
  readonly clock: Clock
  readonly emit: Emit
  readonly producer: Producer
  /** The dynamic supervisor partition workers run under (temporary children: the manager restarts them). */
  readonly workers: Supervisor
  /** Owned partitions by `topic/partition`. */
  readonly partitions: Map<string, PartitionState>
  consumer: GroupConsumer | undefined
}
