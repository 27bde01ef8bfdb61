import type { ChildSpec } from '../actor/child-spec.js'
import { fromService } from '../actor/service-logic.js'
import { createSupervisor } from '../actor/supervisor.js'
import type { Supervisor } from '../actor/supervisor.js'
import { fromSupervisor } from '../actor/supervisor-actor.js'
import { GroupError } from '../errors.js'
import { silentInstrumentation } from '../instrumentation/instrumentation.js'
import type { Instrumentation } from '../instrumentation/instrumentation.js'
import { createKafkaClient } from '../kafka/kafkajs/index.js'
import { systemClock } from '../time/clock.js'
import type { Clock } from '../time/clock.js'
import type { AckOutcome, AckRequest } from './acks.js'
import { resolveGroupConfig } from './config.js'
import type { GroupConfig } from './config.js'
import { createGroupManager } from './manager.js'
import type { GroupManager, PartitionInfo } from './manager.js'

export interface GroupEnvironment {
  clock?: Clock
  instrumentation?: Instrumentation
}

export interface Group {
  readonly name: string
  readonly groupId: string
  /**
   * The group as a child of a supervisor: a nested `one_for_all` supervisor of the worker supervisor
   * and the manager. If either fails for good both restart, and the restart is a fresh group member.
   */
  childSpec(env?: GroupEnvironment): ChildSpec
  /** How long a graceful stop of this group may take: its workers drain within the rebalance timeout. */
  readonly shutdownTimeoutMs: number
  /** Acks every delivered message of a partition up to `offset`, if `generationId` is still current. */
  ack(request: AckRequest): AckOutcome
  /** What the running member owns now. */
  assignments(): PartitionInfo[]
  /** Runs the group under its own root supervisor (scripts and tests; a Runner does this for apps). */
  start(): Promise<void>
  stop(): Promise<void>
}

/**
 * Defines a consumer group: validates its config (a ConfigError now, not at the first message) and
 * returns a handle to run it under supervision. Acks from outside reach whichever member incarnation
 * is current; one carrying an old generation is rejected, never committed.
 */
export function createGroup<S, A>(config: GroupConfig<S, A>, defaults: GroupEnvironment = {}): Group {
  const resolved = resolveGroupConfig(config)
  const name = config.name ?? config.groupId
  let current: GroupManager | undefined
  let standalone: Supervisor | undefined
  // Drain within the rebalance timeout, then the final commit and leaving the group.
  const shutdownTimeoutMs = resolved.rebalanceTimeout + 5_000

  const childSpec = (env: GroupEnvironment = {}): ChildSpec => {
    // What createGroup was given wins over what a runner passes down.
    const clock = defaults.clock ?? env.clock ?? systemClock
    const instrumentation = defaults.instrumentation ?? env.instrumentation ?? silentInstrumentation
    // Set by the workers child on each start; the manager, started after it, uses that one.
    let workers: Supervisor | undefined
    const manager = fromService<void, void>(async ({ shutdown }) => {
      if (!workers) throw new GroupError('TROUPE_GROUP_NOT_RUNNING', `group ${name}: worker supervisor missing`)
      const client = config.client ?? createKafkaClient({ brokers: config.brokers as string[] | string, clientId: `troupe-${name}` })
      const producer = client.producer()
      const m = createGroupManager({ config, resolved, client, producer, workers, clock, instrumentation })
      current = m
      try {
        await m.run(shutdown)
      } finally {
        if (current === m) current = undefined
        await producer.disconnect().catch(() => undefined)
        if (!config.client) await client.close().catch(() => undefined)
      }
    })
    return {
      id: `group:${name}`,
      type: 'supervisor',
      shutdown: 'infinity', // its children carry their own timeouts
      start: {
        supervisor: {
          id: `group:${name}`,
          strategy: 'one_for_all',
          intensity: 3,
          period: '1m',
          children: [
            {
              id: 'workers',
              type: 'supervisor',
              shutdown: 'infinity',
              start: () => {
                workers = createSupervisor({ id: `group:${name}/workers`, strategy: 'one_for_one', clock, instrumentation })
                return { logic: fromSupervisor(workers) }
              },
            },
            // Drains its workers before the worker supervisor (started first) is stopped.
            { id: 'manager', start: { logic: manager }, shutdown: shutdownTimeoutMs },
          ],
        },
      },
    }
  }

  return {
    name,
    groupId: config.groupId,
    shutdownTimeoutMs,
    childSpec,
    ack(request) {
      if (!current) {
        const error = new GroupError('TROUPE_GROUP_NOT_RUNNING', `group ${name} is not running`, { context: { ...request } })
        return { accepted: false, error }
      }
      return current.ack(request)
    },
    assignments: () => current?.assignments() ?? [],
    async start() {
      if (standalone) return
      standalone = createSupervisor({
        id: `troupe:${name}`,
        children: [childSpec()],
        clock: defaults.clock,
        instrumentation: defaults.instrumentation,
      })
      await standalone.start()
    },
    async stop() {
      const s = standalone
      standalone = undefined
      await s?.stop()
    },
  }
}
