// `npm run demo`: runs examples/demo.ts against KAFKA_BROKERS, or against the project's own local
// broker (started here, and stopped afterwards if this started it; TROUPE_KEEP_KAFKA=1 keeps it).
import { spawn, spawnSync } from 'node:child_process'

let started = false
if (!process.env.KAFKA_BROKERS) {
  const before = spawnSync('bash', ['scripts/kafka/kafka.sh', 'status'], { encoding: 'utf8' })
  const start = spawnSync('bash', ['scripts/kafka/kafka.sh', 'start'], { stdio: 'inherit' })
  if (start.status !== 0) process.exit(start.status ?? 1)
  started = before.status !== 0
  process.env.KAFKA_BROKERS = `127.0.0.1:${process.env.KAFKA_PORT ?? 9092}`
}
const child = spawn(process.execPath, ['--import', 'tsx', 'examples/demo.ts'], { stdio: 'inherit', env: process.env })
const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)))
if (started && !process.env.TROUPE_KEEP_KAFKA) spawnSync('bash', ['scripts/kafka/kafka.sh', 'stop'], { stdio: 'inherit' })
process.exit(code)
