// `npm run bench`: every benchmark in bench/, one after the other, against KAFKA_BROKERS or the
// project's own local broker (started here; stopped afterwards if this started it). Each prints its
// own figures. `npm run bench -- group` runs only the benchmarks whose file name contains "group".
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { ensureBroker } from './kafka/ensure-broker.mjs'

const only = process.argv[2]
const benches = readdirSync('bench')
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
  .filter((f) => !only || f.includes(only))
  .sort()

const broker = ensureBroker()

let failed = 0
for (const file of benches) {
  console.log(`\n== bench/${file}`)
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', `bench/${file}`], { stdio: 'inherit', env: process.env })
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)))
  if (code !== 0) failed += 1
}
broker.release()
process.exit(failed ? 1 : 0)
