import { createActor } from 'xstate'
import type { AnyActorRef } from 'xstate'
import { fromService } from '../actor/service-logic.js'
import type { ServiceLogic } from '../actor/service-logic.js'
import { GroupError } from '../errors.js'
import { silentInstrumentation } from '../instrumentation/instrumentation.js'
import type { Instrumentation } from '../instrumentation/instrumentation.js'
import { createKafkaClient } from '../kafka/kafkajs/index.js'
import { systemClock } from '../time/clock.js'
import type { Clock } from '../time/clock.js'
import { resolveGroupConfig } from './config.js'
import type { GroupConfig } from './config.js'
import { createGroupManager } from './manager.js'
import type { AckOutcome, AckRequest, GroupManager, PartitionInfo } from './manager.js'

export interface GroupOptions {
  clock?: Clock
  instrumentation?: Instrumentation
}

export interface Group {
  readonly name: string
  readonly groupId: string
  /** Actor logic for a supervisor: each start is a fresh member (a restart rejoins the group). */
  readonly logic: ServiceLogic<void, void>
  /** Milliseconds a graceful stop may take (drain within the rebalance timeout, then commit). */
  readonly shutdownTimeout: number
  /** Acks every delivered message of a partition up to `offset`, if `generationId` is still current. */
  ack(request: AckRequest): AckOutcome
  /** What the running member owns now. */
  assignments(): PartitionInfo[]
  /** Starts the group outside any supervisor (for scripts and tests). */
  start(): Promise<void>
  stop(): Promise<void>
}

/**
 * Defines a consumer group: validates its config (ConfigError at once, not at first message) and
 * returns a handle whose `logic` runs a GroupManager under a supervisor. Acks from outside go to
 * whichever member incarnation is current; a stale generation is rejected, never committed.
 */
export function createGroup<S, A>(config: GroupConfig<S, A>, options: GroupOptions = {}): Group {
  const resolved = resolveGroupConfig(config)
  const clock = options.clock ?? systemClock
  const instrumentation = options.instrumentation ?? silentInstrumentation
  const name = config.name ?? config.groupId
  let current: GroupManager | undefined
  let standalone: AnyActorRef | undefined

  const logic = fromService<void, void>(async ({ shutdown }) => {
    const client = config.client ?? createKafkaClient({ brokers: config.brokers as string[] | string, clientId: `troupe-${name}` })
    const producer = client.producer()
    const manager = createGroupManager({ config, resolved, client, producer, clock, instrumentation })
    current = manager
    try {
      await manager.run(shutdown)
    } finally {
      if (current === manager) current = undefined
      await producer.disconnect().catch(() => undefined)
      if (!config.client) await client.close().catch(() => undefined)
    }
  })

  return {
    name,
    groupId: config.groupId,
    logic,
    shutdownTimeout: resolved.rebalanceTimeout + 5_000,
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
      standalone = createActor(logic, { clock })
      standalone.start()
    },
    async stop() {
      const actor = standalone
      if (!actor) return
      standalone = undefined
      await new Promise<void>((resolve) => {
        const done = () => resolve()
        const sub = actor.subscribe({ complete: done, error: done })
        if (actor.getSnapshot().status !== 'active') done()
        actor.send({ type: 'troupe.shutdown' })
        void sub
      })
    },
  }
}
