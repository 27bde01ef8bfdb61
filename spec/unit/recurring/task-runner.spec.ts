import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createTaskRunner } from '../../../lib/recurring/task-runner.js'
import { createManualClock } from '../../../lib/time/manual-clock.js'
import { sleep } from '../../../lib/time/clock.js'
import { schedule, T0, task } from './support.js'

const test = suite('recurring/task runner')

test('success with its duration on the injected clock; one run per task at a time', async () => {
  const clock = createManualClock(T0)
  const s = schedule('1', task('slow', '* * * * *', { run: () => sleep(clock, 2500) }))
  const runner = createTaskRunner({ clock, scheduleVersion: '1' })
  const first = runner.start(s.task('slow')!, 'cron', clock.now())
  assert.ok(first)
  assert.is(runner.start(s.task('slow')!, 'trigger', clock.now()), undefined, 'guard against overlapping runs')
  assert.equal(runner.running(), ['slow'])
  await clock.advance(0) // the task body starts on the next turn
  await clock.advance(2500)
  assert.equal(await first, { schemaVersion: 1, taskId: 'slow', scheduleVersion: '1', reason: 'cron', startedAt: T0, durationMs: 2500, result: 'success' })
  assert.not.ok(runner.isRunning('slow'))
})

test('failures (rejections and synchronous throws) are captured as data, never thrown', async () => {
  const clock = createManualClock(T0)
  const s = schedule('1',
    task('rejects', '* * * * *', { run: async () => { throw new RangeError('nope') } }),
    task('throws', '* * * * *', { run: () => { throw 'bare string' } }),
  )
  const runner = createTaskRunner({ clock, scheduleVersion: '1' })
  const a = await runner.start(s.task('rejects')!, 'cron', T0)
  const b = await runner.start(s.task('throws')!, 'trigger', T0)
  assert.equal([a?.result, a?.error], ['failure', { name: 'RangeError', message: 'nope' }])
  assert.equal([b?.result, b?.reason, b?.error], ['failure', 'trigger', { name: 'NonError', message: 'bare string' }])
})

test('tasks run concurrently; whenIdle waits for all; abortAll reaches their signal', async () => {
  const clock = createManualClock(T0)
  let aborted = 0
  const waitForAbort = ({ signal }: { signal: AbortSignal }) => new Promise<void>((resolve) => signal.addEventListener('abort', () => (aborted++, resolve())))
  const s = schedule('1', task('a', '* * * * *', { run: waitForAbort }), task('b', '* * * * *', { run: waitForAbort }))
  const runner = createTaskRunner({ clock, scheduleVersion: '1' })
  runner.start(s.task('a')!, 'cron', T0)
  runner.start(s.task('b')!, 'cron', T0)
  assert.equal(runner.running().sort(), ['a', 'b'])
  let idle = false
  const waiting = runner.whenIdle().then(() => (idle = true))
  await clock.advance(10)
  assert.not.ok(idle)
  runner.abortAll()
  await waiting
  assert.is(aborted, 2)
  assert.equal(runner.running(), [])
})

test.run()
