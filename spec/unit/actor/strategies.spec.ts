import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createSupervisor } from '../../../lib/actor/index.js'
import type { Strategy } from '../../../lib/actor/index.js'
import { harness, workerSpec } from './support.js'

const test = suite('actor/strategies')

async function crashMiddle(strategy: Strategy) {
  const { clock } = harness()
  const log: string[] = []
  const sup = createSupervisor({ clock, strategy, children: ['a', 'b', 'c', 'd'].map((n) => workerSpec(n, log)) })
  await sup.start()
  const before = new Map(sup.whichChildren().map((c) => [c.id, c.ref]))
  log.length = 0
  sup.getChild('b')!.send({ type: 'crash' })
  await clock.advance(0)
  const replaced = sup.whichChildren().filter((c) => c.ref !== before.get(c.id)).map((c) => c.id)
  const restarts = sup.whichChildren().map((c) => c.restarts)
  assert.ok(sup.whichChildren().every((c) => c.status === 'running'))
  await sup.stop()
  return { log, replaced, restarts }
}

test('one_for_one restarts only the crashed child', async () => {
  const { log, replaced, restarts } = await crashMiddle('one_for_one')
  assert.equal(log.slice(0, 1), ['start:b'])
  assert.equal(replaced, ['b'])
  assert.equal(restarts, [0, 1, 0, 0])
})

test('one_for_all stops the others in reverse order, then starts all in order', async () => {
  const { log, replaced, restarts } = await crashMiddle('one_for_all')
  assert.equal(log.slice(0, 7), ['stop:d', 'stop:c', 'stop:a', 'start:a', 'start:b', 'start:c', 'start:d'])
  assert.equal(replaced, ['a', 'b', 'c', 'd'])
  assert.equal(restarts, [1, 1, 1, 1])
})

test('rest_for_one stops the later children in reverse, then starts the crashed one and them in order', async () => {
  const { log, replaced, restarts } = await crashMiddle('rest_for_one')
  assert.equal(log.slice(0, 5), ['stop:d', 'stop:c', 'start:b', 'start:c', 'start:d'])
  assert.equal(replaced, ['b', 'c', 'd'])
  assert.equal(restarts, [0, 1, 1, 1])
})

test('a group restart drops temporary siblings instead of restarting them', async () => {
  const { clock } = harness()
  const log: string[] = []
  const sup = createSupervisor({
    clock,
    strategy: 'one_for_all',
    children: [workerSpec('a', log), workerSpec('tmp', log, { restart: 'temporary' })],
  })
  await sup.start()
  sup.getChild('a')!.send({ type: 'crash' })
  await clock.advance(0)
  assert.equal(sup.whichChildren().map((c) => c.id), ['a'])
  assert.equal(log, ['start:a', 'start:tmp', 'stop:tmp', 'start:a'])
  await sup.stop()
})

test('a group restart counts once towards intensity', async () => {
  const { clock } = harness()
  const log: string[] = []
  const sup = createSupervisor({ clock, strategy: 'one_for_all', intensity: 1, children: ['a', 'b', 'c'].map((n) => workerSpec(n, log)) })
  await sup.start()
  sup.getChild('b')!.send({ type: 'crash' })
  await clock.advance(0)
  assert.equal(sup.whichChildren().map((c) => c.status), ['running', 'running', 'running'])
  await sup.stop()
  assert.is((await sup.stopped).reason, 'normal')
})

test.run()
