import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { StaleGenerationError } from '../../../lib/errors.js'
import { resolveGroupConfig } from '../../../lib/group/config.js'
import type { GroupConfig } from '../../../lib/group/config.js'
import { ack, noAck } from '../../../lib/group/handler.js'
import type { Message, MessageHandler } from '../../../lib/group/handler.js'
import { createGroupManager } from '../../../lib/group/manager.js'
import { createSupervisor } from '../../../lib/actor/supervisor.js'
import { Events } from '../../../lib/instrumentation/events.js'
import { createInstrumentation } from '../../../lib/instrumentation/instrumentation.js'
import type { InstrumentationEvent } from '../../../lib/instrumentation/instrumentation.js'
import { createManualClock } from '../../../lib/time/manual-clock.js'
import { createFakeClient, createFakeConsumer, createFakeProducer, settle } from '../../support/fake-kafka.js'

const T = 'orders'

function setup(handler: MessageHandler<any>, consumerConfig: GroupConfig['config'] = {}) {
  const consumer = createFakeConsumer()
  const producer = createFakeProducer()
  const client = createFakeClient(consumer, producer)
  const clock = createManualClock()
  const events: InstrumentationEvent[] = []
  const instrumentation = createInstrumentation(clock.now)
  instrumentation.on('*', (e) => events.push(e))
  const config: GroupConfig<any> = { client, groupId: 'g', topics: [T], handler, config: { commitInterval: '1s', ...consumerConfig } }
  const workers = createSupervisor({ id: 'workers', clock, instrumentation })
  void workers.start()
  const manager = createGroupManager({ config, resolved: resolveGroupConfig(config), client, producer, workers, clock, instrumentation })
  const shutdown = new AbortController()
  const running = manager.run(shutdown.signal)
  return { consumer, clock, events, manager, shutdown, running, named: (n: string) => events.filter((e) => e.name === n) }
}

const recording = (calls: number[][]): MessageHandler<null> => ({
  handleMessages(messages: Message[], state) {
    calls.push(messages.map((m) => m.offset))
    return ack(state)
  },
})

const test = suite('group/manager (fake consumer, manual clock)')

test('one worker per assigned partition; batches delivered in order; acked prefix committed on the interval', async () => {
  const calls: number[][] = []
  const s = setup(recording(calls), { maxBatchSize: 2 })
  await settle()
  s.consumer.assign(1, [{ topic: T, partition: 0 }, { topic: T, partition: 1 }])
  await settle()
  s.consumer.deliver(T, 0, [0, 1, 2])
  s.consumer.deliver(T, 1, [5, 6])
  await settle()
  assert.equal(calls, [[0, 1], [5, 6], [2]])
  assert.equal(s.consumer.commits, [], 'nothing committed before the interval')
  await s.clock.advance(1000)
  assert.equal(s.consumer.commits.flat().map((c) => [c.partition, c.offset]).sort(), [[0, 3], [1, 7]])
  s.shutdown.abort()
  await s.running
  assert.ok(s.consumer.stopped)
})

test('back-pressure: fetching pauses when the window is full and resumes once acks release it', async () => {
  let pending: Array<() => void> = []
  const handler: MessageHandler<null> = {
    handleMessages: (_m, state) => new Promise((resolve) => pending.push(() => resolve(ack(state)))),
  }
  const s = setup(handler, { prefetchCount: 3, maxBatchSize: 2 })
  await settle()
  s.consumer.assign(1, [{ topic: T, partition: 0 }])
  await settle()
  s.consumer.deliver(T, 0, [0, 1, 2, 3, 4])
  await settle()
  assert.ok(s.consumer.paused.has(`${T}/0`), 'paused: 5 fetched, window of 3')
  assert.is(s.named(Events.PARTITION_PAUSED).length, 1)
  const release = () => {
    const [next, ...rest] = pending
    pending = rest
    next?.()
  }
  release()
  await settle()
  assert.ok(s.consumer.paused.has(`${T}/0`), '2 in flight + 1 queued: still a full window')
  release()
  await settle()
  assert.not.ok(s.consumer.paused.has(`${T}/0`), 'resumed')
  assert.is(s.named(Events.PARTITION_RESUMED).length, 1)
  release()
  await settle()
  s.shutdown.abort()
  await s.running
})

