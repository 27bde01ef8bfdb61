import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { Events } from '../../../lib/instrumentation/events.js'
import { createInstrumentation } from '../../../lib/instrumentation/instrumentation.js'
import type { InstrumentationEvent } from '../../../lib/instrumentation/instrumentation.js'
import { createScheduleExecutor } from '../../../lib/recurring/executor.js'
import type { Schedule } from '../../../lib/recurring/schedule.js'
import { sleep } from '../../../lib/time/clock.js'
import { createManualClock } from '../../../lib/time/manual-clock.js'
import type { ManualClock } from '../../../lib/time/manual-clock.js'
import { command, MINUTE, recordingSinks, schedule, T0, task } from './support.js'

const test = suite('recurring/executor (manual clock)')

function setup(s: Schedule, clock: ManualClock = createManualClock(T0), sinks = recordingSinks()) {
  const events: InstrumentationEvent[] = []
  const instrumentation = createInstrumentation(clock.now)
  instrumentation.on('*', (e) => events.push(e))
  const executor = createScheduleExecutor({ schedule: s, sinks: sinks.sinks, clock, instrumentation })
  return { executor, clock, sinks, events, named: (n: string) => events.filter((e) => e.name === n) }
}

test('sleeps until the exact next slot (no polling) and runs there', async () => {
  const ran: number[] = []
  const x = setup(schedule('1', task('every-5-min', '*/5 * * * *', { run: ({ startedAt }) => void ran.push(startedAt) })))
  x.executor.replayDone()
  assert.is(x.executor.state(), 'running')
  assert.is(x.executor.nextWakeUp(), T0 + 5 * MINUTE)
  assert.is(x.clock.pending(), 1, 'one timer, not a polling loop')
  await x.clock.advance(5 * MINUTE - 1)
  assert.equal(ran, [])
  await x.clock.advance(1)
  assert.equal(ran, [T0 + 5 * MINUTE], 'ran at the slot itself, not up to a poll interval later')
  assert.is(x.executor.nextWakeUp(), T0 + 10 * MINUTE)
  await x.clock.advance(10 * MINUTE)
  assert.equal(ran, [T0 + 5 * MINUTE, T0 + 10 * MINUTE, T0 + 15 * MINUTE])
  await x.executor.stop()
  assert.is(x.clock.pending(), 0)
})

test('a failing task is logged and does not stop the others or the schedule', async () => {
  const ok: number[] = []
  const x = setup(schedule('1',
    task('broken', '* * * * *', { run: () => { throw new Error('disk full') } }),
    task('healthy', '* * * * *', { run: () => void ok.push(1) }),
  ))
  x.executor.replayDone()
  await x.clock.advance(3 * MINUTE)
  assert.is(ok.length, 3)
  const broken = x.sinks.runs.filter((r) => r.taskId === 'broken')
  assert.equal(broken.map((r) => [r.result, r.error?.message]), [['failure', 'disk full'], ['failure', 'disk full'], ['failure', 'disk full']])
  assert.is(x.named(Events.TASK_FAILED).length, 3)
  assert.is(x.named(Events.TASK_FINISHED).length, 3)
  assert.is(x.sinks.last()?.tasks.broken?.previousTime, T0 + 3 * MINUTE, 'previous time advances after a failure (no retry)')
  await x.executor.stop()
})

test('a long task does not delay the others: runs are concurrent and the tick is on time', async () => {
  const starts: Array<[string, number]> = []
  const clock = createManualClock(T0)
  const x = setup(schedule('1',
    task('slow', '* * * * *', { run: async ({ startedAt }) => { starts.push(['slow', startedAt]); await sleep(clock, 150_000) } }),
    task('fast', '* * * * *', { run: ({ startedAt }) => void starts.push(['fast', startedAt]) }),
  ), clock)
  x.executor.replayDone()
  await clock.advance(3 * MINUTE)
  assert.equal(starts.filter(([id]) => id === 'fast').map(([, at]) => at), [T0 + MINUTE, T0 + 2 * MINUTE, T0 + 3 * MINUTE])
  // slow: started at 1 min, busy for 2.5 min; its 2 and 3 min slots collapse into one run when it finishes.
  assert.equal(starts.filter(([id]) => id === 'slow').map(([, at]) => at), [T0 + MINUTE])
  await clock.advance(30_000)
  assert.equal(starts.filter(([id]) => id === 'slow').map(([, at]) => at), [T0 + MINUTE, T0 + MINUTE + 150_000])
  assert.equal(x.sinks.runs.find((r) => r.taskId === 'slow')?.durationMs, 150_000)
  const stopping = x.executor.stop()
  await clock.advance(150_000) // the second slow run is in flight; stop waits for it
  await stopping
})

