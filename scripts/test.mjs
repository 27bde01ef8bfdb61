// `npm test`: unit specs, then integration specs against a real Kafka broker, then one totals line.
//
// Integration specs need a broker: with KAFKA_BROKERS unset, this starts the project's own broker
// (scripts/kafka/kafka.sh, idempotent) and stops it afterwards if it was not already running
// (TROUPE_KEEP_KAFKA=1 keeps it). Flags: --unit, --integration, and a regex that spec paths must match.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { ensureBroker } from './kafka/ensure-broker.mjs'

const args = process.argv.slice(2)
const onlyUnit = args.includes('--unit')
const onlyIntegration = args.includes('--integration')
const filter = args.find((a) => !a.startsWith('--'))
const suites = []
// A suite that runs past its budget is killed and counted as failed, so CI never hangs.
const minutes = (name, fallback) => Number(process.env[name] ?? fallback) * 60_000
if (!onlyIntegration) suites.push({ name: 'unit', dir: 'spec/unit', budget: minutes('TROUPE_UNIT_MINUTES', 5) })
if (!onlyUnit && existsSync('spec/integration')) {
  suites.push({ name: 'integration', dir: 'spec/integration', budget: minutes('TROUPE_INTEGRATION_MINUTES', 25) })
}

let broker = { release() {} }

// Runs uvu in a child with tsx; returns its counts. The child is ended if it lingers after printing
// its totals (an open socket in a spec must not hang CI; the totals already tell the result).
function runUvu(dir, budget) {
  return new Promise((resolve) => {
    // A filter narrows the spec files; support files never run as specs.
    const pattern = filter ? `^(?=.*(?:${filter})).*\\.spec\\.ts$` : '\\.spec\\.ts$'
    const uvuArgs = ['--import', 'tsx', 'node_modules/uvu/bin.js', dir, pattern]
    const child = spawn(process.execPath, uvuArgs, { stdio: ['ignore', 'pipe', 'inherit'], env: process.env })
    let out = ''
    const budgetTimer = setTimeout(() => {
      console.error(`\n${dir}: still running after ${budget / 60_000} min; killed and counted as a failure`)
      child.kill('SIGKILL')
    }, budget)
    let lingerTimer
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk)
      out += chunk.toString()
      if (!lingerTimer && /Duration:/.test(out)) {
        lingerTimer = setTimeout(() => child.kill('SIGKILL'), 15_000)
        lingerTimer.unref()
      }
    })
    child.on('exit', (code) => {
      clearTimeout(lingerTimer)
      clearTimeout(budgetTimer)
      const plain = out.replace(/\x1b\[[0-9;]*m/g, '')
      const num = (label) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(plain)?.[1] ?? 0)
      const total = num('Total')
      const passed = num('Passed')
      const skipped = num('Skipped')
      const sawTotals = /Total:/.test(plain)
      // A crash before totals counts as one failure so it can never read as green.
      const failed = sawTotals ? total - passed - skipped : 1
      resolve({ passed, failed: code !== 0 && failed === 0 && !sawTotals ? 1 : failed, skipped, code })
    })
  })
}

let passed = 0
let failed = 0
let skipped = 0
let exitCode = 0
try {
  for (const suite of suites) {
    if (suite.name === 'integration') broker = ensureBroker()
    console.log(`\n== ${suite.name} specs (${suite.dir})`)
    const r = await runUvu(suite.dir, suite.budget)
    passed += r.passed
    failed += r.failed
    skipped += r.skipped
    if (r.code !== 0 || r.failed > 0) exitCode = 1
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : err)
  failed += 1
  exitCode = 1
} finally {
  broker.release()
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(exitCode)
