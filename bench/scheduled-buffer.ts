/**
 * Scheduled messages bench: memory per message in the daily buffer, load throughput, and dispatch
 * lateness against due time.
 *
 *   node --expose-gc --import tsx bench/scheduled-buffer.ts [count=1000000] [windowMs=10000]
 *
 * Memory: `count` schedule records are decoded and applied through the same path a load uses
 * (decode -> schedule book -> daily buffer), 64-byte values, 21-character ids, no user headers; heap
 * and Buffer backing-store growth after a forced GC, divided by the count.
 * Lateness: REAL clock (systemClock, real timers). `count` messages due spread evenly over a window
 * opening once the load is over are loaded into one partition dispatcher whose producer acknowledges at once
 * (an in-memory producer: this measures the scheduler, not the broker round trip).
 */
import { nanoid } from 'nanoid'
import { Events } from '../lib/instrumentation/events.js'
import { createInstrumentation } from '../lib/instrumentation/instrumentation.js'
import type { IncomingMessage, OutgoingMessage, Producer } from '../lib/kafka/client.js'
import { decodeProxyRecord } from '../lib/scheduled/envelope.js'
import { buildScheduleMessage } from '../lib/scheduled/messages.js'
import { createPartitionDispatcher } from '../lib/scheduled/partition-dispatcher.js'
import { createScheduleBook } from '../lib/scheduled/schedule-book.js'
import { resolveDispatcherSettings } from '../lib/scheduled/settings.js'
import { bufferHorizon } from '../lib/scheduled/day.js'
import { systemClock } from '../lib/time/clock.js'

const COUNT = Number(process.argv[2] ?? 1_000_000)
const WINDOW_MS = Number(process.argv[3] ?? 10_000)
const settings = resolveDispatcherSettings({ tolerance: '1h' })
const VALUE = Buffer.alloc(64, 'x')
const gc = (globalThis as { gc?: () => void }).gc

function incoming(message: OutgoingMessage, offset: number, timestamp: number): IncomingMessage {
  const headers: Record<string, Buffer> = {}
  // Unpooled, like a client's slices of a fetch response, so they do not share pool slabs with the buffer's copies.
  const bytes = (v: string | Buffer) => {
    const b = Buffer.allocUnsafeSlow(Buffer.byteLength(v))
    typeof v === 'string' ? b.write(v) : v.copy(b)
    return b
  }
  for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = bytes(v)
  return { topic: 'proxy', partition: 0, offset, key: bytes(message.key as string), value: bytes(message.value as Buffer), headers, timestamp, size: 0 }
}

