// Recurring tasks on a real broker, run as a child of a supervisor.
// Run it with: KAFKA_BROKERS=127.0.0.1:9092 node --import tsx examples/recurring-tasks.ts
// Start it twice in two terminals: only one process runs the tasks; stop that one and the other takes over.
// It runs for RUN_SECONDS (default 20) or until Ctrl-C. Send commands meanwhile with the CLI, e.g.
//   node --import tsx lib/cli.ts tasks trigger nightly-report --topic example-schedules
import { createSupervisor } from '../lib/actor/index.js'
import { Events } from '../lib/instrumentation/events.js'
import { createInstrumentation } from '../lib/instrumentation/instrumentation.js'
import { createKafkaClient } from '../lib/kafka/kafkajs/index.js'
import { defineSchedule, fromRecurringTasks } from '../lib/recurring/index.js'
import type { RecurringTasks } from '../lib/recurring/index.js'

const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'
const client = createKafkaClient({ brokers, clientId: 'recurring-example', logLevel: 'nothing' })

const schedule = defineSchedule({
  version: '1.0',
  tasks: [
    { id: 'heartbeat', cron: '*/5 * * * * *', run: ({ startedAt }) => console.log(`heartbeat at ${new Date(startedAt).toISOString()}`) },
    {
      id: 'flaky-sync',
      cron: '*/10 * * * * *',
      run: async () => {
        if (Math.random() < 0.5) throw new Error('upstream timed out') // logged as a failure; the schedule goes on
        console.log('flaky-sync ok')
      },
    },
    // Disabled by default: only runs when triggered (see below, or use the CLI).
    { id: 'nightly-report', cron: '0 2 * * *', timezone: 'Europe/Paris', enabled: false, run: () => console.log('nightly report written') },
  ],
})

const instrumentation = createInstrumentation()
for (const name of [Events.SCHEDULE_REPLAYED, Events.SCHEDULE_INCOMPATIBLE, Events.TASK_FAILED, Events.COMMAND_APPLIED, Events.COMMAND_REJECTED]) {
  instrumentation.on(name, (e) => console.log(`[${e.name}]`, JSON.stringify(e.payload, (k, v) => (k === 'error' && v instanceof Error ? v.message : v))))
}

let tasks: RecurringTasks | undefined
const root = createSupervisor({
  id: 'root',
  instrumentation,
  children: [
    {
      id: 'recurring-tasks',
      shutdown: '30s', // time for in-flight runs to finish
      start: {
        logic: fromRecurringTasks({
          client,
          schedule,
          topics: { schedules: 'example-schedules', logs: 'example-task-logs' },
          groupId: 'example-recurring',
          instrumentation,
          onStarted: (started) => (tasks = started),
        }),
      },
    },
  ],
})

await root.start()
// Commands go through Kafka: whichever process owns the schedule applies them.
setTimeout(() => void tasks?.trigger('nightly-report').then((r) => console.log(`trigger sent (request ${r.requestId})`)), 3000)

const seconds = Number(process.env.RUN_SECONDS ?? 20)
await new Promise<void>((resolve) => {
  const timer = setTimeout(resolve, seconds * 1000)
  process.once('SIGINT', () => (clearTimeout(timer), resolve()))
})
console.log(`state before stopping: ${tasks?.state()}`)
await root.stop()
await client.close()
