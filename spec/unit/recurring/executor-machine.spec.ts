import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createActor } from 'xstate'
import { executorMachine } from '../../../lib/recurring/executor-machine.js'
import type { ExecutorEmitted } from '../../../lib/recurring/executor-steps.js'
import type { ScheduleSnapshot } from '../../../lib/recurring/snapshot.js'
import { command, HOUR, MINUTE, schedule, T0, task } from './support.js'

const test = suite('recurring/executor machine (every transition)')

const s = schedule('1.9', task('report', '0 * * * *'), task('sync', '* * * * *'), task('off', '0 0 * * *', { enabled: false }))

function start() {
  const actor = createActor(executorMachine, { input: { schedule: s, startedAt: T0 } })
  const emitted: ExecutorEmitted[] = []
  actor.on('*', (e) => void emitted.push(e))
  actor.start()
  const of = <K extends ExecutorEmitted['type']>(type: K) => emitted.filter((e): e is Extract<ExecutorEmitted, { type: K }> => e.type === type)
  return { actor, emitted, of, state: () => actor.getSnapshot().value, context: () => actor.getSnapshot().context }
}

const stored = (version: string, over: Partial<ScheduleSnapshot> = {}): ScheduleSnapshot => ({
  schemaVersion: 1,
  scheduleVersion: version,
  at: T0 - HOUR,
  commandsAppliedThrough: -1,
  tasks: {
    report: { cron: '0 * * * *', timezone: 'UTC', previousTime: T0 - 30 * MINUTE, nextTime: 0, enabled: false, enabledAt: 0 },
    off: { cron: '0 0 * * *', timezone: 'UTC', previousTime: 0, nextTime: 0, enabled: true, enabledAt: T0 - 2 * HOUR },
    gone: { cron: '* * * * *', timezone: 'UTC', previousTime: 5, nextTime: 0, enabled: true, enabledAt: 0 },
  },
  ...over,
})

test('starts replaying; TICK does nothing while replaying', () => {
  const m = start()
  assert.is(m.state(), 'replaying')
  m.actor.send({ type: 'TICK', now: T0 + HOUR })
  assert.is(m.state(), 'replaying')
  assert.equal(m.emitted, [])
})

test('replaying -> running with no stored state: writes the first snapshot', () => {
  const m = start()
  m.actor.send({ type: 'REPLAY_DONE', now: T0 })
  assert.is(m.state(), 'running')
  assert.equal(m.of('replayed'), [{ type: 'replayed', restored: false, storedVersion: null, commandsApplied: 0, at: T0 }])
  const snap = m.of('snapshot')[0]?.snapshot
  assert.is(snap?.scheduleVersion, '1.9')
  assert.equal(Object.keys(snap?.tasks ?? {}), ['report', 'sync', 'off'])
  assert.equal(snap?.tasks.sync, { cron: '* * * * *', timezone: 'UTC', previousTime: 0, nextTime: T0 + MINUTE, enabled: true, enabledAt: 0 })
  assert.is(snap?.tasks.off?.nextTime, 0, 'a disabled task has no next time')
})

test('replaying: the last STATE_LOADED wins; restore keeps previous times and enabled flags, drops unknown tasks', () => {
  const m = start()
  m.actor.send({ type: 'STATE_LOADED', snapshot: stored('1.0', { tasks: {} }), offset: 0 })
  m.actor.send({ type: 'STATE_LOADED', snapshot: stored('1.2'), offset: 1 })
  m.actor.send({ type: 'REPLAY_DONE', now: T0 })
  assert.is(m.state(), 'running')
  assert.equal(m.context().states.report, { previousTime: T0 - 30 * MINUTE, enabled: false, enabledAt: 0, triggered: false })
  assert.equal(m.context().states.off, { previousTime: 0, enabled: true, enabledAt: T0 - 2 * HOUR, triggered: false })
  assert.equal(m.context().states.sync, { previousTime: 0, enabled: true, enabledAt: 0, triggered: false }, 'a new task starts from its definition')
  assert.not.ok('gone' in (m.of('snapshot')[0]?.snapshot.tasks ?? {}))
  assert.equal(m.of('replayed')[0], { type: 'replayed', restored: true, storedVersion: '1.2', commandsApplied: 0, at: T0 })
})

