import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { fromCallback } from 'xstate'
import { fromService } from '../../../lib/actor/service-logic.js'
import { Events } from '../../../lib/instrumentation/events.js'
import { createInstrumentation } from '../../../lib/instrumentation/instrumentation.js'
import type { InstrumentationEvent } from '../../../lib/instrumentation/instrumentation.js'
import { createRunner } from '../../../lib/runner/runner.js'
import { createManualClock } from '../../../lib/time/manual-clock.js'
import { settle } from '../../support/fake-kafka.js'

const test = suite('runner')

function recorder() {
  const clock = createManualClock()
  const events: InstrumentationEvent[] = []
  const instrumentation = createInstrumentation(clock.now)
  instrumentation.on('*', (e) => events.push(e))
  return { clock, events, instrumentation, named: (n: string) => events.filter((e) => e.name === n) }
}

// A service that finishes its work when asked to shut down.
const polite = (log: string[], name: string) =>
  fromService(async ({ shutdown }) => {
    log.push(`start ${name}`)
    await new Promise<void>((resolve) => shutdown.addEventListener('abort', () => resolve(), { once: true }))
    log.push(`stop ${name}`)
  })

test('starts children in order and stops them in reverse on a graceful stop', async () => {
  const r = recorder()
  const log: string[] = []
  const exits: number[] = []
  const runner = createRunner({
    children: [
      { id: 'a', start: { logic: polite(log, 'a') } },
      { id: 'b', start: { logic: polite(log, 'b') } },
    ],
    signals: false,
    exit: (c) => exits.push(c),
    clock: r.clock,
    instrumentation: r.instrumentation,
  })
  await runner.start()
  await settle()
  assert.equal(log, ['start a', 'start b'])
  const result = await runner.stop()
  assert.equal(result, { reason: 'stopped' })
  assert.equal(log, ['start a', 'start b', 'stop b', 'stop a'])
  assert.is(r.named(Events.RUNNER_STARTED).length, 1)
  assert.is(r.named(Events.RUNNER_STOPPED).length, 1)
  assert.equal(exits, [], 'an explicit stop() does not exit the process')
})

test('SIGTERM stops gracefully and exits 0; the signal handler is removed afterwards', async () => {
  const r = recorder()
  const log: string[] = []
  const exits: number[] = []
  const before = process.listenerCount('SIGTERM')
  const runner = createRunner({ children: [{ id: 'a', start: { logic: polite(log, 'a') } }], signals: ['SIGTERM'], exit: (c) => exits.push(c), clock: r.clock, instrumentation: r.instrumentation })
  await runner.start()
  assert.is(process.listenerCount('SIGTERM'), before + 1)
  process.emit('SIGTERM')
  assert.equal(await runner.done, { reason: 'stopped' })
  await settle()
  assert.equal(exits, [0])
  assert.equal(log, ['start a', 'stop a'])
  assert.is(process.listenerCount('SIGTERM'), before)
})

test('a child that ignores shutdown: forced after shutdownTimeout, busy children reported, exit 1', async () => {
  const r = recorder()
  const exits: number[] = []
  const stubborn = fromCallback(() => () => undefined) // never finishes on request
  const runner = createRunner({
    children: [{ id: 'stubborn', start: { logic: stubborn }, shutdown: 'infinity' }],
    shutdownTimeout: '2s',
    signals: ['SIGINT'],
    exit: (c) => exits.push(c),
    clock: r.clock,
    instrumentation: r.instrumentation,
  })
  await runner.start()
  process.emit('SIGINT')
  await r.clock.advance(1999)
  assert.is(r.named(Events.RUNNER_FORCED_STOP).length, 0)
  await r.clock.advance(1)
  const result = await runner.done
  assert.equal(result, { reason: 'forced', busy: ['stubborn'] })
  await settle()
  assert.equal(exits, [1])
  assert.is(r.named(Events.RUNNER_FORCED_STOP)[0]?.payload.busy instanceof Array, true)
})

test('a second signal forces the stop at once', async () => {
  const r = recorder()
  const exits: number[] = []
  const runner = createRunner({
    children: [{ id: 'slow', start: { logic: fromCallback(() => () => undefined) }, shutdown: 'infinity' }],
    signals: ['SIGINT'],
    exit: (c) => exits.push(c),
    clock: r.clock,
    instrumentation: r.instrumentation,
  })
  await runner.start()
  process.emit('SIGINT')
  await settle()
  process.emit('SIGINT')
  assert.equal(await runner.done, { reason: 'forced', busy: ['slow'] })
  assert.equal(exits, [1])
})

test('an escalation from the root supervisor (intensity exceeded) exits 1', async () => {
  const r = recorder()
  const exits: number[] = []
  const crashing = fromService(async () => {
    throw new Error('always fails')
  })
  const runner = createRunner({ children: [{ id: 'crashy', start: { logic: crashing } }], intensity: 2, period: '10s', signals: false, exit: (c) => exits.push(c), clock: r.clock, instrumentation: r.instrumentation })
  await runner.start().catch(() => undefined)
  const result = await runner.done
  assert.is(result.reason, 'escalated')
  assert.equal(exits, [1])
  assert.ok(r.named(Events.INTENSITY_EXCEEDED).length >= 1)
})

test.run()
