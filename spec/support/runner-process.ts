// A process running a Runner with one group, for the SIGTERM scenario: prints `handled <p> <o>` per
// acked message and `exit <code>` when the runner is done, then exits with the runner's code.
import { createKafkaClient } from '../../lib/kafka/kafkajs/index.js'
import { createRunner } from '../../lib/runner/runner.js'
import { slowPrintingGroup } from './group.js'

const [topic, groupId] = process.argv.slice(2) as [string, string]
const client = createKafkaClient({ brokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092', logLevel: 'nothing' })
// Commits only on the way out: the interval is an hour.
const group = slowPrintingGroup(client, topic, groupId, 30, { commitInterval: '1h' })
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
