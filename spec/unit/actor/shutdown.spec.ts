import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { fromPromise } from 'xstate'
import { createSupervisor, SHUTDOWN_EVENT } from '../../../lib/actor/index.js'
import { ChildStartError, ShutdownTimeoutError } from '../../../lib/errors.js'
import { Events } from '../../../lib/instrumentation/events.js'
import { harness, settle, workerSpec } from './support.js'

const test = suite('actor/shutdown')

test('SHUTDOWN_EVENT is troupe.shutdown', () => {
  assert.equal(SHUTDOWN_EVENT, { type: 'troupe.shutdown' })
})

test('a child that ignores troupe.shutdown is stopped outright when its timeout expires', async () => {
  const { clock, instrumentation, named } = harness()
  const log: string[] = []
  const sup = createSupervisor({ clock, instrumentation, children: [workerSpec('stubborn', log, { obeysShutdown: false, shutdown: '2s' })] })
  await sup.start()
  const ref = sup.getChild('stubborn')!
  let stopped = false
  const stopping = sup.stop().then(() => (stopped = true))
  await settle() // the stop begins on a microtask; its timeout starts there
  await clock.advance(1999)
  assert.equal(log, ['start:stubborn', 'ignored:stubborn'])
  assert.not.ok(stopped, 'still waiting within the timeout')
  assert.is(ref.getSnapshot().status, 'active')
  await clock.advance(1)
  await stopping
  assert.is(ref.getSnapshot().status, 'stopped')
  const [timeout] = named(Events.SHUTDOWN_TIMEOUT)
  assert.is(timeout?.childId, 'stubborn')
  assert.is(timeout?.timeoutMs, 2000)
  assert.instance(timeout?.error, ShutdownTimeoutError)
})

test('the default worker timeout is 5s', async () => {
  const { clock } = harness()
  const sup = createSupervisor({ clock, children: [workerSpec('stubborn', [], { obeysShutdown: false })] })
  await sup.start()
  let stopped = false
  void sup.stop().then(() => (stopped = true))
  await settle()
  await clock.advance(4999)
  assert.not.ok(stopped)
  await clock.advance(1)
  assert.ok(stopped)
})

test("'brutal' stops the child at once, without asking", async () => {
  const { clock, named, instrumentation } = harness()
  const log: string[] = []
  const sup = createSupervisor({ clock, instrumentation, children: [workerSpec('a', log, { shutdown: 'brutal' })] })
  await sup.start()
  await sup.stop()
  assert.equal(log, ['start:a'])
  assert.equal(named(Events.CHILD_TERMINATED).map((p) => p.exit), ['stopped'])
})

test('a promise child ignores the request and gets its timeout to settle', async () => {
  const { clock } = harness()
  let settleWork: () => void = () => undefined
  const work = fromPromise(() => new Promise<void>((resolve) => (settleWork = resolve)))
  const sup = createSupervisor({ clock, children: [{ id: 'job', start: { logic: work }, shutdown: '1s', restart: 'transient' }] })
  await sup.start()
  const ref = sup.getChild('job')!
  const stopping = sup.stop()
  await settle()
  await clock.advance(500)
  settleWork()
  await stopping
  assert.is(ref.getSnapshot().status, 'done', 'it finished its work rather than being killed')
})

test('a child crashing while the supervisor is stopping is not restarted', async () => {
  const { clock, instrumentation, named } = harness()
  const log: string[] = []
  const sup = createSupervisor({ clock, instrumentation, children: [workerSpec('a', log), workerSpec('slow', log, { obeysShutdown: false })] })
  await sup.start()
  const a = sup.getChild('a')!
  const stopping = sup.stop()
  await settle()
  a.send({ type: 'crash' }) // while 'slow' is still being waited for
  await clock.advance(5000)
  await stopping
  assert.equal(named(Events.CHILD_RESTARTED), [])
  assert.equal(log.filter((l) => l.startsWith('start:')), ['start:a', 'start:slow'])
  assert.equal(sup.whichChildren().map((c) => c.restarts), [0, 0])
})

test('startChild during shutdown rejects', async () => {
  const { clock } = harness()
  const sup = createSupervisor({ clock, children: [workerSpec('slow', [], { obeysShutdown: false })] })
  await sup.start()
  const stopping = sup.stop()
  const error = await sup.startChild(workerSpec('late', [])).catch((e: unknown) => e)
  assert.instance(error, ChildStartError)
  await clock.advance(5000)
  await stopping
  assert.equal(sup.whichChildren().map((c) => c.id), ['slow'])
})

test('a nested supervisor stops its whole subtree before earlier siblings stop', async () => {
  const { clock } = harness()
  const log: string[] = []
  const root = createSupervisor({
    clock,
    children: [workerSpec('first', log), { id: 'tree', start: { supervisor: { children: [workerSpec('x', log), workerSpec('y', log)] } } }],
  })
  await root.start()
  await root.stop()
  assert.equal(log, ['start:first', 'start:x', 'start:y', 'stop:y', 'stop:x', 'stop:first'])
})

test.run()
