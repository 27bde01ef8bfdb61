import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createInstrumentation } from '../../../lib/instrumentation/instrumentation.js'
import type { Admin, GroupConsumer, IncomingMessage, OutgoingMessage, TopicPartitionOffset } from '../../../lib/kafka/client.js'
import { createScheduleExecutor } from '../../../lib/recurring/executor.js'
import { createPartitionOwner } from '../../../lib/recurring/partition-owner.js'
import { encodeCommand, encodeSnapshot } from '../../../lib/recurring/records.js'
import { createManualClock } from '../../../lib/time/manual-clock.js'
import { command, schedule, T0, task } from './support.js'

const test = suite('recurring/partition owner (in-memory partition)')
const TOPIC = 'schedules'

/** One partition in memory, with just enough of the port for the owner: offsets, commits, batches. */
function setup(initial: OutgoingMessage[] = [], committed = -1) {
  const log: IncomingMessage[] = []
  const append = (m: OutgoingMessage) => {
    const value = m.value === null ? null : Buffer.from(m.value)
    log.push({ topic: TOPIC, partition: 0, offset: log.length, key: null, value, headers: {}, timestamp: 0, size: 0 })
  }
  initial.forEach(append)
  const commits: number[] = []
  const admin = {
    fetchTopicOffsets: async () => [{ partition: 0, low: 0, high: log.length }],
    fetchCommittedOffsets: async () => [{ topic: TOPIC, partition: 0, offset: committed }],
  } as unknown as Admin
  const consumer = { commit: async (o: TopicPartitionOffset[]) => void commits.push(...o.map((x) => x.offset)) } as unknown as GroupConsumer
  const clock = createManualClock(T0)
  const ran: string[] = []
  const s = schedule('1', task('a', '0 0 1 1 *', { enabled: false, run: () => void ran.push('a') }))
  const owner = createPartitionOwner({
    topic: TOPIC, groupId: 'g', admin, consumer: () => consumer, instrumentation: createInstrumentation(), onCrash: () => undefined,
    newExecutor: () => createScheduleExecutor({ schedule: s, clock, sinks: { writeSnapshot: async (snap) => append(encodeSnapshot(snap)), writeRunRecord: async () => undefined } }),
  })
  let position = Math.max(committed, 0)
  const pump = async () => {
    owner.onBatch({ topic: TOPIC, partition: 0, messages: log.slice(position), highWatermark: log.length })
    position = log.length
    await clock.advance(0)
  }
  return { owner, log, commits, clock, ran, pump, assign: async () => (owner.onAssigned({ generationId: 1, memberId: 'm', partitions: [{ topic: TOPIC, partition: 0 }] }), await clock.advance(0)) }
}

const stored = (through: number) => encodeSnapshot({ schemaVersion: 1, scheduleVersion: '1', at: T0, commandsAppliedThrough: through, tasks: {} })

test('an empty partition ends the replay at once; the first snapshot is committed at its own offset', async () => {
  const x = setup()
  await x.assign()
  assert.is(x.owner.executor()?.state(), 'running')
  assert.is(x.log.length, 1, 'first snapshot written')
  await x.pump()
  assert.equal(x.commits, [0], 'next replay starts at the snapshot itself')
  await x.owner.stop()
})

test('replay reads to the high watermark, then applies buffered commands; commits only at snapshots covering earlier commands', async () => {
  const x = setup([stored(-1), encodeCommand(command('trigger', 'a')), stored(-1)])
  await x.assign()
  assert.is(x.owner.executor()?.state(), 'replaying')
  await x.pump()
  assert.is(x.owner.executor()?.state(), 'running')
  assert.equal(x.ran, ['a'], 'the buffered trigger ran once')
  // offset 0 covers everything before it; offset 2 does not cover the command at 1; our new snapshot does.
  await x.pump()
  assert.equal(x.commits, [0, 3])
  await x.owner.stop()
})

test('a revocation drops ownership: later batches are ignored', async () => {
  const x = setup()
  await x.assign()
  x.owner.onRevoking([{ topic: TOPIC, partition: 0 }])
  await x.clock.advance(0)
  assert.is(x.owner.executor(), undefined)
  const trigger = encodeCommand(command('trigger', 'a'))
  x.owner.onBatch({ topic: TOPIC, partition: 0, messages: [{ topic: TOPIC, partition: 0, offset: 5, key: null, value: Buffer.from(trigger.value as string), headers: {}, timestamp: 0, size: 0 }], highWatermark: 6 })
  await x.clock.advance(0)
  await x.owner.stop()
  assert.equal(x.ran, [])
})

test.run()
