import { fromService } from '../actor/service-logic.js'
import { createSupervisor } from '../actor/supervisor.js'
import type { Supervisor } from '../actor/supervisor.js'
import { ConfigError, toError } from '../errors.js'
import { Events } from '../instrumentation/events.js'
import { silentInstrumentation, type Instrumentation } from '../instrumentation/instrumentation.js'
import type { Assignment, GroupConsumer, GroupConsumerOptions, KafkaClient, Producer, TopicPartition } from '../kafka/client.js'
import { systemClock, type Clock } from '../time/clock.js'
import { buildCancelMessage, buildScheduleMessage, type ScheduleRequest } from './messages.js'
import { createPartitionDispatcher, type PartitionDispatcher } from './partition-dispatcher.js'
import type { PartitionStatus } from './partition-status.js'
import { resolveDispatcherSettings, type DispatcherTuning } from './settings.js'
import { createStatusPublisher } from './status-publisher.js'

export interface ScheduledMessagesOptions extends DispatcherTuning {
  client: KafkaClient
  proxyTopic: string
  statesTopic: string
  /** Consumer group of the dispatchers: the proxy partitions are shared among its members. */
  groupId: string
  clock?: Clock
  instrumentation?: Instrumentation
  /** Group consumer timings (ms); defaults suit a dispatcher that should fail over within seconds. */
  consumer?: Partial<Pick<GroupConsumerOptions, 'sessionTimeout' | 'rebalanceTimeout' | 'heartbeatInterval' | 'maxWaitTime' | 'maxBytes' | 'maxBytesPerPartition'>>
  /** Called when the consumer crashed for good (after start); the dispatchers are already stopped. */
  onCrash?: (error: Error) => void
}

export interface ScheduledReceipt {
  id: string
  /** Due time, epoch ms. */
  due: number
  partition: number
  offset: number
}

export interface ScheduledMessages {
  /** Validates and writes a schedule to the proxy topic; InvalidEnvelopeError before anything is written. */
  schedule(request: ScheduleRequest): Promise<ScheduledReceipt>
  /** Writes a cancel for `id`: if it has not gone out yet, it never will. */
  cancel(id: string): Promise<void>
  /** Joins the group and dispatches the proxy partitions this member is assigned. */
  start(): Promise<void>
  /** Stops dispatching (after the batch in flight), writes final statuses, leaves the group. */
  stop(): Promise<void>
  /** Current figures of the partitions this member dispatches. */
  statuses(): PartitionStatus[]
}

/**
 * Scheduled messages over one proxy topic. Anyone can `schedule`/`cancel` (a producer is all that
 * takes); members that `start` form a consumer group and each runs one dispatcher per proxy
 * partition it is assigned. Dispatchers never commit: every (re)load reads the partition from its
 * start, and tombstones keep that short.
 */
