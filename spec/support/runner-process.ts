// A process running a Runner with one group, for the SIGTERM scenario: prints `handled <p> <o>` per
// acked message and `exit <reason>` when the runner is done, then exits with the runner's code.
import { createGroup } from '../../lib/group/group.js'
import { ack } from '../../lib/group/handler.js'
import { createKafkaClient } from '../../lib/kafka/kafkajs/index.js'
import { createRunner } from '../../lib/runner/runner.js'
import { fastGroupConfig } from './group.js'

const [topic, groupId] = process.argv.slice(2) as [string, string]
const client = createKafkaClient({ brokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092', logLevel: 'nothing' })
const group = createGroup({
  client,
  groupId,
  topics: [topic],
  handler: {
    async handleMessages(messages, state) {
      await new Promise((r) => setTimeout(r, 30))
      for (const m of messages) process.stdout.write(`handled ${m.partition} ${m.offset}\n`)
      return ack(state)
    },
  },
  config: { ...fastGroupConfig, maxBatchSize: 10, commitInterval: '1h' }, // only the shutdown commits
})
const runner = createRunner({
  groups: [group],
  shutdownTimeout: '20s',
  exit: (code) => {
    process.stdout.write(`exit ${code}\n`)
    void client.close().finally(() => process.exit(code))
  },
})
await runner.start()
process.stdout.write('started\n')
