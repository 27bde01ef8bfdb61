// Intent: a restarted process resumes the stored schedule state — previous run times and enabled flags survive, and a recorded slot is not run again.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { Events } from '../../../lib/instrumentation/events.js'
import { defineSchedule } from '../../../lib/recurring/schedule.js'
import { eventually } from '../../support/kafka.js'
import { instance, scenario } from './support.js'

const test = suite('recurring/restart resumes state (real broker)')

test('previous run times and enabled flags survive a restart; no slot runs twice', async () => {
  const s = await scenario()
  const runs: number[] = []
  const def = () => defineSchedule({
    version: '1',
    tasks: [
      { id: 'every-second', cron: '* * * * * *', run: ({ startedAt }) => void runs.push(startedAt) },
      { id: 'nightly', cron: '0 0 * * *', run: () => undefined },
    ],
  })
  try {
    const first = instance(s, def())
    await first.tasks.start()
    await eventually(() => first.tasks.state() === 'running', 20_000, 'first owner running')
    await eventually(() => runs.length >= 2, 10_000, 'two runs')
    await first.tasks.disable('nightly')
    await eventually(() => first.named(Events.COMMAND_APPLIED).length === 1, 10_000, 'disable applied')
    await first.tasks.stop()
    const lastRun = Math.max(...runs)
    const runsBefore = runs.length
    const stored = first.named(Events.SCHEDULE_SNAPSHOT).length
    assert.ok(stored >= 3, 'a snapshot after replay, after runs and after the command')

    const second = instance(s, def())
    await second.tasks.start()
    await eventually(() => second.tasks.state() === 'running', 20_000, 'second owner running')
    const replayed = second.named(Events.SCHEDULE_REPLAYED)[0]?.payload
    assert.equal([replayed?.restored, replayed?.storedVersion], [true, '1'])
    const states = second.tasks.taskStates()
    assert.is(states.nightly?.enabled, false, 'the disable survived the restart')
    assert.ok((states['every-second']?.previousTime ?? 0) >= lastRun, 'previous run time restored (or newer)')
    await eventually(() => runs.length > runsBefore + 1, 10_000, 'runs resume')
    await second.tasks.stop()
    const startTimes = runs.map((t) => Math.floor(t / 1000))
    assert.is(new Set(startTimes).size, startTimes.length, 'no second ran twice across the restart')
  } finally {
    await s.cleanup()
  }
})

test.run()
