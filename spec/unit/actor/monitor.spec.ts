import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createActor } from 'xstate'
import { monitor } from '../../../lib/actor/index.js'
import type { ActorExit } from '../../../lib/actor/index.js'
import { failsAtStart, settle, worker } from './support.js'

const test = suite('actor/monitor')

const watched = () => {
  const ref = createActor(worker, { input: { name: 'w', log: [] } })
  const exits: ActorExit[] = []
  const cancel = monitor(ref, (exit) => exits.push(exit))
  ref.start()
  return { ref, exits, cancel }
}

test('reports a normal exit (final state) once', () => {
  const { ref, exits } = watched()
  ref.send({ type: 'finish' })
  assert.equal(exits, [{ reason: 'normal' }])
})

test('reports a crash with its error', () => {
  const { ref, exits } = watched()
  ref.send({ type: 'crash' })
  assert.is(exits.length, 1)
  assert.is(exits[0]?.reason, 'error')
  assert.match(String((exits[0] as { error: unknown }).error), 'boom')
})

test('reports an outside stop', () => {
  const { ref, exits } = watched()
  ref.stop()
  assert.equal(exits, [{ reason: 'stopped' }])
})

test('an actor failing at start is reported, not thrown as unhandled', () => {
  const ref = createActor(failsAtStart)
  const exits: ActorExit[] = []
  monitor(ref, (exit) => exits.push(exit))
  ref.start()
  assert.equal(exits.map((e) => e.reason), ['error'])
})

test('an actor that already ended is reported on a microtask', async () => {
  const ref = createActor(worker, { input: { name: 'w', log: [] } }).start()
  ref.send({ type: 'finish' })
  const exits: ActorExit[] = []
  monitor(ref, (exit) => exits.push(exit))
  assert.equal(exits, [])
  await settle(1)
  assert.equal(exits, [{ reason: 'normal' }])
})

test('cancelling stops the reports; a throwing listener does not affect the actor', () => {
  const { ref, exits, cancel } = watched()
  cancel()
  monitor(ref, () => {
    throw new Error('listener bug')
  })
  ref.send({ type: 'finish' })
  assert.equal(exits, [])
  assert.is(ref.getSnapshot().status, 'done')
})

test.run()
