// The Troupe demo: a supervised consumer group on a real broker, end to end.
//
// It creates a topic of 4 partitions, produces orders while a Runner consumes them with a
// MessageHandler that acks, crashes once on a "poison" order (its worker comes back at the last
// acked offset, no rebalance), and prints progress each second until every order is committed.
import {
  Events, ack, createGroup, createInstrumentation, createKafkaClient, createRunner,
} from '../lib/index.js'
import type { MessageHandler } from '../lib/index.js'

const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'
const topic = 'troupe-demo-orders'
const groupId = `troupe-demo-${Date.now()}`
const total = Number(process.env.DEMO_ORDERS ?? 20_000)

const client = createKafkaClient({ brokers, clientId: 'troupe-demo', logLevel: 'nothing' })
const admin = client.admin()
await admin.createTopics([{ topic, partitions: 4 }])

// Events tell the story: worker crashes and restarts, commits, revocations.
const instrumentation = createInstrumentation()
const log = (line: string) => console.log(`${new Date().toISOString().slice(11, 23)}  ${line}`)
instrumentation.on(Events.PARTITIONS_ASSIGNED, (e) => log(`assigned ${JSON.stringify((e.payload.partitions as Array<{ partition: number }>).map((p) => p.partition))} (generation ${e.payload.generationId})`))
instrumentation.on(Events.WORKER_CRASHED, (e) => log(`worker for partition ${e.payload.partition} crashed at offset ${e.payload.offset}: ${(e.payload.error as Error).message}`))
instrumentation.on(Events.WORKER_RESTARTED, (e) => log(`worker for partition ${e.payload.partition} restarted at offset ${e.payload.from} after ${e.payload.delay}ms`))
instrumentation.on(Events.RUNNER_STOPPED, () => log('runner stopped'))

let handled = 0
let crashed = false
const revenue = new Map<number, number>()

// One handler serves every partition; each partition's worker keeps its own state.
const handler: MessageHandler<{ orders: number }> = {
  init: () => ({ orders: 0 }),
  handleMessages(messages, state, ctx) {
    for (const m of messages) {
      const order = JSON.parse(m.value!.toString()) as { id: number; amount: number }
      if (order.id === Math.floor(total / 2) && !crashed) {
        crashed = true
        throw new Error(`poison order ${order.id}`)
      }
      revenue.set(ctx.partition, (revenue.get(ctx.partition) ?? 0) + order.amount)
    }
    handled += messages.length
    return ack({ orders: state.orders + messages.length })
  },
}

const group = createGroup({ client, groupId, topics: [topic], handler, config: { beginOffset: 'latest', commitInterval: '500ms' } })
const runner = createRunner({ groups: [group], instrumentation, shutdownTimeout: '20s' })
await runner.start()
log(`runner started: group ${groupId} on ${brokers}; producing ${total} orders to ${topic}`)
log(`supervision tree: troupe -> ${runner.supervisor.whichChildren().map((c) => `${c.id} (workers supervisor + manager)`).join(', ')}`)
// Wait for the assignment so 'latest' starts before the first produced order.
while (group.assignments().length === 0) await new Promise((r) => setTimeout(r, 50))

const producer = client.producer()
const produced = (async () => {
  for (let i = 0; i < total; i += 500) {
    const batch = Array.from({ length: Math.min(500, total - i) }, (_, k) => {
      const id = i + k
      return { key: `customer-${id % 97}`, value: JSON.stringify({ id, amount: (id % 50) + 1 }) }
    })
    await producer.produce(topic, batch)
    await new Promise((r) => setTimeout(r, 150)) // a steady stream, so progress is visible
  }
})()

for (;;) {
  await new Promise((r) => setTimeout(r, 1000))
  const parts = group.assignments().map((p) => `p${p.partition}:${p.lastCommitted >= 0 ? p.lastCommitted : '-'}`).join(' ')
  log(`handled ${handled}/${total}  committed offsets ${parts}`)
  const committedSinceStart = group.assignments().every((p) => p.commitPoint !== undefined && p.lastCommitted === p.commitPoint)
  if (handled >= total && committedSinceStart) break
}
await produced
await producer.disconnect()
const exit = await runner.stop()
log(`stopped (${exit.reason}); revenue by partition: ${[...revenue].sort().map(([p, r]) => `p${p}=${r}`).join(' ')}`)
await admin.deleteTopics([topic])
await client.close()
console.log(`\ndemo finished: ${handled} orders handled, one crash recovered without a rebalance`)
