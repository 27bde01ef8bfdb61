// kafkajs 2.2.2 vs 2.2.4, side by side in one process, on the same broker.
//
//   node --import tsx bench/kafkajs-versions.ts
//   BENCH_MESSAGES=200000 BENCH_ROUNDS=2 BENCH_IDLE_SECONDS=10 node --import tsx bench/kafkajs-versions.ts
//
// What changed (src/network/requestQueue/index.js, 2.2.2 -> 2.2.4, kafkajs PR #1532):
//   2.2.2 scheduleCheckPendingRequests() armed a timer only while throttled (throttledUntil - now > 0).
//   2.2.4 arms one whenever none is armed: 10 ms if requests are pending, otherwise `throttledUntil - now`,
//   which with no throttling (throttledUntil = -1) is hugely negative, i.e. a 1 ms timer whose callback
//   (checkPendingRequests) re-arms it: after the first response every connection polls every ~1 ms forever,
//   idle or not, until disconnect (kafkajs issue #1556). maybeThrottle now also ignores throttle times <= 0.
//
// Scenarios, per version, with the order of versions alternating across rounds:
//   produce-batch   N messages of 100 B, acks -1, sequential send() calls of BENCH_BATCH (1000) messages
//   produce-stream  N messages of 100 B, acks -1, send() calls of BENCH_STREAM_SIZE (10) messages with
//                   BENCH_CONCURRENCY (16) send() calls outstanding and producer maxInFlightRequests
//                   BENCH_MAX_INFLIGHT (5), so requests also queue in the RequestQueue's pending list
//   idle-consumer   one group member subscribed to an empty topic, BENCH_IDLE_SECONDS (10) of no traffic
//                   after it has joined; also counts the Timeout objects created meanwhile (async_hooks)
//   consume         a fresh group reads N messages from the beginning of the produce topic with eachBatch
// CPU is process.cpuUsage() (user + system) of this whole process over the measured window only: connect,
// join (except for consume, which includes its join) and disconnect are outside it. Only one client is alive
// during a measurement; "baseline" is the same window with no kafkajs client at all (before and after).
import { createHook } from 'node:async_hooks'
import { createRequire } from 'node:module'
import { setTimeout as sleep } from 'node:timers/promises'
import kafkajs from 'kafkajs'
import kafkajs222 from 'kafkajs-2.2.2'
import { patchIdlePolling } from '../lib/kafka/kafkajs/idle-polling-fix.js'
import type { Consumer, Message, Producer } from 'kafkajs'

type Lib = typeof kafkajs
// '2.2.4+fix' is 2.2.4 with Troupe's idle-polling fix (lib/kafka/kafkajs/idle-polling-fix.ts) applied.
type VersionName = '2.2.2' | '2.2.4' | '2.2.4+fix'
type ScenarioName = 'produce-batch' | 'produce-stream' | 'idle-consumer' | 'consume'

