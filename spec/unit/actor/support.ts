// Shared fixtures for the actor runtime specs: a worker machine that logs its life, and an event recorder.
import { setup } from 'xstate'
import type { ChildSpec } from '../../../lib/actor/index.js'
import { createInstrumentation } from '../../../lib/instrumentation/instrumentation.js'
import type { InstrumentationEvent } from '../../../lib/instrumentation/instrumentation.js'
import { createManualClock } from '../../../lib/time/manual-clock.js'

export interface WorkerInput {
  name: string
  log: string[]
  /** When false the worker ignores troupe.shutdown (it must then be stopped outright). */
  obeysShutdown?: boolean
}

/**
 * Logs `start:<name>` when it starts and `stop:<name>` when asked to shut down. Events:
 * 'crash' makes it error, 'finish' makes it reach its final state (a normal exit).
 */
export const worker = setup({
  types: { input: {} as WorkerInput, context: {} as WorkerInput },
  guards: { obeys: ({ context }) => context.obeysShutdown !== false },
}).createMachine({
  context: ({ input }) => input,
  entry: ({ context }) => context.log.push(`start:${context.name}`),
  initial: 'running',
  states: {
    running: {
      on: {
        crash: {
          actions: () => {
            throw new Error('boom')
          },
        },
        finish: 'finished',
        'troupe.shutdown': [
          { guard: 'obeys', target: 'finished', actions: ({ context }) => context.log.push(`stop:${context.name}`) },
          { actions: ({ context }) => void context.log.push(`ignored:${context.name}`) },
        ],
      },
    },
    finished: { type: 'final' },
  },
})

/** A machine that errors while starting (its entry action throws). */
export const failsAtStart = setup({}).createMachine({
  entry: () => {
    throw new Error('cannot start')
  },
})

export function workerSpec(name: string, log: string[], extra: Partial<ChildSpec> & { obeysShutdown?: boolean } = {}): ChildSpec {
  const { obeysShutdown, ...spec } = extra
  return { id: name, start: () => ({ logic: worker, input: { name, log, obeysShutdown } }), ...spec }
}

/** A manual clock plus an instrumentation bus whose events are recorded in order. */
export function harness() {
  const clock = createManualClock()
  const instrumentation = createInstrumentation(clock.now)
  const events: InstrumentationEvent[] = []
  instrumentation.on('*', (event) => void events.push(event))
  const named = (name: string) => events.filter((e) => e.name === name).map((e) => e.payload)
  return { clock, instrumentation, events, named }
}

/** Lets queued promise work (exit handling, restarts) run. */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}
