// SIGTERM makes a running process drain its partition workers, commit every acked message and exit 0.
import { spawn } from 'node:child_process'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { eventually } from '../../support/kafka.js'
import { committedTotal, numberedTopic } from '../../support/group.js'

const test = suite('runner: graceful shutdown on SIGTERM')

test('acked work is committed on the way out (the commit interval never fired)', async () => {
  const { client, topic, groupId, cleanup } = await numberedTopic('sigterm', 2, 2000)
  const child = spawn(process.execPath, ['--import', 'tsx', 'spec/support/runner-process.ts', topic, groupId], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env })
  let handled = 0
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString()
    handled = (out.match(/^handled /gm) ?? []).length
  })
  await eventually(() => handled >= 100, 30_000, 'some messages handled')
  assert.is(await committedTotal(client, groupId, topic), 0, 'nothing committed yet: the interval is an hour')
  child.kill('SIGTERM')
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  assert.is(code, 0)
  assert.match(out, /^exit 0$/m)
  const committed = await committedTotal(client, groupId, topic)
  assert.is(committed, handled, 'everything handled before exit is committed, nothing more')
  await cleanup()
})

test.run()
