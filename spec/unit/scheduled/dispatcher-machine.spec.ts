import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createActor } from 'xstate'
import { dispatcherMachine, phaseOf } from '../../../lib/scheduled/dispatcher-machine.js'

const test = suite('scheduled/dispatcher-machine')
const start = () => createActor(dispatcherMachine, { input: { partition: 3 } }).start()

test('nothing can be sent before loading completes', () => {
  const a = start()
  a.send({ type: 'SEND' })
  assert.is(a.getSnapshot().value, 'idle')
  a.send({ type: 'LOAD' })
  a.send({ type: 'SEND' })
  assert.is(a.getSnapshot().value, 'loading')
  a.send({ type: 'LOADED', at: 42 })
  assert.equal(a.getSnapshot().value, { loaded: 'waiting' })
  assert.is(a.getSnapshot().context.loadedAt, 42)
  a.send({ type: 'SEND' })
  assert.equal(a.getSnapshot().value, { loaded: 'sending' })
})

test('one batch at a time, and a day change waits for the batch in flight', () => {
  const a = start()
  a.send({ type: 'LOAD' })
  a.send({ type: 'LOADED', at: 1 })
  a.send({ type: 'SEND' })
  a.send({ type: 'DAY_CHANGED' })
  assert.equal(a.getSnapshot().value, { loaded: 'sending' })
  a.send({ type: 'SENT' })
  a.send({ type: 'DAY_CHANGED' })
  assert.is(a.getSnapshot().value, 'reloading')
  a.send({ type: 'SEND' })
  assert.is(a.getSnapshot().value, 'reloading')
  a.send({ type: 'LOADED', at: 2 })
  assert.is(a.getSnapshot().context.reloads, 1)
  assert.is(phaseOf(a.getSnapshot().value), 'loaded')
})

test('stop is final from anywhere', () => {
  const a = start()
  a.send({ type: 'LOAD' })
  a.send({ type: 'STOP' })
  assert.is(a.getSnapshot().status, 'done')
  assert.is(phaseOf(a.getSnapshot().value), 'stopped')
})

test.run()
