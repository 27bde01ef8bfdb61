// Intent: a failing task is recorded as a failure on the logs topic while the other tasks and the schedule keep running.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { Events } from '../../../lib/instrumentation/events.js'
import { defineSchedule } from '../../../lib/recurring/schedule.js'
import { eventually } from '../../support/kafka.js'
import { instance, scenario, tail } from './support.js'

const test = suite('recurring/failing task is logged, others keep running (real broker)')

test('failures and successes both land on the logs topic with id, time, duration and result', async () => {
  const s = await scenario()
  let healthy = 0
  const x = instance(s, defineSchedule({
    version: '1',
    tasks: [
      { id: 'broken', cron: '* * * * * *', run: async () => { throw new Error('upstream down') } },
      { id: 'healthy', cron: '* * * * * *', run: () => void healthy++ },
    ],
  }))
  const log = await tail(s.client, s.topics.logs)
  try {
    await x.tasks.start()
    await eventually(() => x.tasks.state() === 'running', 20_000, 'running')
    await eventually(() => log.runs().filter((r) => r.taskId === 'broken').length >= 2 && healthy >= 3, 15_000, 'runs logged')
    const runs = log.runs()
    const broken = runs.filter((r) => r.taskId === 'broken')
    const ok = runs.filter((r) => r.taskId === 'healthy')
    assert.ok(broken.every((r) => r.result === 'failure' && r.error?.message === 'upstream down'))
    assert.ok(ok.length >= 2 && ok.every((r) => r.result === 'success' && r.error === undefined))
    for (const r of runs) assert.ok(r.startedAt > 0 && r.durationMs >= 0 && r.scheduleVersion === '1')
    assert.ok(x.named(Events.TASK_FAILED).length >= 2)
    assert.is(x.tasks.state(), 'running')
  } finally {
    await log.stop()
    await x.tasks.stop()
    await s.cleanup()
  }
})

test.run()
