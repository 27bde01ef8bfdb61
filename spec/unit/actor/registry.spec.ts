import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createActor } from 'xstate'
import { createRegistry, createSupervisor } from '../../../lib/actor/index.js'
import { ActorNotFoundError, NameTakenError } from '../../../lib/errors.js'
import { harness, settle, worker, workerSpec } from './support.js'

const test = suite('actor/registry')

const startWorker = (name: string) => createActor(worker, { input: { name, log: [] } }).start()

test('register, lookup, whereis, names, unregister', () => {
  const registry = createRegistry()
  const a = startWorker('a')
  registry.register('alpha', a)
  assert.is(registry.lookup('alpha'), a)
  assert.is(registry.whereis('alpha'), a)
  assert.equal(registry.names(), ['alpha'])
  assert.throws(() => registry.register('alpha', startWorker('b')), (e: unknown) => e instanceof NameTakenError)
  registry.unregister('alpha')
  assert.is(registry.lookup('alpha'), undefined)
  assert.throws(() => registry.whereis('alpha'), (e: unknown) => e instanceof ActorNotFoundError)
  a.stop()
})

test('unregister with a ref leaves a successor in place', () => {
  const registry = createRegistry()
  const first = startWorker('a')
  const second = startWorker('b')
  registry.register('x', second)
  registry.unregister('x', first)
  assert.is(registry.lookup('x'), second)
  second.stop()
  first.stop()
})

test('a name is released when its actor ends', async () => {
  const registry = createRegistry()
  const a = startWorker('a')
  registry.register('alpha', a)
  a.send({ type: 'finish' })
  await settle(1)
  assert.equal(registry.names(), [])
  const b = startWorker('b')
  registry.register('alpha', b)
  assert.is(registry.lookup('alpha'), b)
  b.stop()
})

test('a supervised child is registered under its name, and its restart takes the name over', async () => {
  const { clock } = harness()
  const registry = createRegistry()
  const sup = createSupervisor({ clock, registry, children: [workerSpec('w', [], { name: 'the-worker' })] })
  await sup.start()
  const first = registry.whereis('the-worker')
  assert.is(first, sup.getChild('w'))
  first.send({ type: 'crash' })
  await clock.advance(0)
  assert.is(registry.whereis('the-worker'), sup.getChild('w'))
  assert.is.not(registry.whereis('the-worker'), first)

  const taken = await sup.startChild(workerSpec('other', [], { name: 'the-worker' })).catch((e: unknown) => e)
  assert.instance(taken, NameTakenError)
  await sup.stop()
  assert.equal(registry.names(), [])
})

test('nested supervisors share the root registry', async () => {
  const { clock } = harness()
  const registry = createRegistry()
  const sup = createSupervisor({ clock, registry, children: [{ id: 'inner', name: 'inner-sup', start: { supervisor: { children: [workerSpec('leaf', [], { name: 'leaf' })] } } }] })
  await sup.start()
  assert.equal(registry.names().sort(), ['inner-sup', 'leaf'])
  await sup.stop()
  assert.equal(registry.names(), [])
})

test.run()
