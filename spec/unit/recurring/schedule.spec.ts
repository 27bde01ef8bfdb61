import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ConfigError, DuplicateTaskError, InvalidCronError } from '../../../lib/errors.js'
import { defineSchedule } from '../../../lib/recurring/schedule.js'
import { noop, task } from './support.js'

const test = suite('recurring/defineSchedule')

test('a valid schedule: defaults applied, tasks findable by id', () => {
  const s = defineSchedule({ version: '1.2', tasks: [task('report', '0 * * * *'), task('cleanup', '0 3 * * *', { enabled: false, timezone: 'Asia/Tokyo' })] })
  assert.is(s.version, '1.2')
  assert.equal(s.tasks.map((t) => t.id), ['report', 'cleanup'])
  assert.is(s.task('report')?.enabledByDefault, true)
  assert.is(s.task('report')?.timezone, 'UTC')
  assert.is(s.task('cleanup')?.enabledByDefault, false)
  assert.is(s.task('cleanup')?.timezone, 'Asia/Tokyo')
  assert.is(s.task('nope'), undefined)
})

test('a duplicate id is a DuplicateTaskError naming the id', () => {
  try {
    defineSchedule({ version: '1', tasks: [task('a', '* * * * *'), task('a', '0 * * * *')] })
    assert.unreachable()
  } catch (e) {
    assert.instance(e, DuplicateTaskError)
    assert.is((e as DuplicateTaskError).context.taskId, 'a')
  }
})

test('an invalid cron is an InvalidCronError naming the task', () => {
  try {
    defineSchedule({ version: '1', tasks: [task('ok', '* * * * *'), task('broken', '* * * 13 *')] })
    assert.unreachable()
  } catch (e) {
    assert.instance(e, InvalidCronError)
    assert.is((e as InvalidCronError).context.taskId, 'broken')
  }
})

test('bad versions, ids ("*" included), run functions and enabled flags are ConfigErrors', () => {
  const isConfig = (e: unknown) => e instanceof ConfigError
  assert.throws(() => defineSchedule({ version: 'v1', tasks: [] }), isConfig)
  assert.throws(() => defineSchedule({ version: '1', tasks: [task('*', '* * * * *')] }), isConfig)
  assert.throws(() => defineSchedule({ version: '1', tasks: [task('has space', '* * * * *')] }), isConfig)
  assert.throws(() => defineSchedule({ version: '1', tasks: [{ id: 'x', cron: '* * * * *' } as never] }), isConfig)
  assert.throws(() => defineSchedule({ version: '1', tasks: [{ id: 'x', cron: '* * * * *', run: noop, enabled: 'yes' as never }] }), isConfig)
  assert.throws(() => defineSchedule({ version: '1', tasks: 'nope' as never }), isConfig)
})

test.run()
