// A single member consumes every partition of a topic exactly once with acks, and commits all of it.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createGroup } from '../../../lib/group/group.js'
import { eventually } from '../../support/kafka.js'
import { committedTotal, fastGroupConfig, numberedTopic, recordingHandler } from '../../support/group.js'
import type { Seen } from '../../support/group.js'

const test = suite('group: single member, multi-partition, exactly once with acks')

test('every message handled once, in partition order, and the commit covers all', async () => {
  const { client, topic, groupId, cleanup } = await numberedTopic('single', 4, 2000)
  const seen: Seen[] = []
  const group = createGroup({ client, groupId, topics: [topic], handler: recordingHandler('a', seen), config: { ...fastGroupConfig, prefetchCount: 100, maxBatchSize: 37 } })
  await group.start()
  await eventually(() => seen.length >= 2000, 30_000, '2000 messages')
  await eventually(async () => (await committedTotal(client, groupId, topic)) === 2000, 10_000, 'commit of all 2000')
  await group.stop()
  assert.is(seen.length, 2000, 'no duplicates')
  assert.is(new Set(seen.map((s) => s.value)).size, 2000)
  for (const p of [0, 1, 2, 3]) {
    const offsets = seen.filter((s) => s.partition === p).map((s) => s.offset)
    assert.equal(offsets, offsets.map((_, i) => i), `partition ${p} in order`)
  }
  await cleanup()
})

test.run()
