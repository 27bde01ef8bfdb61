// A member killed with SIGKILL loses nothing: a new member resumes from the last commit, so only
// messages that were not yet committed are delivered again.
import { spawn } from 'node:child_process'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createGroup } from '../../../lib/group/group.js'
import { eventually, testClient, unique, withTopics } from '../../support/kafka.js'
import { committedTotal, fastGroupConfig, produceNumbered, recordingHandler } from '../../support/group.js'
import type { Seen } from '../../support/group.js'

const test = suite('group: SIGKILL and restart')

test('after kill -9 a new member redelivers only what was not committed', async () => {
  const client = testClient()
  const topic = unique('sigkill')
  const groupId = unique('sigkill-group')
  const total = 1000
  const cleanup = await withTopics(client, [{ topic, partitions: 2 }])
  await produceNumbered(client, topic, total, 2)

  const child = spawn(process.execPath, ['--import', 'tsx', 'spec/support/member-process.ts', topic, groupId], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
  })
  const handledByChild = new Set<string>()
  let buffer = ''
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString()
    const lines = buffer.split('\n')
    buffer = lines.pop() ?? ''
    for (const line of lines) {
      const [, p, o] = line.split(' ')
      handledByChild.add(`${p}@${o}`)
    }
  })
  await eventually(async () => (await committedTotal(client, groupId, topic)) >= 200, 30_000, 'child committed some')
  child.kill('SIGKILL')
  await new Promise((r) => child.once('exit', r))
  const committedAtKill = await client.admin().fetchCommittedOffsets(groupId, topic)
  assert.ok(handledByChild.size < total, 'killed before the end')

  // The dead member's session must expire before its partitions move: sessionTimeout is 10s here.
  const seen: Seen[] = []
  const group = createGroup({ client, groupId, topics: [topic], handler: recordingHandler('after', seen), config: fastGroupConfig })
  await group.start()
  await eventually(async () => (await committedTotal(client, groupId, topic)) === total, 60_000, 'all committed after restart')
  await group.stop()

  for (const c of committedAtKill) {
    const resumed = seen.filter((s) => s.partition === c.partition).map((s) => s.offset)
    assert.is(Math.min(...resumed), Math.max(0, c.offset), `partition ${c.partition} resumes exactly at its commit`)
  }
  const union = new Set([...handledByChild, ...seen.map((s) => `${s.partition}@${s.offset}`)])
  assert.is(union.size, total, 'nothing lost')
  await cleanup()
})

test.run()
