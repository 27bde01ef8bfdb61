import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createBackoff, createSupervisor } from '../../../lib/actor/index.js'
import { Events } from '../../../lib/instrumentation/events.js'
import { harness, settle, workerSpec } from './support.js'

const test = suite('actor/restart backoff')

test('delays grow by factor and are capped at max', () => {
  const backoff = createBackoff({ initial: '100ms', max: '1s', factor: 3 })
  assert.equal([0, 1, 2, 3, 4].map((n) => backoff.delayMs(n)), [100, 300, 900, 1000, 1000])
  assert.is(createBackoff(undefined).delayMs(5), 0)
})

test('a crashed child waits out the backoff as restarting, and quick crashes double the wait', async () => {
  const { clock, instrumentation, named } = harness()
  const log: string[] = []
  const sup = createSupervisor({ clock, instrumentation, intensity: 10, period: '10s', backoff: { initial: 100, max: 250 }, children: [workerSpec('w', log)] })
  await sup.start()
  const waits: number[] = []
  for (let i = 0; i < 3; i++) {
    sup.getChild('w')!.send({ type: 'crash' })
    await settle()
    assert.equal(sup.whichChildren().map((c) => [c.status, c.ref]), [['restarting', undefined]])
    let waited = 0
    while (sup.whichChildren()[0]?.status !== 'running') {
      await clock.advance(10)
      waited += 10
    }
    waits.push(waited)
  }
  assert.equal(waits, [100, 200, 250])
  assert.is(named(Events.CHILD_RESTARTED).length, 3)
  await sup.stop()
})

test('the backoff resets once the child stayed up for a full period', async () => {
  const { clock } = harness()
  const sup = createSupervisor({ clock, period: '1s', backoff: { initial: 100, max: 1000 }, children: [workerSpec('w', [])] })
  await sup.start()
  sup.getChild('w')!.send({ type: 'crash' })
  await settle() // the exit is handled (and the backoff timer set) on a later turn
  await clock.advance(100) // first wait: 100
  assert.is(sup.whichChildren()[0]?.status, 'running')
  await clock.advance(1000) // stays up a full period
  sup.getChild('w')!.send({ type: 'crash' })
  await settle()
  await clock.advance(99)
  assert.is(sup.whichChildren()[0]?.status, 'restarting')
  await clock.advance(1)
  assert.is(sup.whichChildren()[0]?.status, 'running', 'waited 100 again, not 200')
  await sup.stop()
})

test('stopping during a backoff cancels the pending restart', async () => {
  const { clock, named, instrumentation } = harness()
  const log: string[] = []
  const sup = createSupervisor({ clock, instrumentation, backoff: { initial: '1s', max: '1s' }, children: [workerSpec('w', log)] })
  await sup.start()
  sup.getChild('w')!.send({ type: 'crash' })
  await settle()
  assert.is(clock.pending(), 1)
  await sup.stop()
  assert.is(clock.pending(), 0)
  await clock.advance(5000)
  assert.equal(log, ['start:w'])
  assert.equal(named(Events.CHILD_RESTARTED), [])
})

test.run()
