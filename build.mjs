// Bundles lib/ into dist/ with esbuild (ESM, Node 20) and emits .d.ts files with tsc.
// Dependencies stay external: users install kafkajs, xstate, nanoid, ms and croner with us.
import { build } from 'esbuild'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'))
const external = Object.keys(pkg.dependencies ?? {})

rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true })

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  external,
  logLevel: 'info',
}

await build({ ...common, entryPoints: ['lib/index.ts'], outfile: 'dist/index.js' })
// The `troupe` command line (bin in package.json).
if (existsSync('lib/cli.ts')) await build({
  ...common,
  entryPoints: ['lib/cli.ts'],
  outfile: 'dist/cli.js',
  banner: { js: '#!/usr/bin/env node' },
})

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
})
console.log('build: dist/index.js, dist/cli.js and dist/types/*.d.ts written')