const env = (name: string, fallback: number): number => {
  const raw = process.env[name]
  const n = raw === undefined ? fallback : Number(raw)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${raw}`)
  return n
}

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',')
const total = Math.floor(env('BENCH_MESSAGES', 200_000))
const rounds = Math.floor(env('BENCH_ROUNDS', 2))
const batchSize = Math.floor(env('BENCH_BATCH', 1000))
const streamSize = Math.floor(env('BENCH_STREAM_SIZE', 10))
const concurrency = Math.floor(env('BENCH_CONCURRENCY', 16))
const maxInFlight = Math.floor(env('BENCH_MAX_INFLIGHT', 5))
const idleSeconds = env('BENCH_IDLE_SECONDS', 10)
const baselineSeconds = 3
const scenarioTimeoutMs = env('BENCH_SCENARIO_TIMEOUT_S', 60) * 1000
const partitions = 3
const messageBytes = 100

const require = createRequire(import.meta.url)
const installed = (pkg: string): string => (require(`${pkg}/package.json`) as { version: string }).version
const versions: Record<VersionName, Lib> = { '2.2.2': kafkajs222 as Lib, '2.2.4': kafkajs, '2.2.4+fix': kafkajs }
const requestQueue224 = require('kafkajs/src/network/requestQueue/index.js') as { prototype: Parameters<typeof patchIdlePolling>[0] }
for (const [name, pkg] of [['2.2.2', 'kafkajs-2.2.2'], ['2.2.4', 'kafkajs']] as const) {
  if (installed(pkg) !== name) throw new Error(`${pkg} is ${installed(pkg)}, expected ${name}`)
}

const runId = `${process.pid}-${Date.now()}`
const dataTopic = `kjs-versions-data-${runId}`
const idleTopic = `kjs-versions-idle-${runId}`
const value = Buffer.alloc(messageBytes, 'x')

interface Sample {
  scenario: ScenarioName | 'baseline'
  version: VersionName | '-'
  round: number
  wallSeconds: number
  cpuSeconds: number
  messages: number
  /** For consume: seconds from the first message to the last (excludes the group join). */
  flowSeconds?: number
  /** Timeout objects created during the window (idle scenarios only). */
  timers?: number
}

const samples: Sample[] = []

/** Runs `fn` and returns its wall and process CPU time (user + system) in seconds. */
async function measure(fn: () => Promise<void>): Promise<{ wallSeconds: number; cpuSeconds: number }> {
  const cpu0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  await fn()
  const t1 = process.hrtime.bigint()
  const cpu = process.cpuUsage(cpu0)
  return { wallSeconds: Number(t1 - t0) / 1e9, cpuSeconds: (cpu.user + cpu.system) / 1e6 }
}

/** Counts Timeout resources created while enabled (setTimeout/setInterval calls); only used while idle. */
function timerCounter(): { start(): void; stop(): number } {
  let count = 0
  const hook = createHook({
    init(_id, type) {
      if (type === 'Timeout') count++
    },
  })
  return {
    start() {
      count = 0
      hook.enable()
    },
    stop() {
      hook.disable()
      return count
    },
  }
}

async function withDeadline<T>(what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${scenarioTimeoutMs / 1000}s`)), scenarioTimeoutMs)
  })
  try {
    return await Promise.race([p, deadline])
  } finally {
    clearTimeout(timer)
  }
}

function kafkaFor(version: VersionName, lib: Lib, role: string) {
  return new lib.Kafka({ brokers, clientId: `kjs-versions-${version}-${role}`, logLevel: lib.logLevel.NOTHING })
}

function producerFor(version: VersionName, lib: Lib, role: string, maxInFlightRequests?: number): Producer {
  return kafkaFor(version, lib, role).producer({
    allowAutoTopicCreation: false,
    createPartitioner: lib.Partitioners.DefaultPartitioner,
    ...(maxInFlightRequests === undefined ? {} : { maxInFlightRequests }),
  })
}

const messagesOf = (n: number): Message[] => Array.from({ length: n }, () => ({ value }))

async function produceBatch(version: VersionName, lib: Lib): Promise<Omit<Sample, 'round'>> {
  const producer = producerFor(version, lib, 'batch')
  await producer.connect()
  try {
    const full = messagesOf(batchSize)
    const m = await measure(async () => {
      for (let sent = 0; sent < total; sent += batchSize) {
        const n = Math.min(batchSize, total - sent)
        await producer.send({ topic: dataTopic, acks: -1, messages: n === batchSize ? full : full.slice(0, n) })
      }
    })
    return { scenario: 'produce-batch', version, messages: total, ...m }
  } finally {
    await producer.disconnect()
  }
}

async function produceStream(version: VersionName, lib: Lib): Promise<Omit<Sample, 'round'>> {
  const producer = producerFor(version, lib, 'stream', maxInFlight)
  await producer.connect()
  try {
    const full = messagesOf(streamSize)
    const sends = Math.ceil(total / streamSize)
    const m = await measure(async () => {
      let next = 0
      // `concurrency` workers, each with one send() outstanding at a time: a window of in-flight sends.
      const worker = async () => {
        while (next < sends) {
          const i = next++
          const n = Math.min(streamSize, total - i * streamSize)
          await producer.send({ topic: dataTopic, acks: -1, messages: n === streamSize ? full : full.slice(0, n) })
        }
      }
      await Promise.all(Array.from({ length: concurrency }, worker))
    })
    return { scenario: 'produce-stream', version, messages: total, ...m }
  } finally {
    await producer.disconnect()
  }
}

function joined(consumer: Consumer): Promise<void> {
  return new Promise((resolve) => {
    const off = consumer.on(consumer.events.GROUP_JOIN, () => {
      off()
      resolve()
    })
  })
}

async function idleConsumer(version: VersionName, lib: Lib): Promise<Omit<Sample, 'round'>> {
  const consumer = kafkaFor(version, lib, 'idle').consumer({ groupId: `kjs-versions-idle-${version}-${runId}-${Date.now()}` })
  try {
    await consumer.connect()
    await consumer.subscribe({ topics: [idleTopic], fromBeginning: true })
    const join = joined(consumer)
    await consumer.run({ eachBatch: async () => {} })
    await withDeadline(`${version} idle consumer join`, join)
    await sleep(500) // let the first fetch go out
    const timers = timerCounter()
    timers.start()
    const m = await measure(() => sleep(idleSeconds * 1000))
    return { scenario: 'idle-consumer', version, messages: 0, timers: timers.stop(), ...m }
  } finally {
    await consumer.disconnect()
  }
}

