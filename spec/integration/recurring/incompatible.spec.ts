// Intent: a process with an older schedule version than the one stored (1.9 < 1.10, compared as numbers) goes incompatible: it runs nothing, writes nothing, and reports it.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { Events } from '../../../lib/instrumentation/events.js'
import { defineSchedule } from '../../../lib/recurring/schedule.js'
import { eventually } from '../../support/kafka.js'
import { instance, scenario, tail } from './support.js'

const test = suite('recurring/older schedule version goes incompatible (real broker)')

test('1.10 stored, 1.9 starts: incompatible, no runs, no snapshots', async () => {
  const s = await scenario()
  let oldRuns = 0
  try {
    const newer = instance(s, defineSchedule({ version: '1.10', tasks: [{ id: 'job', cron: '0 0 1 1 *', run: () => undefined }] }))
    await newer.tasks.start()
    await eventually(() => newer.named(Events.SCHEDULE_SNAPSHOT).length >= 1, 20_000, 'newer wrote its state')
    await newer.tasks.stop()

    const older = instance(s, defineSchedule({ version: '1.9', tasks: [{ id: 'job', cron: '* * * * * *', run: () => void oldRuns++ }] }))
    await older.tasks.start()
    await eventually(() => older.tasks.state() === 'incompatible', 20_000, 'incompatible')
    const event = older.named(Events.SCHEDULE_INCOMPATIBLE)[0]?.payload
    assert.equal([event?.storedVersion, event?.ourVersion], ['1.10', '1.9'])
    await older.tasks.trigger('job')
    await new Promise((r) => setTimeout(r, 2500))
    assert.is(oldRuns, 0, 'nothing ran, not even on a trigger')
    assert.equal(older.named(Events.SCHEDULE_SNAPSHOT), [], 'nothing written')
    await older.tasks.stop()

    const log = await tail(s.client, s.topics.schedules)
    await eventually(() => log.messages.length >= 2, 10_000, 'schedules topic read')
    await log.stop()
    const versions = log.messages.map((m) => JSON.parse(m.value!.toString()) as { type: string; scheduleVersion?: string }).filter((r) => r.type === 'schedule').map((r) => r.scheduleVersion)
    assert.equal([...new Set(versions)], ['1.10'], 'the stored state is still the newer one')
  } finally {
    await s.cleanup()
  }
})

test.run()