test('commands are acknowledged: COMMAND_APPLIED / COMMAND_REJECTED with the request id', async () => {
  let runs = 0
  const x = setup(schedule('1', task('nightly', '0 0 * * *', { enabled: false, run: () => void runs++ })))
  x.executor.replayDone()
  x.executor.command(command('trigger', 'nightly', 'req-1'), 1)
  x.executor.command(command('reboot', 'nightly', 'req-2'), 2)
  await x.clock.advance(0)
  assert.is(runs, 1, 'trigger runs a disabled task once')
  assert.equal(x.named(Events.COMMAND_APPLIED).map((e) => e.payload.requestId), ['req-1'])
  const rejected = x.named(Events.COMMAND_REJECTED)[0]?.payload
  assert.equal([rejected?.requestId, rejected?.reason], ['req-2', 'unknown command "reboot"'])
  assert.is((rejected?.error as { code?: string } | undefined)?.code, 'TROUPE_UNKNOWN_COMMAND')
  await x.executor.stop()
})

test('restart: state from the last snapshot neither misses nor double-runs a recorded slot', async () => {
  const clock = createManualClock(T0)
  const ran: number[] = []
  const def = () => schedule('1', task('hourly', '0 * * * *', { run: ({ startedAt }) => void ran.push(startedAt) }))
  const first = setup(def(), clock)
  first.executor.replayDone()
  await clock.advance(60 * MINUTE) // the 01:00 slot runs
  await first.executor.stop()
  const stored = first.sinks.last()!
  assert.is(stored.tasks.hourly?.previousTime, T0 + 60 * MINUTE)

  // Same hour: restart at 01:30 does not run 01:00 again.
  await clock.advance(30 * MINUTE)
  const second = setup(def(), clock)
  second.executor.loadSnapshot(stored, 0)
  second.executor.replayDone()
  await clock.advance(0)
  assert.equal(ran, [T0 + 60 * MINUTE])
  await second.executor.stop()

  // Down over three slots (02:00, 03:00, 04:00): one catch-up run on restart, then back on the hour.
  await clock.set(T0 + 4 * 60 * MINUTE + 10 * MINUTE)
  const third = setup(def(), clock)
  third.executor.loadSnapshot(second.sinks.last()!, 0)
  third.executor.replayDone()
  await clock.advance(0)
  assert.equal(ran, [T0 + 60 * MINUTE, T0 + 250 * MINUTE])
  assert.is(third.executor.nextWakeUp(), T0 + 5 * 60 * MINUTE)
  await third.executor.stop()
})

test('incompatible: nothing runs, nothing is written, the event carries the error', async () => {
  let runs = 0
  const x = setup(schedule('1.9', task('t', '* * * * *', { run: () => void runs++ })))
  x.executor.loadSnapshot({ schemaVersion: 1, scheduleVersion: '1.10', at: T0, commandsAppliedThrough: -1, tasks: {} }, 0)
  x.executor.replayDone()
  await x.clock.advance(10 * MINUTE)
  assert.is(x.executor.state(), 'incompatible')
  assert.is(runs, 0)
  assert.equal(x.sinks.snapshots, [])
  const event = x.named(Events.SCHEDULE_INCOMPATIBLE)[0]?.payload
  assert.equal([event?.storedVersion, event?.ourVersion], ['1.10', '1.9'])
  assert.is((event?.error as { code?: string } | undefined)?.code, 'TROUPE_INCOMPATIBLE_SCHEDULE')
  await x.executor.stop()
})

test('stop: no new runs, in-flight runs finish and are logged, snapshots taken before stop are written', async () => {
  const clock = createManualClock(T0)
  const x = setup(schedule('1', task('slow', '* * * * *', { run: () => sleep(clock, 5000) })), clock)
  x.executor.replayDone()
  await clock.advance(MINUTE)
  let stopped = false
  const stopping = x.executor.stop().then(() => (stopped = true))
  await clock.advance(4000)
  assert.not.ok(stopped, 'waits for the run in flight')
  await clock.advance(1000)
  await stopping
  assert.is(x.executor.state(), 'stopped')
  assert.equal(x.sinks.runs.map((r) => r.result), ['success'])
  assert.is(x.sinks.last()?.tasks.slow?.previousTime, T0 + MINUTE)
  await clock.advance(10 * MINUTE)
  assert.is(x.sinks.runs.length, 1, 'nothing more after stop')
})

test.run()
