import { ConfigError } from '../errors.js'
import { silentInstrumentation } from '../instrumentation/instrumentation.js'
import type { Instrumentation } from '../instrumentation/instrumentation.js'
import type { GroupConsumer, GroupConsumerOptions, KafkaClient } from '../kafka/client.js'
import { systemClock } from '../time/clock.js'
import type { Clock } from '../time/clock.js'
import { createCommandSender } from './command-sender.js'
import type { CommandReceipt } from './command-sender.js'
import type { TaskStates } from './due.js'
import { createScheduleExecutor } from './executor.js'
import { createPartitionOwner } from './partition-owner.js'
import type { PartitionOwner } from './partition-owner.js'
import { encodeSnapshot } from './records.js'
import { encodeRunRecord } from './run-log.js'
import type { Schedule } from './schedule.js'
import { createRecurringTopics } from './topics.js'
import type { RecurringTopicOptions, RecurringTopics } from './topics.js'

export interface RecurringTasksOptions {
  client: KafkaClient
  schedule: Schedule
  topics: RecurringTopics
  /** Every process running this schedule joins this group; the one owning the partition runs tasks. */
  groupId: string
  clock?: Clock
  instrumentation?: Instrumentation
  /** Create missing topics on start (default true), with these settings. */
  createTopics?: boolean | RecurringTopicOptions
  /** Group membership timings; defaults favour quick failover. */
  consumer?: Partial<Pick<GroupConsumerOptions, 'sessionTimeout' | 'rebalanceTimeout' | 'heartbeatInterval' | 'maxWaitTime'>>
  /** Called when the group consumer crashed for good; the process should restart this instance. */
  onCrash?: (error: Error) => void
}

/**
 * - 'idle': not started; 'standby': in the group but not owning the schedule (another member runs it);
 * - 'replaying' / 'running' / 'incompatible': the executor's state while this process owns it;
 * - 'stopped': after stop().
 */
export type RecurringTasksState = 'idle' | 'standby' | 'replaying' | 'running' | 'incompatible' | 'stopped'

export interface RecurringTasks {
  readonly schedule: Schedule
  start(): Promise<void>
  /** Stops scheduling, lets in-flight runs finish, then leaves the group. */
  stop(): Promise<void>
  /** Runs the task (or every task, '*') once as soon as the owner reads the command, even if disabled. */
  trigger(taskId: string): Promise<CommandReceipt>
  enable(taskId: string): Promise<CommandReceipt>
  disable(taskId: string): Promise<CommandReceipt>
  state(): RecurringTasksState
  /** The owner's view of each task (empty unless this process owns the schedule). */
  taskStates(): Readonly<TaskStates>
}

export function createRecurringTasks(options: RecurringTasksOptions): RecurringTasks {
  const { client, schedule, topics, groupId } = options
  if (!topics?.schedules || !topics?.logs) throw new ConfigError('recurring tasks need topics: { schedules, logs }', { topics })
  if (!groupId) throw new ConfigError('recurring tasks need a groupId')
  const clock = options.clock ?? systemClock
  const instrumentation = options.instrumentation ?? silentInstrumentation
  const startedAt = clock.now() // "process start": the baseline for tasks that never ran
  const producer = client.producer()
  const admin = client.admin()
  const sender = createCommandSender({ producer, topic: topics.schedules, clock, knownTaskIds: schedule.tasks.map((t) => t.id) })
  let lifecycle: 'idle' | 'started' | 'stopped' = 'idle'
  let consumer: GroupConsumer | undefined
  let owner: PartitionOwner | undefined
  let producerReady: Promise<void> | undefined

  const connectProducer = () => (producerReady ??= producer.connect())

  const newExecutor = () =>
    createScheduleExecutor({
      schedule,
      clock,
      instrumentation,
      startedAt,
      sinks: {
        writeSnapshot: (snapshot) => producer.produce(topics.schedules, [encodeSnapshot(snapshot)]),
        writeRunRecord: (record) => producer.produce(topics.logs, [encodeRunRecord(record)]),
      },
    })

  const send = async (name: string, taskId: string) => {
    await connectProducer()
    return sender.send(name, taskId)
  }

  return {
    schedule,
    async start() {
      if (lifecycle !== 'idle') return
      lifecycle = 'started'
      if (options.createTopics !== false) {
        await createRecurringTopics(admin, topics, typeof options.createTopics === 'object' ? options.createTopics : {})
      }
      await connectProducer()
      const c = client.groupConsumer({
        groupId,
        topics: [topics.schedules],
        beginOffset: 'earliest',
        sessionTimeout: options.consumer?.sessionTimeout ?? 10_000,
        rebalanceTimeout: options.consumer?.rebalanceTimeout ?? 10_000,
        heartbeatInterval: options.consumer?.heartbeatInterval ?? 1_000,
        maxWaitTime: options.consumer?.maxWaitTime ?? 250,
        minBytes: 1,
        maxBytes: 1024 * 1024,
        maxBytesPerPartition: 1024 * 1024,
        instrumentation,
      })
      consumer = c
      owner = createPartitionOwner({
        topic: topics.schedules,
        groupId,
        admin,
        consumer: () => c,
        newExecutor,
        instrumentation,
        onCrash: (error) => options.onCrash?.(error),
      })
      await c.start(owner)
    },
    async stop() {
      if (lifecycle === 'stopped') return
      lifecycle = 'stopped'
      // Finish (and record) what runs before leaving: the next owner must see those runs in the state.
      await owner?.stop()
      await consumer?.stop()
      if (producerReady) await producerReady.then(() => producer.disconnect()).catch(() => undefined)
    },
    trigger: (taskId) => send('trigger', taskId),
    enable: (taskId) => send('enable', taskId),
    disable: (taskId) => send('disable', taskId),
    state() {
      if (lifecycle !== 'started') return lifecycle
      const executor = owner?.executor()
      if (!executor) return 'standby'
      const state = executor.state()
      return state === 'stopped' ? 'standby' : state
    },
    taskStates: () => owner?.executor()?.taskStates() ?? {},
  }
}