async function consume(version: VersionName, lib: Lib): Promise<Omit<Sample, 'round'>> {
  const consumer = kafkaFor(version, lib, 'consume').consumer({ groupId: `kjs-versions-consume-${version}-${runId}-${Date.now()}` })
  try {
    await consumer.connect()
    await consumer.subscribe({ topics: [dataTopic], fromBeginning: true })
    let seen = 0
    let first = 0n
    let done!: () => void
    const finished = new Promise<void>((r) => (done = r))
    let last = 0n
    const m = await measure(async () => {
      await consumer.run({
        eachBatch: async ({ batch }) => {
          if (seen >= total) return
          if (seen === 0) first = process.hrtime.bigint()
          seen += batch.messages.length
          if (seen >= total) {
            last = process.hrtime.bigint()
            done()
          }
        },
      })
      await withDeadline(`${version} consume`, finished)
    })
    return { scenario: 'consume', version, messages: seen, flowSeconds: Number(last - first) / 1e9, ...m }
  } finally {
    await consumer.disconnect()
  }
}

async function baseline(round: number): Promise<void> {
  const timers = timerCounter()
  timers.start()
  const m = await measure(() => sleep(baselineSeconds * 1000))
  samples.push({ scenario: 'baseline', version: '-', round, messages: 0, timers: timers.stop(), ...m })
  report(samples[samples.length - 1] as Sample)
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

function report(s: Sample): void {
  const head = `${s.round === 0 ? 'setup ' : `round ${s.round}`} ${s.scenario.padEnd(14)} ${s.version.padEnd(9)}`
  const cpu = `cpu ${fmt(s.cpuSeconds * 1000).padStart(6)} ms  wall ${s.wallSeconds.toFixed(2).padStart(6)} s  cpu/wall ${fmt((100 * s.cpuSeconds) / s.wallSeconds, 1).padStart(5)}%`
  const extra =
    s.messages > 0
      ? `  ${fmt(s.messages / s.wallSeconds).padStart(8)} msgs/s` + (s.flowSeconds ? ` (${fmt(s.messages / s.flowSeconds)} msgs/s first-to-last)` : '')
      : `  ${fmt((s.timers ?? 0) / s.wallSeconds).padStart(6)} timers/s`
  console.log(`${head}  ${cpu}${extra}`)
}

const scenarios: [ScenarioName, (v: VersionName, lib: Lib) => Promise<Omit<Sample, 'round'>>][] = [
  ['produce-batch', produceBatch],
  ['produce-stream', produceStream],
  ['idle-consumer', idleConsumer],
  ['consume', consume],
]

// A watchdog that does not keep the process alive: it fires only if something else (a client left
// open) does, and then says what is still there.
function exitWatchdog(): void {
  setTimeout(() => {
    console.error('process still alive 15 s after the bench finished; active resources:', process.getActiveResourcesInfo())
    process.exit(2)
  }, 15_000).unref()
}

const admin = kafkaFor('2.2.2', kafkajs222 as Lib, 'admin').admin()
let failed = false
const started = Date.now()
console.log(
  `kafkajs ${installed('kafkajs-2.2.2')} vs ${installed('kafkajs')} on ${brokers.join(',')}: ${fmt(total)} msgs x ${messageBytes} B, ` +
    `${partitions} partitions, ${rounds} rounds, batch ${batchSize}, stream ${streamSize}/send x ${concurrency} outstanding ` +
    `(maxInFlightRequests ${maxInFlight}), idle ${idleSeconds} s`,
)
try {
  await admin.connect()
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: dataTopic, numPartitions: partitions }, { topic: idleTopic, numPartitions: partitions }] })
  await admin.disconnect() // no client of either version is alive while measuring
  await baseline(0)
  for (let round = 1; round <= rounds; round++) {
    const order: VersionName[] = round % 2 === 1 ? ['2.2.2', '2.2.4', '2.2.4+fix'] : ['2.2.4+fix', '2.2.4', '2.2.2']
    for (const [name, run] of scenarios) {
      for (const version of order) {
        // The fix patches 2.2.4's shared RequestQueue prototype, only while its own variant runs.
        const undo = version === '2.2.4+fix' ? patchIdlePolling(requestQueue224.prototype) : () => undefined
        try {
          const s = { ...(await withDeadline(`${version} ${name}`, run(version, versions[version]))), round }
          samples.push(s)
          report(s)
        } catch (err) {
          failed = true
          console.error(`round ${round} ${name} ${version} FAILED: ${err instanceof Error ? err.message : String(err)}`)
        } finally {
          undo()
        }
      }
    }
  }
  await baseline(rounds + 1)
} finally {
  try {
    await admin.connect()
    await admin.deleteTopics({ topics: [dataTopic, idleTopic] })
  } catch (err) {
    failed = true
    console.error(`could not delete topics ${dataTopic}, ${idleTopic}: ${err instanceof Error ? err.message : String(err)}`)
  } finally {
    await admin.disconnect()
  }
}

