import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createSupervisor, supervisorOf } from '../../../lib/actor/index.js'
import { RestartIntensityError } from '../../../lib/errors.js'
import { Events } from '../../../lib/instrumentation/events.js'
import { harness, workerSpec } from './support.js'

const test = suite('actor/intensity and escalation')

test('more than `intensity` restarts within `period` stops every child in reverse and exits with intensity', async () => {
  const { clock, instrumentation, named } = harness()
  const log: string[] = []
  const sup = createSupervisor({ id: 'root', clock, instrumentation, intensity: 2, period: '1s', children: ['a', 'b', 'c'].map((n) => workerSpec(n, log)) })
  await sup.start()
  for (let i = 0; i < 2; i++) {
    sup.getChild('b')!.send({ type: 'crash' })
    await clock.advance(10)
  }
  assert.is(sup.whichChildren()[1]?.restarts, 2)
  log.length = 0
  sup.getChild('b')!.send({ type: 'crash' })
  const exit = await sup.stopped
  assert.is(exit.reason, 'intensity')
  assert.instance(exit.error, RestartIntensityError)
  assert.equal(log, ['stop:c', 'stop:a'])
  const [exceeded] = named(Events.INTENSITY_EXCEEDED)
  assert.equal([exceeded?.supervisorId, exceeded?.childId, exceeded?.restarts, exceeded?.intensity], ['root', 'b', 3, 2])
  assert.equal(named(Events.SUPERVISOR_STOPPED).map((p) => p.reason), ['intensity'])
  // stop() after giving up resolves and changes nothing.
  await sup.stop()
  assert.is((await sup.stopped).reason, 'intensity')
})

test('the window slides: restarts spread wider than `period` never exceed it', async () => {
  const { clock } = harness()
  const log: string[] = []
  const sup = createSupervisor({ clock, intensity: 1, period: '1s', children: [workerSpec('a', log)] })
  await sup.start()
  for (let i = 0; i < 5; i++) {
    sup.getChild('a')!.send({ type: 'crash' })
    await clock.advance(1001)
  }
  assert.equal(sup.whichChildren().map((c) => [c.status, c.restarts]), [['running', 5]])
  await sup.stop()
  assert.is((await sup.stopped).reason, 'normal')
})

test('intensity 0 gives up at the first crash', async () => {
  const { clock } = harness()
  const sup = createSupervisor({ clock, intensity: 0, children: [workerSpec('a', [])] })
  await sup.start()
  sup.getChild('a')!.send({ type: 'crash' })
  assert.is((await sup.stopped).reason, 'intensity')
})

test('a nested supervisor that gives up is a crashed child for its parent, which restarts it', async () => {
  const { clock, instrumentation, named } = harness()
  const log: string[] = []
  const root = createSupervisor({
    id: 'root',
    clock,
    instrumentation,
    intensity: 3,
    children: [
      workerSpec('sibling', log),
      { id: 'inner', start: { supervisor: { intensity: 0, children: [workerSpec('leaf', log)] } } },
    ],
  })
  await root.start()
  assert.equal(root.whichChildren().map((c) => [c.id, c.type]), [['sibling', 'worker'], ['inner', 'supervisor']])
  const firstInner = supervisorOf(root.getChild('inner'))!
  assert.is(firstInner.id, 'inner')
  supervisorOf(root.getChild('inner'))!.getChild('leaf')!.send({ type: 'crash' })
  await clock.advance(0)

  assert.is((await firstInner.stopped).reason, 'intensity')
  const secondInner = supervisorOf(root.getChild('inner'))!
  assert.ok(secondInner !== firstInner, 'a fresh inner supervisor was started')
  assert.equal(secondInner.whichChildren().map((c) => c.status), ['running'])
  assert.equal(root.whichChildren().map((c) => [c.id, c.restarts]), [['sibling', 0], ['inner', 1]])
  const exited = named(Events.CHILD_EXITED).find((p) => p.supervisorId === 'root')
  assert.equal([exited?.childId, exited?.reason], ['inner', 'error'])
  assert.instance(exited?.error, RestartIntensityError)
  assert.equal(log, ['start:sibling', 'start:leaf', 'start:leaf'])
  await root.stop()
  assert.equal(log.slice(3), ['stop:leaf', 'stop:sibling'])
})

test('escalation goes all the way up when the parent has no budget left either', async () => {
  const { clock } = harness()
  const log: string[] = []
  const root = createSupervisor({
    clock,
    intensity: 0,
    children: [workerSpec('sibling', log), { id: 'inner', start: { supervisor: { intensity: 0, children: [workerSpec('leaf', log)] } } }],
  })
  await root.start()
  supervisorOf(root.getChild('inner'))!.getChild('leaf')!.send({ type: 'crash' })
  const exit = await root.stopped
  assert.is(exit.reason, 'intensity')
  assert.is((exit.error as RestartIntensityError).context.childId, 'inner')
  assert.equal(log, ['start:sibling', 'start:leaf', 'stop:sibling'])
})

test.run()
