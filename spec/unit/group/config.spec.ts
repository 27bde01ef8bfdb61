import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ConfigError, InvalidDurationError } from '../../../lib/errors.js'
import { resolveGroupConfig } from '../../../lib/group/config.js'
import type { GroupConfig } from '../../../lib/group/config.js'
import { ack } from '../../../lib/group/handler.js'

const base: GroupConfig<null> = {
  brokers: '127.0.0.1:9092',
  groupId: 'g',
  topics: ['t'],
  handler: { handleMessages: (_m, s) => ack(s) },
}

const test = suite('group/config')

test('defaults are documented values', () => {
  const r = resolveGroupConfig(base)
  assert.is(r.beginOffset, 'latest')
  assert.is(r.offsetResetPolicy, 'latest')
  assert.is(r.prefetchCount, 2000)
  assert.is(r.maxBatchSize, 1000)
  assert.is(r.prefetchBytes, 10 * 1024 * 1024)
  assert.is(r.commitInterval, 1000)
  assert.is(r.sessionTimeout, 30_000)
  assert.is(r.maxWaitTime, 500)
  assert.equal(r.restartBackoff, { initial: 100, max: 10_000 })
  assert.equal(r.onRepeatedFailure, { maxAttempts: 5, action: 'stop_partition' })
})

test('durations accept ms strings and numbers', () => {
  const r = resolveGroupConfig({ ...base, config: { sessionTimeout: '45s', commitInterval: 250, restartBackoff: { initial: '1s', max: '1m' } } })
  assert.is(r.sessionTimeout, 45_000)
  assert.is(r.commitInterval, 250)
  assert.equal(r.restartBackoff, { initial: 1000, max: 60_000 })
})

const rejects = (config: unknown, type: new (...args: any[]) => Error, pattern: RegExp) => {
  try {
    resolveGroupConfig(config as GroupConfig)
    assert.unreachable('accepted invalid config')
  } catch (e) {
    assert.instance(e, type)
    assert.match((e as Error).message, pattern)
  }
}

test('invalid config is a typed error naming the problem', () => {
  rejects({ ...base, groupId: '' }, ConfigError, /groupId/)
  rejects({ ...base, topics: [] }, ConfigError, /topics/)
  rejects({ ...base, handler: {} }, ConfigError, /handleMessages/)
  rejects({ ...base, brokers: undefined }, ConfigError, /brokers/)
  rejects({ ...base, config: { prefetchCount: 0 } }, ConfigError, /prefetchCount/)
  rejects({ ...base, config: { beginOffset: 'start' } }, ConfigError, /beginOffset/)
  rejects({ ...base, config: { prefetchCont: 5 } }, ConfigError, /unknown consumer option "prefetchCont"/)
  rejects({ ...base, config: { sleepTimeout: 1000, maxWaitTime: 200 } }, ConfigError, /not both/)
  rejects({ ...base, config: { heartbeatInterval: '40s' } }, ConfigError, /heartbeatInterval/)
  rejects({ ...base, config: { onRepeatedFailure: { action: 'dead_letter' } } }, ConfigError, /deadLetterTopic/)
  rejects({ ...base, config: { sessionTimeout: 'soon' } }, InvalidDurationError, /not a duration/)
})

test("Elsa's sleepTimeout sets how long an empty fetch waits (maxWaitTime on kafkajs)", () => {
  assert.is(resolveGroupConfig({ ...base, config: { sleepTimeout: '2s' } }).maxWaitTime, 2000)
})

test('error codes are stable', () => {
  try {
    resolveGroupConfig({ ...base, groupId: '' })
  } catch (e) {
    assert.is((e as ConfigError).code, 'TROUPE_INVALID_CONFIG')
    assert.is((e as ConfigError).retriable, false)
  }
})

test.run()
