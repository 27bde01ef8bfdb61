// Intent: commands from code and from the `troupe` CLI take effect on the owning process — trigger runs a disabled task once, disable stops a task, '*' reaches every task, unknown commands are rejected.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { Events } from '../../../lib/instrumentation/events.js'
import { encodeCommand } from '../../../lib/recurring/records.js'
import { defineSchedule } from '../../../lib/recurring/schedule.js'
import { brokers, eventually } from '../../support/kafka.js'
import { instance, scenario } from './support.js'

const test = suite('recurring/commands take effect (real broker)')
const run = promisify(execFile)

test('trigger, disable, enable, "*", CLI and unknown commands', async () => {
  const s = await scenario()
  const ran = { frequent: 0, dormant: 0 }
  const schedule = defineSchedule({
    version: '1',
    tasks: [
      { id: 'frequent', cron: '* * * * * *', run: () => void ran.frequent++ },
      { id: 'dormant', cron: '0 0 1 1 *', enabled: false, run: () => void ran.dormant++ },
    ],
  })
  const x = instance(s, schedule)
  try {
    await x.tasks.start()
    await eventually(() => x.tasks.state() === 'running', 20_000, 'running')

    // trigger runs a disabled task exactly once, and is acknowledged with our request id.
    const receipt = await x.tasks.trigger('dormant')
    await eventually(() => ran.dormant === 1, 10_000, 'dormant triggered')
    const applied = x.named(Events.COMMAND_APPLIED).map((e) => e.payload)
    assert.equal(applied.map((p) => [p.command, p.requestId]), [['trigger', receipt.requestId]])
    assert.is(x.tasks.taskStates().dormant?.enabled, false, 'still disabled after the trigger')

    // disable '*' stops every task.
    await x.tasks.disable('*')
    await eventually(() => x.named(Events.COMMAND_APPLIED).length === 2, 10_000, 'disable * applied')
    await new Promise((r) => setTimeout(r, 300)) // a run that had already started may still finish
    const frozen = ran.frequent
    await new Promise((r) => setTimeout(r, 2200))
    assert.is(ran.frequent, frozen, 'no runs while disabled')

    // The CLI: enable frequent again from another process.
    const cli = await run(process.execPath, ['--import', 'tsx', 'lib/cli.ts', 'tasks', 'enable', 'frequent', '--brokers', brokers().join(','), '--topic', s.topics.schedules])
    assert.match(cli.stdout, 'enable frequent: sent')
    await eventually(() => ran.frequent > frozen, 10_000, 'frequent runs again after the CLI enable')
    assert.is(ran.dormant, 1)

    // Unknown commands: the CLI refuses to send them; one written by hand is rejected by the owner.
    const refused = await run(process.execPath, ['--import', 'tsx', 'lib/cli.ts', 'tasks', 'explode', 'frequent', '--brokers', brokers().join(','), '--topic', s.topics.schedules]).catch((e: { code: number; stderr: string }) => e)
    assert.is((refused as { code: number }).code, 2)
    const producer = s.client.producer()
    await producer.connect()
    await producer.produce(s.topics.schedules, [encodeCommand({ name: 'explode', task: 'frequent', requestedAt: Date.now(), requestId: 'by-hand' })])
    await producer.disconnect()
    await eventually(() => x.named(Events.COMMAND_REJECTED).length === 1, 10_000, 'rejected')
    assert.equal(x.named(Events.COMMAND_REJECTED)[0]?.payload.requestId, 'by-hand')
    assert.is(x.tasks.state(), 'running', 'a rejected command does not disturb the schedule')
  } finally {
    await x.tasks.stop()
    await s.cleanup()
  }
})

test.run()
