import { assign, fromPromise, setup } from 'xstate'
import type { HandlerResult, Message, MessageHandler, PartitionContext } from './handler.js'
import { createBatchRunner } from './batch-runner.js'
import type { BatchRunner } from './batch-runner.js'

/** What a worker tells its group manager. */
export type WorkerReport =
  /** Initialised: batches go to `deliver`, one at a time (wait for the next report). */
  | { type: 'ready'; deliver: (messages: Message[], highWatermark: number) => void }
  | { type: 'handled'; messages: Message[]; result: HandlerResult<unknown> }

export interface WorkerInput {
  handler: MessageHandler<any, any>
  initArgs: unknown
  context: PartitionContext
  /** Cumulative ack from inside the handler, fenced by this worker's generation. */
  ack: (offset: number) => void
  report: (report: WorkerReport) => void
}

type WorkerEvent =
  /** `reason` tells the handler's terminate why; the first request's reason is kept. */
  | { type: 'troupe.shutdown'; reason?: 'revoked' | 'shutdown' }
  /** From the batch runner: the handler threw or returned something invalid. */
  | { type: 'failed'; error: unknown }
  /** From the batch runner: the batch in hand when a shutdown came is done. */
  | { type: 'drained' }

interface WorkerContext {
  input: WorkerInput
  runner: BatchRunner | undefined
  stopReason: 'revoked' | 'shutdown'
}

const crash = ({ event }: { event: { error: unknown } }) => {
  throw event.error
}

/**
 * One partition's worker: `initializing -> running -> draining -> terminating -> stopped`.
 * Batches do not go through the machine (see batch-runner.ts); its states are the worker's
 * lifecycle. A handler that throws makes the actor fail ('error' status) and its manager restarts it
 * from the last acked offset. A shutdown while a batch is in hand lets that batch finish (drain).
 */
export const partitionWorker = setup({
  types: {} as { context: WorkerContext; events: WorkerEvent; input: WorkerInput },
  actors: {
    init: fromPromise(async ({ input }: { input: WorkerInput }) =>
      input.handler.init ? input.handler.init(input.initArgs, input.context) : undefined,
    ),
    terminate: fromPromise(async ({ input }: { input: { ctx: WorkerContext } }) => {
      const { ctx } = input
      await ctx.input.handler.terminate?.(ctx.runner?.state, ctx.input.context, ctx.stopReason)
    }),
  },
}).createMachine({
  id: 'partitionWorker',
  context: ({ input }) => ({ input, runner: undefined, stopReason: 'shutdown' }),
  initial: 'initializing',
  on: {
    failed: { actions: crash },
  },
  states: {
    initializing: {
      // Never initialised, so nothing to terminate: stop at once.
      on: { 'troupe.shutdown': 'stopped' },
      invoke: {
        src: 'init',
        input: ({ context }) => context.input,
        onDone: {
          target: 'running',
          actions: [
            assign({ runner: ({ context, event, self }) => createBatchRunner(context.input, event.output, (error) => self.send({ type: 'failed', error })) }),
            ({ context }) => {
              const runner = context.runner as BatchRunner
              context.input.report({ type: 'ready', deliver: (messages, highWatermark) => runner.run(messages, highWatermark) })
            },
          ],
        },
        onError: { actions: crash },
      },
    },
    running: {
      on: {
        'troupe.shutdown': {
          target: 'draining',
          actions: assign({ stopReason: ({ event }) => event.reason ?? 'shutdown' }),
        },
      },
    },
    draining: {
      // Repeated requests (the supervisor sends one too) are harmless; the first reason counts.
      entry: ({ context, self }) => context.runner?.whenIdle(() => self.send({ type: 'drained' })),
      on: { drained: 'terminating' },
    },
    terminating: {
      invoke: { src: 'terminate', input: ({ context }) => ({ ctx: context }), onDone: 'stopped', onError: 'stopped' },
    },
    stopped: { type: 'final' },
  },
})
