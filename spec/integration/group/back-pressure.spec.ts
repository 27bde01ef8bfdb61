// A slow handler makes the member pause fetching its partition once the prefetch window is full, and
// resume as acks free it: memory stays bounded by prefetchCount however far behind the handler is.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createGroup } from '../../../lib/group/group.js'
import { ack } from '../../../lib/group/handler.js'
import type { MessageHandler } from '../../../lib/group/handler.js'
import { Events } from '../../../lib/instrumentation/events.js'
import { createInstrumentation } from '../../../lib/instrumentation/instrumentation.js'
import { eventually } from '../../support/kafka.js'
import { committedTotal, fastGroupConfig, numberedTopic } from '../../support/group.js'

const test = suite('group: back-pressure with prefetchCount')

test('fetching pauses at the window and resumes; the window is never exceeded by more than one fetch', async () => {
  const { client, topic, groupId, cleanup } = await numberedTopic('backpressure', 1, 3000)
  const instrumentation = createInstrumentation()
  let paused = 0
  let resumed = 0
  let maxBuffered = 0
  instrumentation.on(Events.PARTITION_PAUSED, (e) => {
    paused += 1
    maxBuffered = Math.max(maxBuffered, e.payload.buffered as number)
  })
  instrumentation.on(Events.PARTITION_RESUMED, () => void (resumed += 1))
  let handled = 0
  const handler: MessageHandler<null> = {
    async handleMessages(messages, state) {
      await new Promise((r) => setTimeout(r, 2))
      handled += messages.length
      return ack(state)
    },
  }
  const prefetchCount = 200
  const maxBytes = 16 * 1024 // a fetch brings at most ~16 KiB: about 1000 of these small messages
  const group = createGroup(
    { client, groupId, topics: [topic], handler, config: { ...fastGroupConfig, prefetchCount, maxBatchSize: 50, maxBytes } },
    { instrumentation },
  )
  await group.start()
  const samples: number[] = []
  const sampler = setInterval(() => samples.push(group.assignments()[0]?.buffered ?? 0), 5)
  await eventually(async () => (await committedTotal(client, groupId, topic)) === 3000, 60_000, 'all committed')
  clearInterval(sampler)
  await group.stop()
  assert.is(handled, 3000)
  assert.ok(paused >= 2, `paused ${paused} times`)
  assert.ok(resumed >= 2, `resumed ${resumed} times`)
  const peak = Math.max(...samples, maxBuffered)
  // One fetch can overshoot the window (it was already on its way when the window filled).
  assert.ok(peak <= prefetchCount + 1100, `peak buffered ${peak}`)
  await cleanup()
})

test.run()
