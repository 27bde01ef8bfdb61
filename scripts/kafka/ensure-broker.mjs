// Shared by `npm test`, `npm run demo` and `npm run bench`: use KAFKA_BROKERS when set, otherwise
// start the project's own broker (idempotent) and point KAFKA_BROKERS at it. `release()` stops the
// broker only if this call started it, unless TROUPE_KEEP_KAFKA is set.
import { spawnSync } from 'node:child_process'

const script = new URL('./kafka.sh', import.meta.url).pathname

export function ensureBroker() {
  if (process.env.KAFKA_BROKERS) return { started: false, release() {} }
  const before = spawnSync('bash', [script, 'status'], { encoding: 'utf8' })
  const start = spawnSync('bash', [script, 'start'], { stdio: 'inherit' })
  if (start.status !== 0) throw new Error('could not start the local Kafka broker (scripts/kafka/kafka.sh start)')
  const started = before.status !== 0
  process.env.KAFKA_BROKERS = `127.0.0.1:${process.env.KAFKA_PORT ?? 9092}`
  return {
    started,
    release() {
      const keep = !['', '0', 'false'].includes(process.env.TROUPE_KEEP_KAFKA ?? '')
      if (started && !keep) spawnSync('bash', [script, 'stop'], { stdio: 'inherit' })
    },
  }
}
