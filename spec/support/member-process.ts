// A group member in its own process, for the SIGKILL scenario: prints `handled <partition> <offset>`
// for each message it acks, then keeps going until it is killed.
import { createKafkaClient } from '../../lib/kafka/kafkajs/index.js'
import { slowPrintingGroup } from './group.js'

const [topic, groupId] = process.argv.slice(2) as [string, string]
const client = createKafkaClient({ brokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092', logLevel: 'nothing' })
await slowPrintingGroup(client, topic, groupId, 20).start()
