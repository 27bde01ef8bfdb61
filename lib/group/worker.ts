import { assign, fromPromise, setup } from 'xstate'
import { HandlerError } from '../errors.js'
import type { HandlerContext, HandlerResult, Message, MessageHandler, PartitionContext } from './handler.js'
import { isHandlerResult } from './handler.js'

/** What a worker tells its group manager. */
export type WorkerReport =
  | { type: 'ready' }
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
  | { type: 'deliver'; messages: Message[]; highWatermark: number }
  /** `reason` tells the handler's terminate why; the first request's reason is kept. */
  | { type: 'troupe.shutdown'; reason?: 'revoked' | 'shutdown' }
  /** The handler's call for the current batch settled (sent by the worker to itself). */
  | { type: 'handled'; result: HandlerResult<unknown> }
  | { type: 'failed'; error: unknown }

interface WorkerContext {
  input: WorkerInput
  state: unknown
  batch: Message[]
  highWatermark: number
  stopReason: 'revoked' | 'shutdown'
  /** Set when a shutdown arrives mid-batch: this batch is the last. */
  draining: boolean
}

const rethrow = ({ event }: { event: { error: unknown } }) => {
  throw event.error
}


/**
 * Calls the handler for the current batch and tells the worker how it went. Runs on a microtask, never
 * inside a transition, and without an invoked actor per batch: this is the hot path.
 */
function handleBatch(ctx: WorkerContext, self: { send(event: WorkerEvent): void }) {
  const handlerContext: HandlerContext = { ...ctx.input.context, ack: ctx.input.ack, highWatermark: ctx.highWatermark }
  Promise.resolve()
    .then(() => ctx.input.handler.handleMessages(ctx.batch, ctx.state, handlerContext))
    .then(
      (result: unknown) => {
        if (isHandlerResult(result)) return self.send({ type: 'handled', result })
        const error = new HandlerError('handleMessages must return ack(state), ackUpTo(offset, state), noAck(state) or continueWith(state)', {
          retriable: false,
          context: { topic: ctx.input.context.topic, partition: ctx.input.context.partition, returned: String(result) },
        })
        self.send({ type: 'failed', error })
      },
      (error: unknown) => self.send({ type: 'failed', error }),
    )
}

/**
 * One partition's worker: runs the user's handler over batches the manager delivers, one at a time,
 * and reports each result. `initializing -> ready <-> handling(.working|.draining) -> terminating -> stopped`. A handler
 * that throws makes the worker actor fail ('error' status); its manager restarts it from the last
 * acked offset. A shutdown request while handling lets the batch finish first (`handling.draining`).
 */
export const partitionWorker = setup({
  types: {} as { context: WorkerContext; events: WorkerEvent; input: WorkerInput },
  actors: {
    init: fromPromise(async ({ input }: { input: WorkerInput }) =>
      input.handler.init ? input.handler.init(input.initArgs, input.context) : undefined,
    ),
    terminate: fromPromise(async ({ input }: { input: { ctx: WorkerContext } }) => {
      const { ctx } = input
      await ctx.input.handler.terminate?.(ctx.state, ctx.input.context, ctx.stopReason)
    }),
  },
}).createMachine({
  id: 'partitionWorker',
  context: ({ input }) => ({ input, state: undefined, batch: [], highWatermark: -1, stopReason: 'shutdown', draining: false }),
  initial: 'initializing',
  on: {
    // Repeated requests (the supervisor sends one too) are harmless; the first reason counts.
    'troupe.shutdown': {},
  },
  states: {
    initializing: {
      // Never initialised, so nothing to terminate: stop at once.
      on: { 'troupe.shutdown': 'stopped' },
      invoke: {
        src: 'init',
        input: ({ context }) => context.input,
        onDone: {
          target: 'ready',
          actions: [assign({ state: ({ event }) => event.output }), ({ context }) => context.input.report({ type: 'ready' })],
        },
        onError: { actions: rethrow },
      },
    },
    ready: {
      on: {
        deliver: {
          target: 'handling',
          actions: assign({ batch: ({ event }) => event.messages, highWatermark: ({ event }) => event.highWatermark }),
        },
        'troupe.shutdown': { target: 'terminating', actions: assign({ stopReason: ({ event }) => event.reason ?? 'shutdown' }) },
      },
    },
    handling: {
      // One handler call per batch; a shutdown request only marks the batch as the last one (drain).
      entry: ({ context, self }) => handleBatch(context, self),
      initial: 'working',
      states: {
        working: {
          on: { 'troupe.shutdown': { target: 'draining', actions: assign({ stopReason: ({ event }) => event.reason ?? 'shutdown', draining: true }) } },
        },
        draining: {},
      },
      // Both report the batch before clearing it: assignments are visible to the actions after them.
      on: {
        handled: [
          {
            guard: ({ context }) => context.draining,
            target: 'terminating',
            actions: [
              ({ context, event }) => context.input.report({ type: 'handled', messages: context.batch, result: event.result }),
              assign({ state: ({ event }) => event.result.state, batch: [] }),
            ],
          },
          {
            target: 'ready',
            actions: [
              ({ context, event }) => context.input.report({ type: 'handled', messages: context.batch, result: event.result }),
              assign({ state: ({ event }) => event.result.state, batch: [] }),
            ],
          },
        ],
        failed: {
          actions: ({ event }) => {
            throw event.error
          },
        },
      },
    },
    terminating: {
      invoke: { src: 'terminate', input: ({ context }) => ({ ctx: context }), onDone: 'stopped', onError: 'stopped' },
    },
    stopped: { type: 'final' },
  },
})
