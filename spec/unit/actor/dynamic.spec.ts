import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createSupervisor } from '../../../lib/actor/index.js'
import { ActorNotFoundError, ChildStartError, ConfigError } from '../../../lib/errors.js'
import { Events } from '../../../lib/instrumentation/events.js'
import { failsAtStart, harness, worker, workerSpec } from './support.js'

const test = suite('actor/dynamic children')

test('startChild adds a running child after the static ones; duplicates and failures reject', async () => {
  const { clock } = harness()
  const log: string[] = []
  const sup = createSupervisor({ clock, children: [workerSpec('a', log)] })
  await sup.start()
  const ref = await sup.startChild(workerSpec('dyn', log))
  assert.is(ref.getSnapshot().status, 'active')
  assert.is(sup.getChild('dyn'), ref)
  assert.equal(sup.whichChildren().map((c) => [c.id, c.status]), [['a', 'running'], ['dyn', 'running']])

  assert.instance(await sup.startChild(workerSpec('dyn', log)).catch((e: unknown) => e), ConfigError)
  assert.instance(await sup.startChild({ id: 'bad', start: { logic: failsAtStart } }).catch((e: unknown) => e), ChildStartError)
  assert.equal(sup.whichChildren().map((c) => c.id), ['a', 'dyn'], 'a child that failed to start is not kept')

  await sup.stop()
  assert.equal(log, ['start:a', 'start:dyn', 'stop:dyn', 'stop:a'])
})

test('startChild before start rejects', async () => {
  const sup = createSupervisor({ clock: harness().clock })
  assert.instance(await sup.startChild(workerSpec('x', [])).catch((e: unknown) => e), ChildStartError)
})

test('terminateChild stops gracefully, removes the child and does not restart it', async () => {
  const { clock, instrumentation, named } = harness()
  const log: string[] = []
  const sup = createSupervisor({ clock, instrumentation, children: [workerSpec('a', log), workerSpec('b', log)] })
  await sup.start()
  const b = sup.getChild('b')!
  await sup.terminateChild('b')
  await clock.advance(0)
  assert.is(b.getSnapshot().status, 'done')
  assert.equal(log, ['start:a', 'start:b', 'stop:b'])
  assert.equal(sup.whichChildren().map((c) => c.id), ['a'])
  assert.equal(named(Events.CHILD_RESTARTED), [])
  assert.equal(named(Events.CHILD_TERMINATED).map((p) => [p.childId, p.why]), [['b', 'terminate']])
  const missing = await sup.terminateChild('b').catch((e: unknown) => e)
  assert.instance(missing, ActorNotFoundError)
  await sup.stop()
})

test('restartChild replaces a running child, and starts a stopped transient one', async () => {
  const { clock } = harness()
  const log: string[] = []
  const sup = createSupervisor({ clock, intensity: 0, children: [workerSpec('a', log), workerSpec('t', log, { restart: 'transient' })] })
  await sup.start()
  const before = sup.getChild('a')
  await sup.restartChild('a')
  assert.not.equal(sup.getChild('a'), before)
  sup.getChild('t')!.send({ type: 'finish' })
  await clock.advance(0)
  assert.is(sup.whichChildren()[1]?.status, 'stopped')
  await sup.restartChild('t')
  assert.equal(sup.whichChildren().map((c) => [c.status, c.restarts]), [['running', 1], ['running', 1]])
  assert.equal(log, ['start:a', 'start:t', 'stop:a', 'start:a', 'start:t'])
  // Manual restarts do not spend the restart budget (intensity 0 would otherwise have given up).
  await sup.stop()
  assert.is((await sup.stopped).reason, 'normal')
})

test('start given as a function is called on every start, so restarts get fresh input', async () => {
  const { clock } = harness()
  const log: string[] = []
  let generation = 0
  const sup = createSupervisor({
    clock,
    children: [{ id: 'w', start: () => ({ logic: worker, input: { name: `w${++generation}`, log } }) }],
  })
  await sup.start()
  sup.getChild('w')!.send({ type: 'crash' })
  await clock.advance(0)
  assert.equal(log, ['start:w1', 'start:w2'])
  await sup.stop()
})

test.run()