test('replaying: COMMANDs are buffered, not applied, until REPLAY_DONE; then applied after the restore', () => {
  const m = start()
  m.actor.send({ type: 'COMMAND', command: command('enable', 'report'), offset: 1, now: T0 })
  // A snapshot later in the same replay would have undone an early apply; buffered commands survive it.
  m.actor.send({ type: 'STATE_LOADED', snapshot: stored('1.9'), offset: 0 })
  assert.is(m.context().states.report?.enabled, true, 'untouched while replaying (definition default)')
  assert.equal(m.of('command.applied'), [])
  m.actor.send({ type: 'REPLAY_DONE', now: T0 })
  assert.is(m.context().states.report?.enabled, true, 'stored said disabled, the buffered enable won')
  assert.is(m.context().states.report?.enabledAt, T0)
  assert.is(m.of('command.applied').length, 1)
  assert.is(m.of('replayed')[0]?.commandsApplied, 1)
})

test('replaying: commands the stored state already reflects are not applied again (no double trigger)', () => {
  const m = start()
  m.actor.send({ type: 'COMMAND', command: command('trigger', 'sync'), offset: 4, now: T0 })
  m.actor.send({ type: 'STATE_LOADED', snapshot: stored('1.9', { commandsAppliedThrough: 4 }), offset: 5 })
  m.actor.send({ type: 'COMMAND', command: command('disable', 'sync'), offset: 6, now: T0 })
  m.actor.send({ type: 'REPLAY_DONE', now: T0 })
  assert.equal(m.of('command.applied').map((e) => [e.command.name, e.offset]), [['disable', 6]])
  assert.equal(m.of('run'), [])
  assert.is(m.of('snapshot')[0]?.snapshot.commandsAppliedThrough, 6)
})

test('replaying -> incompatible when the stored version is semantically newer (1.10 > 1.9): nothing runs or is written', () => {
  const m = start()
  m.actor.send({ type: 'STATE_LOADED', snapshot: stored('1.10'), offset: 0 })
  m.actor.send({ type: 'COMMAND', command: command('trigger', '*'), offset: 1, now: T0 })
  m.actor.send({ type: 'REPLAY_DONE', now: T0 })
  assert.is(m.state(), 'incompatible')
  assert.equal(m.of('incompatible'), [{ type: 'incompatible', storedVersion: '1.10', ourVersion: '1.9', reason: 'stored schedule version 1.10 is newer than 1.9' }])
  m.actor.send({ type: 'TICK', now: T0 + 10 * HOUR })
  m.actor.send({ type: 'COMMAND', command: command('trigger', '*'), offset: 2, now: T0 })
  assert.is(m.state(), 'incompatible')
  assert.equal(m.emitted.map((e) => e.type), ['incompatible'])
})

test('replaying -> incompatible for a snapshot schema newer than ours', () => {
  const m = start()
  m.actor.send({ type: 'STATE_LOADED', snapshot: stored('1.0', { schemaVersion: 2 }), offset: 0 })
  m.actor.send({ type: 'REPLAY_DONE', now: T0 })
  assert.is(m.state(), 'incompatible')
  assert.match(m.of('incompatible')[0]?.reason ?? '', 'schema 2')
})

test('running: an older or equal stored version is fine; catch-up runs an overdue task once at REPLAY_DONE', () => {
  const m = start()
  const snap = stored('1.9')
  snap.tasks.report = { ...snap.tasks.report!, enabled: true, previousTime: T0 - 5 * HOUR }
  m.actor.send({ type: 'STATE_LOADED', snapshot: snap, offset: 0 })
  m.actor.send({ type: 'REPLAY_DONE', now: T0 + 10 * MINUTE })
  // report: five missed hourly slots -> one run; sync never ran and is due every minute since process start.
  assert.equal(m.of('run').map((e) => [e.taskId, e.startedAt]), [['report', T0 + 10 * MINUTE], ['sync', T0 + 10 * MINUTE]])
  assert.is(m.of('snapshot').length, 1, 'one snapshot after catch-up')
})

