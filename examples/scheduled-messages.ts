// Scheduled messages: deliver a message to its topic later, cancel another, and run the dispatcher
// under a supervisor. Run against a local broker: KAFKA_BROKERS=127.0.0.1:9092 node --import tsx examples/scheduled-messages.ts
import { createActor } from 'xstate'
import { createKafkaClient } from '../lib/kafka/kafkajs/index.js'
import { createInstrumentation } from '../lib/instrumentation/instrumentation.js'
import { createScheduledMessages, createScheduledTopics, fromScheduledMessages } from '../lib/scheduled/index.js'

const client = createKafkaClient({ brokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092', clientId: 'scheduled-example' })
const topics = { proxyTopic: 'example-scheduled-proxy', statesTopic: 'example-scheduled-states' }
await createScheduledTopics(client.admin(), { ...topics, partitions: 3 })
await client.admin().createTopics([{ topic: 'example-reminders', partitions: 1 }])

const instrumentation = createInstrumentation()
instrumentation.on('scheduled.dispatched', (e) => console.log(`sent ${e.payload.id} ${e.payload.lateMs} ms after its due time`))
instrumentation.on('scheduled.envelope_rejected', (e) => console.warn('skipped a malformed envelope:', String(e.payload.error)))

// Anyone can schedule: it only takes a producer.
const scheduler = createScheduledMessages({ client, ...topics, groupId: 'example-scheduled', instrumentation })
await scheduler.schedule({ id: 'reminder-42', targetTopic: 'example-reminders', targetKey: 'user-7', after: '3s', value: 'your trial ends soon' })
const oops = await scheduler.schedule({ targetTopic: 'example-reminders', after: '3s', value: 'never sent' })
await scheduler.cancel(oops.id)

// The dispatchers run as an actor; a supervisor would restart it after a consumer crash.
const dispatcher = createActor(fromScheduledMessages({ client, ...topics, groupId: 'example-scheduled', instrumentation })).start()
await new Promise((resolve) => setTimeout(resolve, 8000))
dispatcher.send({ type: 'troupe.shutdown' })
await new Promise<void>((resolve) => dispatcher.subscribe({ complete: resolve, error: () => resolve() }))
await scheduler.stop()
await client.close()
