import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createSupervisor } from '../../../lib/actor/index.js'
import { ChildStartError } from '../../../lib/errors.js'
import { Events } from '../../../lib/instrumentation/events.js'
import { failsAtStart, harness, workerSpec } from './support.js'

const test = suite('actor/supervisor lifecycle')

test('starts children in order and stops them in reverse order', async () => {
  const { clock, instrumentation, named } = harness()
  const log: string[] = []
  const sup = createSupervisor({ id: 'root', clock, instrumentation, children: ['a', 'b', 'c'].map((n) => workerSpec(n, log)) })
  await sup.start()
  assert.equal(log, ['start:a', 'start:b', 'start:c'])
  assert.equal(sup.whichChildren().map((c) => [c.id, c.status]), [['a', 'running'], ['b', 'running'], ['c', 'running']])
  await sup.stop()
  assert.equal(log.slice(3), ['stop:c', 'stop:b', 'stop:a'])
  assert.equal(await sup.stopped, { reason: 'normal' })
  assert.equal(sup.whichChildren().map((c) => c.status), ['stopped', 'stopped', 'stopped'])
  assert.equal(named(Events.SUPERVISOR_STARTED), [{ supervisorId: 'root', strategy: 'one_for_one', children: ['a', 'b', 'c'] }])
  assert.equal(named(Events.CHILD_TERMINATED).map((p) => p.childId), ['c', 'b', 'a'])
})

test('stop is idempotent, and a reason makes the exit a shutdown carrying it', async () => {
  const { clock } = harness()
  const log: string[] = []
  const sup = createSupervisor({ clock, children: [workerSpec('a', log)] })
  await sup.start()
  const exits: unknown[] = []
  sup.onExit((exit) => exits.push(exit))
  const first = sup.stop('SIGTERM')
  const second = sup.stop()
  assert.is(first, second)
  await first
  assert.equal(log, ['start:a', 'stop:a'])
  assert.equal(exits, [{ reason: 'shutdown', cause: 'SIGTERM' }])
  await sup.stop()
  assert.equal(exits.length, 1)
})

test('a child whose start throws: start rejects with ChildStartError and started siblings stop in reverse', async () => {
  const { clock, named, instrumentation } = harness()
  const log: string[] = []
  const sup = createSupervisor({
    clock,
    instrumentation,
    children: [
      workerSpec('a', log),
      workerSpec('b', log),
      {
        id: 'broken',
        start: () => {
          throw new Error('no config')
        },
      },
      workerSpec('never', log),
    ],
  })
  const error = await sup.start().then(
    () => undefined,
    (e: unknown) => e,
  )
  assert.instance(error, ChildStartError)
  assert.is((error as ChildStartError).context.childId, 'broken')
  assert.is(((error as ChildStartError).cause as Error).message, 'no config')
  assert.equal(log, ['start:a', 'start:b', 'stop:b', 'stop:a'])
  const exit = await sup.stopped
  assert.is(exit.reason, 'start_failed')
  assert.is(exit.error, error)
  assert.is(named(Events.CHILD_START_FAILED)[0]?.childId, 'broken')
})

test('an actor that errors synchronously while starting is a failed start', async () => {
  const { clock } = harness()
  const log: string[] = []
  const sup = createSupervisor({ clock, children: [workerSpec('a', log), { id: 'bad', start: { logic: failsAtStart } }] })
  const error = await sup.start().catch((e: unknown) => e)
  assert.instance(error, ChildStartError)
  assert.match(((error as ChildStartError).cause as Error).message, 'cannot start')
  assert.equal(log, ['start:a', 'stop:a'])
})

test('throwing instrumentation and exit listeners do not break supervision', async () => {
  const { clock } = harness()
  const log: string[] = []
  const instrumentation = {
    emit() {
      throw new Error('listener bug')
    },
    on: () => () => undefined,
  }
  const sup = createSupervisor({ clock, instrumentation, children: [workerSpec('a', log)] })
  sup.onExit(() => {
    throw new Error('exit listener bug')
  })
  let heard = false
  sup.onExit(() => (heard = true))
  await sup.start()
  sup.getChild('a')!.send({ type: 'crash' })
  await clock.advance(0)
  assert.is(sup.whichChildren()[0]?.restarts, 1)
  await sup.stop()
  assert.ok(heard)
})

test('onExit after the supervisor stopped still hears the exit', async () => {
  const sup = createSupervisor({ clock: harness().clock })
  await sup.start()
  await sup.stop()
  const exit = await new Promise((resolve) => sup.onExit(resolve))
  assert.equal(exit, { reason: 'normal' })
})

test.run()
