import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createActor } from 'xstate'
import { HandlerError } from '../../../lib/errors.js'
import { ack } from '../../../lib/group/handler.js'
import type { Message, MessageHandler, PartitionContext } from '../../../lib/group/handler.js'
import { partitionWorker } from '../../../lib/group/worker.js'
import type { WorkerReport } from '../../../lib/group/worker.js'
import { createFakeProducer, message, settle } from '../../support/fake-kafka.js'

const context: PartitionContext = { topic: 't', partition: 0, groupId: 'g', generationId: 1, producer: createFakeProducer() }

function start(handler: MessageHandler<any, any>) {
  const reports: WorkerReport[] = []
  const actor = createActor(partitionWorker, {
    input: { handler, initArgs: { seed: 1 }, context, ack: () => undefined, report: (r) => reports.push(r) },
  })
  let error: unknown
  actor.subscribe({ error: (e) => (error = e) })
  actor.start()
  const deliver = (messages: Message[], highWatermark: number) => {
    const ready = reports.find((r) => r.type === 'ready')
    if (!ready || ready.type !== 'ready') throw new Error('worker not ready')
    ready.deliver(messages, highWatermark)
  }
  return { actor, reports, deliver, error: () => error }
}

const test = suite('group/worker machine')

test('init gets the args; state threads through handleMessages; each result is reported', async () => {
  const seen: unknown[] = []
  const w = start({
    init: (args: { seed: number }) => ({ count: args.seed }),
    handleMessages(messages, state: { count: number }) {
      seen.push(state.count)
      return ack({ count: state.count + messages.length })
    },
  })
  await settle()
  assert.equal(w.reports.map((r) => r.type), ['ready'])
  w.deliver([message('t', 0, 0), message('t', 0, 1)], 2)
  await settle()
  w.deliver([message('t', 0, 2)], 3)
  await settle()
  assert.equal(seen, [1, 3])
  assert.equal(w.reports.map((r) => (r.type === 'handled' ? r.messages.map((m) => m.offset) : r.type)), ['ready', [0, 1], [2]])
})

test('shutdown while handling lets the batch finish (drain), then terminate runs with reason shutdown', async () => {
  let finish: () => void = () => undefined
  let calls = 0
  const terminated: string[] = []
  const w = start({
    handleMessages: (_m, state) => {
      calls += 1
      return new Promise((resolve) => (finish = () => resolve(ack(state))))
    },
    terminate: (_s, _c, reason) => void terminated.push(reason),
  })
  await settle()
  w.deliver([message('t', 0, 0)], 1)
  await settle()
  w.actor.send({ type: 'troupe.shutdown' })
  await settle()
  assert.is(w.actor.getSnapshot().value, 'draining')
  finish()
  await settle()
  assert.is(w.actor.getSnapshot().status, 'done')
  assert.equal(terminated, ['shutdown'])
  assert.is(w.reports.filter((r) => r.type === 'handled').length, 1, 'the drained batch was reported')
  assert.is(calls, 1, 'the handler ran once for the batch: draining does not call it again')
})

test('a throwing handler fails the actor with the error', async () => {
  const w = start({ handleMessages: () => { throw new Error('boom') } })
  await settle()
  w.deliver([message('t', 0, 0)], 1)
  await settle()
  assert.is(w.actor.getSnapshot().status, 'error')
  assert.is((w.error() as Error).message, 'boom')
})

test('a result that is not a handler result fails the actor with a HandlerError', async () => {
  const w = start({ handleMessages: () => 'ok' as never })
  await settle()
  w.deliver([message('t', 0, 0)], 1)
  await settle()
  assert.instance(w.error(), HandlerError)
})

test('shutdown during init stops without calling terminate', async () => {
  let resolveInit: (v: unknown) => void = () => undefined
  const terminated: string[] = []
  const w = start({
    init: () => new Promise((r) => (resolveInit = r)),
    handleMessages: (_m, s) => ack(s),
    terminate: (_s, _c, reason) => void terminated.push(reason),
  })
  await settle()
  w.actor.send({ type: 'troupe.shutdown' })
  resolveInit({})
  await settle()
  assert.is(w.actor.getSnapshot().status, 'done')
  assert.equal(terminated, [])
})

test.run()
