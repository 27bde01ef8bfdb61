// A group member in its own process, for the SIGKILL scenario: prints `handled <partition> <offset>`
// for each message it acks, then keeps going until it is killed.
import { createGroup } from '../../lib/group/group.js'
import { ack } from '../../lib/group/handler.js'
import { createKafkaClient } from '../../lib/kafka/kafkajs/index.js'
import { fastGroupConfig } from './group.js'

const [topic, groupId] = process.argv.slice(2) as [string, string]
const client = createKafkaClient({ brokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092', logLevel: 'nothing' })
const group = createGroup({
  client,
  groupId,
  topics: [topic],
  handler: {
    async handleMessages(messages, state) {
      await new Promise((r) => setTimeout(r, 20))
      for (const m of messages) process.stdout.write(`handled ${m.partition} ${m.offset}\n`)
      return ack(state)
    },
  },
  config: { ...fastGroupConfig, maxBatchSize: 10 },
})
await group.start()
