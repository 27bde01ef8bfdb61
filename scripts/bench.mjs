// `npm run bench`: every benchmark in bench/, one after the other, against KAFKA_BROKERS or the
// project's own local broker (started here; stopped afterwards if this started it). Each prints its
// own figures. `npm run bench -- group` runs only the benchmarks whose file name contains "group".
import { spawn, spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'

const only = process.argv[2]
const benches = readdirSync('bench')
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
  .filter((f) => !only || f.includes(only))
  .sort()

let started = false
if (!process.env.KAFKA_BROKERS) {
  const before = spawnSync('bash', ['scripts/kafka/kafka.sh', 'status'], { encoding: 'utf8' })
  const start = spawnSync('bash', ['scripts/kafka/kafka.sh', 'start'], { stdio: 'inherit' })
  if (start.status !== 0) process.exit(start.status ?? 1)
  started = before.status !== 0
  process.env.KAFKA_BROKERS = `127.0.0.1:${process.env.KAFKA_PORT ?? 9092}`
}

let failed = 0
for (const file of benches) {
  console.log(`\n== bench/${file}`)
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', `bench/${file}`], { stdio: 'inherit', env: process.env })
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)))
  if (code !== 0) failed += 1
}
if (started && !process.env.TROUPE_KEEP_KAFKA) spawnSync('bash', ['scripts/kafka/kafka.sh', 'stop'], { stdio: 'inherit' })
process.exit(failed ? 1 : 0)
