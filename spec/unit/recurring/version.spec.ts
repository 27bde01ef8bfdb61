import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ConfigError } from '../../../lib/errors.js'
import { compareVersions, isScheduleVersion } from '../../../lib/recurring/version.js'

const test = suite('recurring/schedule versions')

test('compared as numbers part by part: 1.10 is newer than 1.9', () => {
  assert.ok(compareVersions('1.10', '1.9') > 0)
  assert.ok(compareVersions('1.9', '1.10') < 0)
  assert.ok(compareVersions('2', '1.99.99') > 0)
  assert.ok(compareVersions('10', '9') > 0)
})

test('missing parts count as zero', () => {
  assert.is(compareVersions('1.2', '1.2.0'), 0)
  assert.is(compareVersions('1', '1'), 0)
  assert.ok(compareVersions('1.2.1', '1.2') > 0)
})

test('anything but dotted numbers is refused', () => {
  for (const bad of ['', 'v1', '1.', '1..2', '1.2-beta', ' 1']) assert.not.ok(isScheduleVersion(bad), bad)
  assert.throws(() => compareVersions('1.x', '1'), (e: unknown) => e instanceof ConfigError)
})

test.run()
