// `npm run demo`: runs examples/demo.ts against KAFKA_BROKERS, or against the project's own local
// broker (started here, and stopped afterwards if this started it; TROUPE_KEEP_KAFKA=1 keeps it).
import { spawn } from 'node:child_process'
import { ensureBroker } from './kafka/ensure-broker.mjs'

const broker = ensureBroker()
const child = spawn(process.execPath, ['--import', 'tsx', 'examples/demo.ts'], { stdio: 'inherit', env: process.env })
const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)))
broker.release()
process.exit(code)
