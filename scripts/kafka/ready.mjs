// Exits 0 once a Kafka client gets cluster metadata from the broker given as argv[2] (host:port).
// Used by kafka.sh to decide the broker is ready: an open port is not enough, the controller must have
// elected itself and the broker must have registered.
import kafkajs from 'kafkajs'

const broker = process.argv[2] ?? '127.0.0.1:9092'
const kafka = new kafkajs.Kafka({
  clientId: 'troupe-ready-check',
  brokers: [broker],
  logLevel: kafkajs.logLevel.NOTHING,
  retry: { retries: 0 },
  connectionTimeout: 1000,
})
const admin = kafka.admin()
try {
  await admin.connect()
  const cluster = await admin.describeCluster()
  if (cluster.brokers.length === 0) process.exit(1)
  await admin.disconnect()
  process.exit(0)
} catch {
  process.exit(1)
}