// Summary: mean over rounds per scenario and version, and the 2.2.4 / 2.2.2 ratios.
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
console.log('\nSummary (mean over rounds; CPU = process user+system time inside the measured window)')
console.log(
  `${'scenario'.padEnd(15)}${'version'.padEnd(10)}${'wall s'.padStart(8)}${'msgs/s'.padStart(10)}${'CPU ms'.padStart(9)}${'CPU/wall'.padStart(9)}` +
    `${'µs/msg'.padStart(8)}${'timers/s'.padStart(9)}   CPU ms per round`,
)
const base = samples.filter((s) => s.scenario === 'baseline')
for (const b of base) {
  console.log(
    `${`baseline(${b.round === 0 ? 'pre' : 'post'})`.padEnd(15)}${'-'.padEnd(10)}${b.wallSeconds.toFixed(2).padStart(8)}${'-'.padStart(10)}` +
      `${fmt(b.cpuSeconds * 1000).padStart(9)}${`${fmt((100 * b.cpuSeconds) / b.wallSeconds, 1)}%`.padStart(9)}${'-'.padStart(8)}${fmt((b.timers ?? 0) / b.wallSeconds).padStart(9)}`,
  )
}
const ratios: string[] = []
for (const [name] of scenarios) {
  const per: Partial<Record<VersionName, { cpu: number; rate: number }>> = {}
  for (const version of ['2.2.2', '2.2.4', '2.2.4+fix'] as const) {
    const ss = samples.filter((s) => s.scenario === name && s.version === version)
    if (ss.length === 0) continue
    const wall = mean(ss.map((s) => s.wallSeconds))
    const cpu = mean(ss.map((s) => s.cpuSeconds))
    const msgs = mean(ss.map((s) => s.messages))
    const rate = msgs > 0 ? mean(ss.map((s) => s.messages / s.wallSeconds)) : 0
    const timers = ss[0]?.timers === undefined ? undefined : mean(ss.map((s) => (s.timers ?? 0) / s.wallSeconds))
    per[version] = { cpu, rate }
    console.log(
      `${name.padEnd(15)}${version.padEnd(10)}${wall.toFixed(2).padStart(8)}${(msgs > 0 ? fmt(rate) : '-').padStart(10)}${fmt(cpu * 1000).padStart(9)}` +
        `${`${fmt((100 * cpu) / wall, 1)}%`.padStart(9)}${(msgs > 0 ? fmt((1e6 * cpu) / msgs, 1) : '-').padStart(8)}` +
        `${(timers === undefined ? '-' : fmt(timers)).padStart(9)}   ${ss.map((s) => fmt(s.cpuSeconds * 1000)).join(', ')}`,
    )
  }
  const a = per['2.2.2']
  for (const v of ['2.2.4', '2.2.4+fix'] as const) {
    const b = per[v]
    if (!a || !b) continue
    ratios.push(`${name.padEnd(15)} CPU ${v}/2.2.2 = ${(b.cpu / a.cpu).toFixed(2)}` + (a.rate > 0 ? `   msgs/s ${v}/2.2.2 = ${(b.rate / a.rate).toFixed(2)}` : ''))
  }
}
console.log('\nRatios (mean CPU over mean CPU of 2.2.2; same work in each)')
for (const r of ratios) console.log(r)
console.log(
  `\nproduce-* and consume: ${fmt(total)} messages each, wall = send/consume loop (consume includes the group join, ` +
    `msgs/s uses that wall); idle-consumer: ${idleSeconds} s after GROUP_JOIN, no traffic. Total ${((Date.now() - started) / 1000).toFixed(0)} s.`,
)
if (failed) process.exitCode = 1
exitWatchdog()