test('running: TICK starts what is due, records previous time, snapshots; nothing due -> nothing emitted', () => {
  const m = start()
  m.actor.send({ type: 'REPLAY_DONE', now: T0 })
  m.emitted.length = 0
  m.actor.send({ type: 'TICK', now: T0 + 30_000 })
  assert.equal(m.emitted, [])
  m.actor.send({ type: 'TICK', now: T0 + MINUTE })
  assert.equal(m.of('run').map((e) => e.taskId), ['sync'])
  assert.is(m.context().states.sync?.previousTime, T0 + MINUTE)
  assert.is(m.of('snapshot')[0]?.snapshot.tasks.sync?.previousTime, T0 + MINUTE)
  assert.equal(m.context().inFlight, ['sync'])
})

test('running: a busy task is not started twice; RUN_FINISHED frees it and a slot missed meanwhile runs once', () => {
  const m = start()
  m.actor.send({ type: 'REPLAY_DONE', now: T0 })
  m.actor.send({ type: 'TICK', now: T0 + MINUTE })
  m.actor.send({ type: 'TICK', now: T0 + 2 * MINUTE })
  m.actor.send({ type: 'TICK', now: T0 + 3 * MINUTE })
  assert.is(m.of('run').length, 1, 'still running: no overlapping run')
  m.actor.send({ type: 'RUN_FINISHED', taskId: 'sync', now: T0 + 3 * MINUTE + 5 })
  assert.equal(m.of('run').map((e) => e.startedAt), [T0 + MINUTE, T0 + 3 * MINUTE + 5])
})

test('running: trigger runs a disabled task once; enable/disable change the flag; every command snapshots', () => {
  const m = start()
  m.actor.send({ type: 'REPLAY_DONE', now: T0 })
  m.emitted.length = 0
  m.actor.send({ type: 'COMMAND', command: command('trigger', 'off'), offset: 3, now: T0 + 1 })
  assert.equal(m.of('run'), [{ type: 'run', taskId: 'off', reason: 'trigger', startedAt: T0 + 1 }])
  assert.equal(m.of('command.applied').map((e) => e.tasks), [['off']])
  assert.is(m.context().states.off?.triggered, false)
  assert.is(m.context().states.off?.enabled, false, 'trigger does not enable')
  m.actor.send({ type: 'COMMAND', command: command('disable', '*'), offset: 4, now: T0 + 2 })
  assert.equal(Object.values(m.context().states).map((st) => st.enabled), [false, false, false])
  m.actor.send({ type: 'COMMAND', command: command('enable', 'sync'), offset: 5, now: T0 + 3 })
  assert.equal([m.context().states.sync?.enabled, m.context().states.sync?.enabledAt], [true, T0 + 3])
  assert.is(m.of('snapshot').length, 3)
  assert.is(m.of('snapshot')[2]?.snapshot.commandsAppliedThrough, 5)
})

test('running: a trigger for a task still running is kept and runs when it finishes', () => {
  const m = start()
  m.actor.send({ type: 'REPLAY_DONE', now: T0 })
  m.actor.send({ type: 'TICK', now: T0 + MINUTE })
  m.actor.send({ type: 'COMMAND', command: command('trigger', 'sync'), offset: 1, now: T0 + MINUTE + 1 })
  assert.is(m.of('run').length, 1)
  m.actor.send({ type: 'RUN_FINISHED', taskId: 'sync', now: T0 + MINUTE + 2 })
  assert.equal(m.of('run').map((e) => e.reason), ['cron', 'trigger'])
})

test('running: unknown commands and unknown tasks are rejected with a reason, state unchanged', () => {
  const m = start()
  m.actor.send({ type: 'REPLAY_DONE', now: T0 })
  const before = m.context().states
  m.actor.send({ type: 'COMMAND', command: command('explode', 'sync'), offset: 1, now: T0 })
  m.actor.send({ type: 'COMMAND', command: command('trigger', 'nope'), offset: 2, now: T0 })
  assert.equal(m.of('command.rejected').map((e) => e.reason), ['unknown command "explode"', 'unknown task "nope"'])
  assert.equal(m.of('command.applied'), [])
  assert.equal(m.context().states, before)
  assert.is(m.context().commandsAppliedThrough, 2, 'a rejected command is settled too: replay will not retry it')
})

test('running: STATE_LOADED (our own snapshot echoed back) changes nothing', () => {
  const m = start()
  m.actor.send({ type: 'REPLAY_DONE', now: T0 })
  const before = m.context()
  m.actor.send({ type: 'STATE_LOADED', snapshot: stored('9.0'), offset: 9 })
  assert.is(m.state(), 'running')
  assert.equal(m.context(), before)
})

test.run()