test('a handler crash restarts only that worker after backoff, seeking to the last ack + 1', async () => {
  const calls: number[][] = []
  let fail = true
  const handler: MessageHandler<null> = {
    handleMessages(messages, state) {
      calls.push(messages.map((m) => m.offset))
      if (fail && messages.some((m) => m.offset === 3)) {
        fail = false
        throw new Error('boom')
      }
      return ack(state)
    },
  }
  const s = setup(handler, { maxBatchSize: 2, restartBackoff: { initial: '200ms', max: '1s' } })
  await settle()
  s.consumer.assign(1, [{ topic: T, partition: 0 }])
  await settle()
  s.consumer.deliver(T, 0, [0, 1, 2, 3, 4])
  await settle()
  assert.equal(s.consumer.seeks, [{ topic: T, partition: 0, offset: 2 }])
  assert.is(s.named(Events.WORKER_CRASHED).length, 1)
  assert.is(s.named(Events.WORKER_RESTARTED).length, 0, 'waiting for backoff')
  // Refetched from the seek point (the adapter drops batches fetched before a seek: kafkajs isStale).
  s.consumer.deliver(T, 0, [0, 1, 2, 3, 4])
  await s.clock.advance(199)
  assert.is(s.named(Events.WORKER_RESTARTED).length, 0)
  await s.clock.advance(1)
  await settle()
  assert.is(s.named(Events.WORKER_RESTARTED).length, 1)
  // Below the seek point is dropped; after a crash the worker gets single messages through the
  // end of the batch that failed ([2, 3]), then full batches again.
  assert.equal(calls.slice(2), [[2], [3], [4]])
  s.shutdown.abort()
  await s.running
  assert.equal(s.consumer.commits.flat().pop(), { topic: T, partition: 0, offset: 5 })
})

test('revocation drains workers and commits; acks of the old generation are then stale', async () => {
  let finish: (() => void) | undefined
  const handler: MessageHandler<null> = {
    handleMessages: (_m, state) => new Promise((resolve) => (finish = () => resolve(ack(state)))),
  }
  const s = setup(handler)
  await settle()
  s.consumer.assign(1, [{ topic: T, partition: 0 }])
  await settle()
  s.consumer.deliver(T, 0, [0, 1, 2])
  await settle()
  s.consumer.revoke()
  await settle()
  assert.is(s.named(Events.PARTITIONS_REVOKED).length, 1)
  finish?.()
  await settle()
  assert.equal(s.consumer.commits.flat(), [{ topic: T, partition: 0, offset: 3 }], 'drained batch committed at once')
  s.consumer.assign(2, [{ topic: T, partition: 0 }])
  await settle()
  const outcome = s.manager.ack({ topic: T, partition: 0, generationId: 1, offset: 2 })
  assert.is(outcome.accepted, false)
  if (!outcome.accepted) assert.instance(outcome.error, StaleGenerationError)
  assert.is(s.named(Events.ACK_REJECTED).length, 1)
  s.shutdown.abort()
  await s.running
})

test('noAck keeps the commit until an external ack with the current generation', async () => {
  const handler: MessageHandler<null> = { handleMessages: (_m, state) => noAck(state) }
  const s = setup(handler)
  await settle()
  s.consumer.assign(7, [{ topic: T, partition: 0 }])
  await settle()
  s.consumer.deliver(T, 0, [0, 1, 2, 3])
  await settle()
  await s.clock.advance(1000)
  assert.equal(s.consumer.commits, [])
  assert.equal(s.manager.ack({ topic: T, partition: 0, generationId: 7, offset: 1 }), { accepted: true })
  await s.clock.advance(1000)
  assert.equal(s.consumer.commits.flat(), [{ topic: T, partition: 0, offset: 2 }])
  s.shutdown.abort()
  await s.running
})

