import { nanoid } from 'nanoid'
import { createInstrumentation } from '../../../lib/instrumentation/instrumentation.js'
import type { InstrumentationEvent } from '../../../lib/instrumentation/instrumentation.js'
import type { IncomingMessage, KafkaClient } from '../../../lib/kafka/client.js'
import { createRecurringTasks } from '../../../lib/recurring/recurring-tasks.js'
import type { RecurringTasksOptions } from '../../../lib/recurring/recurring-tasks.js'
import { decodeRunRecord } from '../../../lib/recurring/run-log.js'
import type { TaskRunRecord } from '../../../lib/recurring/run-log.js'
import type { Schedule } from '../../../lib/recurring/schedule.js'
import { recurringTopicSpecs } from '../../../lib/recurring/topics.js'
import { testClient, unique, withTopics } from '../../support/kafka.js'

/** Fresh topics and group for one scenario, and a cleanup that deletes them and closes the client. */
export async function scenario() {
  const client = testClient('troupe-recurring-spec')
  const topics = { schedules: unique('recurring-schedules'), logs: unique('recurring-logs') }
  const groupId = unique('recurring-group')
  const cleanup = await withTopics(client, recurringTopicSpecs(topics))
  return { client, topics, groupId, cleanup }
}

/** A RecurringTasks instance on the real broker with its events recorded. */
export function instance(base: { client: KafkaClient; topics: RecurringTasksOptions['topics']; groupId: string }, schedule: Schedule) {
  const events: InstrumentationEvent[] = []
  const instrumentation = createInstrumentation()
  instrumentation.on('*', (e) => events.push(e))
  const tasks = createRecurringTasks({ ...base, schedule, instrumentation, consumer: { sessionTimeout: 6000, rebalanceTimeout: 6000 } })
  return { tasks, events, named: (name: string) => events.filter((e) => e.name === name) }
}

/** Reads a topic from the beginning with a throwaway group; `stop` closes it. */
export async function tail(client: KafkaClient, topic: string) {
  const messages: IncomingMessage[] = []
  const consumer = client.groupConsumer({
    groupId: `tail-${nanoid(8)}`, topics: [topic], beginOffset: 'earliest', sessionTimeout: 6000, rebalanceTimeout: 6000,
    heartbeatInterval: 500, minBytes: 1, maxBytes: 1 << 20, maxBytesPerPartition: 1 << 20, maxWaitTime: 100,
  })
  await consumer.start({ onBatch: (b) => void messages.push(...b.messages), onAssigned() {}, onRevoking() {}, onCrash() {} })
  return {
    messages,
    runs: (): TaskRunRecord[] => messages.map((m) => decodeRunRecord(m.value)).filter((r): r is TaskRunRecord => r !== undefined),
    stop: () => consumer.stop(),
  }
}
