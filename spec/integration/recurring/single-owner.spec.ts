// Intent: with two processes in the same group only the one owning the schedule partition runs tasks,
// and when it leaves the other takes over (failover is a rebalance) without running a slot twice.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { defineSchedule } from '../../../lib/recurring/schedule.js'
import { eventually } from '../../support/kafka.js'
import { instance, scenario } from './support.js'

const test = suite('recurring/one owner per group, failover (real broker)')

test('two members: one runs the schedule, the other stands by and takes over when it leaves', async () => {
  const s = await scenario()
  const runs: Array<{ member: string; at: number }> = []
  const def = (member: string) =>
    defineSchedule({ version: '1', tasks: [{ id: 'tick', cron: '* * * * * *', run: ({ startedAt }) => void runs.push({ member, at: startedAt }) }] })
  const a = instance(s, def('a'))
  const b = instance(s, def('b'))
  try {
    await a.tasks.start()
    await eventually(() => a.tasks.state() === 'running', 20_000, 'a owns the schedule')
    await b.tasks.start()
    await eventually(() => b.tasks.state() === 'standby' || b.tasks.state() === 'running', 20_000, 'b joined')
    // Let both be members for a while: whoever owns the partition runs, the other does not.
    const mark = runs.length
    await eventually(() => runs.length >= mark + 3, 15_000, 'three more runs')
    const owner = a.tasks.state() === 'running' ? 'a' : 'b'
    const standby = owner === 'a' ? b : a
    assert.is(standby.tasks.state(), 'standby')
    const recent = runs.slice(mark + 1) // the run at the rebalance boundary may belong to either
    assert.ok(recent.every((r) => r.member === owner), `only ${owner} ran: ${JSON.stringify(recent.map((r) => r.member))}`)

    // The owner leaves: the stand-by takes the partition over and runs the schedule.
    const leaving = owner === 'a' ? a : b
    await leaving.tasks.stop()
    await eventually(() => standby.tasks.state() === 'running', 20_000, 'stand-by took over')
    const takeoverMark = runs.length
    await eventually(() => runs.length >= takeoverMark + 2, 15_000, 'runs after failover')
    assert.ok(runs.slice(takeoverMark).every((r) => r.member !== owner), 'the member that left runs nothing')
    const seconds = runs.map((r) => Math.floor(r.at / 1000))
    assert.is(new Set(seconds).size, seconds.length, 'no slot ran twice, across members and the failover')
  } finally {
    await a.tasks.stop()
    await b.tasks.stop()
    await s.cleanup()
  }
})

test.run()