test('repeated failure of one offset stops the partition by default, reported once', async () => {
  const handler: MessageHandler<null> = {
    handleMessages(messages, state) {
      if (messages.some((m) => m.offset === 1)) throw new Error('always')
      return ack(state)
    },
  }
  const s = setup(handler, { restartBackoff: { initial: 10, max: 10 }, onRepeatedFailure: { maxAttempts: 3 } })
  await settle()
  s.consumer.assign(1, [{ topic: T, partition: 0 }])
  await settle()
  for (let round = 0; round < 8 && s.named(Events.PARTITION_STOPPED).length === 0; round++) {
    s.consumer.deliver(T, 0, [0, 1, 2]) // each restart refetches from the last ack
    await settle()
    await s.clock.advance(10)
  }
  // First crash names the batch start (0); isolation then finds offset 1 and counts its 3 failures.
  const crashes = s.named(Events.WORKER_CRASHED).map((e) => [e.payload.offset, e.payload.attempts])
  assert.equal(crashes, [[0, 1], [1, 1], [1, 2], [1, 3]])
  const stopped = s.named(Events.PARTITION_STOPPED)
  assert.is(stopped.length, 1)
  assert.is(stopped[0]?.payload.offset, 1)
  assert.is(s.manager.assignments()[0]?.commitPoint, 1, 'offset 0 was handled and acked')
  assert.ok(s.consumer.paused.has(`${T}/0`), 'a stopped partition stays paused')
  assert.equal(s.manager.assignments()[0]?.status, 'stopped')
  s.shutdown.abort()
  await s.running
})

test.run()

const policies = suite('group/manager: repeated-failure policies')

policies('dead_letter with maxAttempts 1 isolates first: only the failing message goes out', async () => {
  const sent: Array<{ topic: string; count: number }> = []
  const consumer = createFakeConsumer()
  const producer = createFakeProducer(sent)
  const client = createFakeClient(consumer, producer)
  const clock = createManualClock()
  const instrumentation = createInstrumentation(clock.now)
  const events: InstrumentationEvent[] = []
  instrumentation.on('*', (e) => events.push(e))
  const handled: number[] = []
  const handler: MessageHandler<null> = {
    handleMessages(messages, state) {
      if (messages.some((m) => m.offset === 2)) throw new Error('poison at 2')
      handled.push(...messages.map((m) => m.offset))
      return ack(state)
    },
  }
  const config: GroupConfig<any> = {
    client, groupId: 'g', topics: [T], handler,
    config: { restartBackoff: { initial: 1, max: 1 }, onRepeatedFailure: { maxAttempts: 1, action: 'dead_letter', deadLetterTopic: 'dlt' } },
  }
  const workers = createSupervisor({ id: 'workers', clock, instrumentation })
  await workers.start()
  const manager = createGroupManager({ config, resolved: resolveGroupConfig(config), client, producer, workers, clock, instrumentation })
  const shutdown = new AbortController()
  const running = manager.run(shutdown.signal)
  await settle()
  consumer.assign(1, [{ topic: T, partition: 0 }])
  await settle()
  for (let round = 0; round < 4 && !events.some((e) => e.name === Events.DEAD_LETTERED); round++) {
    consumer.deliver(T, 0, [0, 1, 2, 3, 4])
    await settle()
    await clock.advance(1)
  }
  consumer.deliver(T, 0, [0, 1, 2, 3, 4])
  await settle()
  await clock.advance(1)
  const dead = events.filter((e) => e.name === Events.DEAD_LETTERED)
  assert.is(dead.length, 1)
  assert.equal(dead[0]?.payload.offsets, [2])
  assert.equal(sent, [{ topic: 'dlt', count: 1 }])
  assert.equal([...new Set(handled)].sort(), [0, 1, 3, 4])
  shutdown.abort()
  await running
  assert.equal(consumer.commits.flat().pop(), { topic: T, partition: 0, offset: 5 })
})

policies.run()