/** Records generated in chunks so only the buffered copies stay alive. */
function* records(count: number, firstDue: number, spreadMs: number, now: number) {
  for (let offset = 0; offset < count; offset++) {
    const due = firstDue + Math.floor((offset * spreadMs) / count)
    const built = buildScheduleMessage({ targetTopic: 'target', at: due, value: VALUE, targetKey: `k${offset % 1000}` }, now, settings.limits, nanoid)
    yield incoming(built.message, offset, now)
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`
const settleGc = () => {
  for (let i = 0; i < 3; i++) gc?.()
}

function measureMemory() {
  const now = Date.now()
  const book = createScheduleBook(bufferHorizon(now, settings.lookaheadMs))
  settleGc()
  const before = process.memoryUsage()
  let started = 0
  let timed = 0
  book.buffer.beginBulk()
  const chunk: IncomingMessage[] = []
  const applyChunk = () => {
    started = performance.now()
    for (const message of chunk) {
      const decoded = decodeProxyRecord(message, settings.limits)
      if (decoded.ok) book.apply(decoded.record)
    }
    timed += performance.now() - started
    chunk.length = 0
  }
  for (const message of records(COUNT, now + 1000, 1000, now)) {
    chunk.push(message)
    if (chunk.length === 10_000) applyChunk()
  }
  applyChunk()
  started = performance.now()
  book.buffer.endBulk()
  timed += performance.now() - started
  const loadMs = timed
  settleGc()
  const after = process.memoryUsage()
  const heap = after.heapUsed - before.heapUsed
  const buffers = after.arrayBuffers - before.arrayBuffers
  console.log(`memory (${COUNT.toLocaleString()} messages in the daily buffer, 64 B values, gc=${gc ? 'forced' : 'NOT AVAILABLE: run with --expose-gc'})`)
  console.log(`  buffered           ${book.buffer.size.toLocaleString()}`)
  console.log(`  heap               ${mb(heap)}  = ${(heap / COUNT).toFixed(0)} B/message`)
  console.log(`  buffer stores      ${mb(buffers)}  = ${(buffers / COUNT).toFixed(0)} B/message (value + target key bytes, pooled)`)
  console.log(`  total              ${((heap + buffers) / COUNT).toFixed(0)} B/message`)
  console.log(`  load (decode+apply+heapify, generation excluded) ${loadMs.toFixed(0)} ms = ${Math.round(COUNT / (loadMs / 1000)).toLocaleString()} records/s`)
  return book // keep alive until measured
}

async function measureLateness() {
  const now = Date.now()
  // The window opens after generating and loading (budget: 30 us per record), so lateness is the scheduler's alone.
  const firstDue = now + 2000 + Math.ceil(COUNT * 0.03)
  const instantProducer: Producer = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    produce: async (topic, messages) => messages.map((_, i) => ({ topic, partition: 0, offset: i })),
    transaction: async (work) => work(async () => undefined),
  }
  const lateness = new Float64Array(COUNT)
  let sent = 0
  const instrumentation = createInstrumentation()
  instrumentation.on(Events.MESSAGE_DISPATCHED, (e) => void (lateness[sent++] = e.payload.lateMs as number))
  let done!: () => void
  const finished = new Promise<void>((r) => (done = r))
  instrumentation.on(Events.MESSAGE_DISPATCHED, () => void (sent === COUNT && done()))
  const dispatcher = createPartitionDispatcher({
    proxyTopic: 'proxy', partition: 0, producer: instantProducer, clock: systemClock, instrumentation, settings,
    watermarks: async () => ({ partition: 0, low: 0, high: COUNT }),
    seek: () => undefined,
    publishStatus: () => undefined,
  })
  const loadStarted = performance.now()
  await dispatcher.start()
  let chunk: IncomingMessage[] = []
  for (const message of records(COUNT, firstDue, WINDOW_MS, now)) {
    chunk.push(message)
    if (chunk.length === 10_000) {
      dispatcher.onBatch({ topic: 'proxy', partition: 0, messages: chunk, highWatermark: COUNT })
      chunk = []
    }
  }
  dispatcher.onBatch({ topic: 'proxy', partition: 0, messages: chunk, highWatermark: COUNT })
  const loadMs = performance.now() - loadStarted
  const behind = Date.now() - firstDue
  await finished
  await dispatcher.stop()
  const sorted = lateness.slice(0, sent).sort()
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
  console.log(`dispatch lateness (REAL clock; ${COUNT.toLocaleString()} messages due evenly over ${WINDOW_MS} ms; in-memory producer that acks at once)`)
  console.log(`  generated+loaded   ${loadMs.toFixed(0)} ms (first due ${behind > 0 ? `${behind} ms before the load finished: counted as late` : 'after the load finished'})`)
  console.log(`  lateness p50       ${pct(50)} ms`)
  console.log(`  lateness p99       ${pct(99)} ms`)
  console.log(`  lateness max       ${sorted[sorted.length - 1]} ms`)
  console.log(`  sent               ${sent.toLocaleString()} (${Math.round(COUNT / (WINDOW_MS / 1000)).toLocaleString()}/s asked for)`)
}

const kept = measureMemory()
console.log('')
void kept.buffer.size
kept.buffer.clear()
await measureLateness()