export function createScheduledMessages(options: ScheduledMessagesOptions): ScheduledMessages {
  const { client, proxyTopic, statesTopic, groupId } = options
  if (!proxyTopic || !statesTopic || proxyTopic === statesTopic) throw new ConfigError('proxyTopic and statesTopic must be two different topic names', { proxyTopic, statesTopic })
  if (!groupId) throw new ConfigError('groupId is required', { groupId })
  const clock = options.clock ?? systemClock
  const bus = options.instrumentation ?? silentInstrumentation
  const settings = resolveDispatcherSettings(options)
  const producer: Producer = client.producer()
  const publisher = createStatusPublisher(producer, statesTopic, bus)
  const dispatchers = new Map<number, PartitionDispatcher>()
  let consumer: GroupConsumer | undefined
  let lifecycle: Promise<void> = Promise.resolve() // assignments are handled one after the other
  let running = false

  const enqueue = (step: () => Promise<void>) => {
    lifecycle = lifecycle.then(step).catch((error) => bus.emit(Events.ERROR, { error, type: 'scheduled.lifecycle', topic: proxyTopic }))
  }
  // One supervised child per assigned partition: a dispatcher whose load or dispatch fails is
  // restarted (after a backoff) and reloads its partition; revocation terminates it gracefully.
  let partitionSupervisor: Supervisor | undefined
  const childId = (partition: number) => `${proxyTopic}/${partition}`

  // Partitions with a child (running, or restarting after a crash).
  const owned = new Set<number>()

  const stopPartitions = async (partitions: number[]) => {
    await Promise.all(
      partitions.map(async (p) => {
        owned.delete(p)
        await partitionSupervisor?.terminateChild(childId(p)).catch(() => undefined)
        dispatchers.delete(p)
      }),
    )
  }

  const dispatcherLogic = (partition: number, c: GroupConsumer) =>
    fromService<void, void>(async ({ shutdown }) => {
      const dispatcher = createPartitionDispatcher({
        proxyTopic, partition, producer, clock, instrumentation: bus, settings,
        watermarks: async () => {
          const all = await client.admin().fetchTopicOffsets(proxyTopic)
          const mine = all.find((o) => o.partition === partition)
          if (!mine) throw new ConfigError(`proxy topic ${proxyTopic} has no partition ${partition}`)
          return mine
        },
        seek: (offset) => c.seek({ topic: proxyTopic, partition, offset }),
        publishStatus: (s) => publisher.publish(s),
      })
      dispatchers.set(partition, dispatcher)
      try {
        await dispatcher.start() // a failed load crashes this child: its supervisor restarts it
        await new Promise<void>((resolve) => {
          if (shutdown.aborted) resolve()
          shutdown.addEventListener('abort', () => resolve(), { once: true })
        })
      } finally {
        await dispatcher.stop()
        if (dispatchers.get(partition) === dispatcher) dispatchers.delete(partition)
      }
    })

  const startPartition = async (partition: number, c: GroupConsumer) => {
    if (!partitionSupervisor) return
    owned.add(partition)
    await partitionSupervisor.startChild({ id: childId(partition), start: { logic: dispatcherLogic(partition, c) }, restart: 'transient', shutdown: '30s' })
  }

  const onAssigned = (assignment: Assignment, c: GroupConsumer) => enqueue(async () => {
    const wanted = new Set(assignment.partitions.filter((tp) => tp.topic === proxyTopic).map((tp) => tp.partition))
    await stopPartitions([...owned].filter((p) => !wanted.has(p)))
    if (!running) return
    for (const p of wanted) if (!owned.has(p)) await startPartition(p, c)
  })
  const onRevoking = (partitions: TopicPartition[]) =>
    enqueue(() => stopPartitions(partitions.filter((tp) => tp.topic === proxyTopic).map((tp) => tp.partition)))

  return {
    async schedule(request) {
      const built = buildScheduleMessage(request, clock.now(), settings.limits)
      const [record] = await producer.produce(proxyTopic, [built.message])
      return { id: built.id, due: built.due, partition: record?.partition ?? -1, offset: record?.offset ?? -1 }
    },
    async cancel(id) {
      await producer.produce(proxyTopic, [buildCancelMessage(id)])
    },
    async start() {
      if (running) return
      running = true
      const c = client.groupConsumer({
        groupId, topics: [proxyTopic], beginOffset: 'earliest',
        sessionTimeout: 10_000, rebalanceTimeout: 10_000, heartbeatInterval: 1000, maxWaitTime: 250,
        minBytes: 1, maxBytes: 10 * 1024 * 1024, maxBytesPerPartition: 1024 * 1024,
        ...options.consumer, instrumentation: bus,
      })
      consumer = c
      partitionSupervisor = createSupervisor({
        id: `scheduled:${proxyTopic}`,
        strategy: 'one_for_one',
        intensity: 5,
        period: '1m',
        backoff: { initial: settings.retryMinMs, max: settings.retryMaxMs },
        clock,
        instrumentation: bus,
      })
      await partitionSupervisor.start()
      await c.start({
        onBatch: (batch) => dispatchers.get(batch.partition)?.onBatch(batch),
        onAssigned: (assignment) => onAssigned(assignment, c),
        onRevoking,
        onCrash: (error) => {
          bus.emit(Events.ERROR, { error, type: 'scheduled.consumer_crashed', topic: proxyTopic })
          enqueue(() => stopPartitions([...owned]))
          void lifecycle.then(() => options.onCrash?.(toError(error)))
        },
      })
    },
    async stop() {
      running = false
      enqueue(() => stopPartitions([...owned]))
      await lifecycle
      await partitionSupervisor?.stop()
      await publisher.flush()
      await consumer?.stop()
      consumer = undefined
      await producer.disconnect()
    },
    statuses: () => [...dispatchers.values()].map((d) => d.status()).sort((a, b) => a.partition - b.partition),
  }
}
