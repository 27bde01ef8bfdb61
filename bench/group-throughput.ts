// Throughput of a Troupe group against raw kafkajs eachBatch, on the same topic and broker, in one run.
//
//   node --import tsx bench/group-throughput.ts            (1M messages of 100 bytes, 8 partitions)
//   BENCH_MESSAGES=200000 BENCH_ROUNDS=3 node --import tsx bench/group-throughput.ts
//
// Each round consumes the whole topic from the beginning with a fresh group id, once with raw
// kafkajs (eachBatch, autoCommit) and once with Troupe (a handler that acks every batch), alternating
// which goes first. Prints msgs/s and CPU for each and the ratio Troupe / raw (target >= 0.9).
import kafkajs from 'kafkajs'
import { ack, createGroup, createKafkaClient } from '../lib/index.js'

const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'
const total = Number(process.env.BENCH_MESSAGES ?? 1_000_000)
const rounds = Number(process.env.BENCH_ROUNDS ?? 2)
const partitions = 8
const topic = `troupe-bench-${total}`

const client = createKafkaClient({ brokers, clientId: 'troupe-bench', logLevel: 'nothing' })
const admin = client.admin()

async function ensureData() {
  await admin.createTopics([{ topic, partitions }])
  const have = (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + p.high, 0)
  if (have >= total) return
  const producer = client.producer({ idempotent: false })
  const value = Buffer.alloc(100, 'x')
  const started = Date.now()
  for (let i = have; i < total; i += 10_000) {
    const n = Math.min(10_000, total - i)
    await producer.produce(topic, Array.from({ length: n }, (_, k) => ({ value, partition: (i + k) % partitions })))
  }
  await producer.disconnect()
  console.log(`produced ${total - have} messages in ${((Date.now() - started) / 1000).toFixed(1)}s`)
}

interface Measure {
  /** From start (connect, join) to the last message. */
  seconds: number
  /** From the first message to the last: the steady rate, without the group join. */
  flowSeconds: number
  cpuSeconds: number
}

/** Times `run`; `firstSeen()` gives when the first message arrived (hrtime ns). */
async function timed(run: () => Promise<void>, firstSeen: () => bigint): Promise<Measure> {
  const cpu = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  await run()
  const t1 = process.hrtime.bigint()
  const used = process.cpuUsage(cpu)
  return { seconds: Number(t1 - t0) / 1e9, flowSeconds: Number(t1 - firstSeen()) / 1e9, cpuSeconds: (used.user + used.system) / 1e6 }
}

async function rawKafkaJs(): Promise<Measure> {
  const kafka = new kafkajs.Kafka({ brokers: [brokers], clientId: 'bench-raw', logLevel: kafkajs.logLevel.NOTHING })
  const consumer = kafka.consumer({ groupId: `bench-raw-${Date.now()}`, maxWaitTimeInMs: 500 })
  await consumer.connect()
  await consumer.subscribe({ topics: [topic], fromBeginning: true })
  let seen = 0
  let first = 0n
  let done!: () => void
  const finished = new Promise<void>((r) => (done = r))
  const m = await timed(async () => {
    await consumer.run({
      eachBatch: async ({ batch }) => {
        if (seen === 0) first = process.hrtime.bigint()
        seen += batch.messages.length
        if (seen >= total) done()
      },
    })
    await finished
  }, () => first)
  await consumer.disconnect()
  return m
}

async function troupe(): Promise<Measure> {
  let seen = 0
  let first = 0n
  let done!: () => void
  const finished = new Promise<void>((r) => (done = r))
  const group = createGroup({
    client,
    groupId: `bench-troupe-${Date.now()}`,
    topics: [topic],
    config: {
      beginOffset: 'earliest',
      maxWaitTime: '500ms',
      ...(process.env.BENCH_PREFETCH ? { prefetchCount: Number(process.env.BENCH_PREFETCH) } : {}),
      ...(process.env.BENCH_FETCH_BYTES ? { maxBytesPerFetch: Number(process.env.BENCH_FETCH_BYTES) } : {}),
      ...(process.env.BENCH_BATCH ? { maxBatchSize: Number(process.env.BENCH_BATCH) } : {}),
    },
    handler: {
      handleMessages(messages, state) {
        if (seen === 0) first = process.hrtime.bigint()
        seen += messages.length
        if (seen >= total) done()
        return ack(state)
      },
    },
  })
  const m = await timed(async () => {
    await group.start()
    await finished
  }, () => first)
  await group.stop()
  return m
}

await ensureData()
const results: Record<'raw' | 'troupe', Measure[]> = { raw: [], troupe: [] }
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? (['raw', 'troupe'] as const) : (['troupe', 'raw'] as const)
  for (const which of order) {
    const m = which === 'raw' ? await rawKafkaJs() : await troupe()
    results[which].push(m)
    console.log(
      `round ${round + 1} ${which.padEnd(6)} ${(total / m.seconds).toFixed(0).padStart(9)} msgs/s end to end  ` +
        `${(total / m.flowSeconds).toFixed(0).padStart(9)} msgs/s first-to-last  ${m.seconds.toFixed(2)}s wall  ${m.cpuSeconds.toFixed(2)}s cpu`,
    )
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const rate = (ms: Measure[], pick: (m: Measure) => number) => total / median(ms.map(pick))
for (const [label, pick] of [['end to end', (m: Measure) => m.seconds], ['first-to-last', (m: Measure) => m.flowSeconds]] as const) {
  const raw = rate(results.raw, pick)
  const ours = rate(results.troupe, pick)
  console.log(`median ${label.padEnd(13)}: raw kafkajs eachBatch ${raw.toFixed(0)} msgs/s, Troupe ${ours.toFixed(0)} msgs/s, ratio ${(ours / raw).toFixed(3)}`)
}
const cpu = (ms: Measure[]) => median(ms.map((m) => m.cpuSeconds))
console.log(`median cpu: raw ${cpu(results.raw).toFixed(2)}s, Troupe ${cpu(results.troupe).toFixed(2)}s for ${total} messages (${((1e9 * (cpu(results.troupe) - cpu(results.raw))) / total).toFixed(0)} ns/msg more)`)
console.log(`${total} messages x 100 B, ${partitions} partitions, ${rounds} rounds, target ratio >= 0.9`)
await client.close()
