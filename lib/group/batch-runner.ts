import { HandlerError } from '../errors.js'
import type { HandlerContext, HandlerResult, Message } from './handler.js'
import { isHandlerResult } from './handler.js'
import type { WorkerInput } from './worker.js'

/**
 * Runs a partition's handler over one batch at a time and threads the handler's state. This is the
 * hot path (every batch of every partition), so it is plain code called directly by the manager;
 * the worker machine around it models the lifecycle (init, run, drain, terminate, crash).
 */
export interface BatchRunner {
  /** Hands over the next batch; only called when `busy` is false. */
  run(messages: Message[], highWatermark: number): void
  readonly busy: boolean
  readonly state: unknown
  /** Called once the batch in hand (if any) is done, when a shutdown wants to wait for it. */
  whenIdle(callback: () => void): void
}

export function createBatchRunner(input: WorkerInput, initialState: unknown, fail: (error: unknown) => void): BatchRunner {
  let state = initialState
  let busy = false
  let idle: (() => void) | undefined

  const settle = () => {
    busy = false
    const callback = idle
    idle = undefined
    callback?.()
  }

  return {
    run(messages, highWatermark) {
      busy = true
      const ctx: HandlerContext = { ...input.context, ack: input.ack, highWatermark }
      // On a microtask: the handler never runs inside the manager's call stack.
      Promise.resolve()
        .then(() => input.handler.handleMessages(messages, state, ctx))
        .then(
          (result: unknown) => {
            if (!isHandlerResult(result)) {
              throw new HandlerError('handleMessages must return ack(state), ackUpTo(offset, state), noAck(state) or continueWith(state)', {
                retriable: false,
                context: { topic: input.context.topic, partition: input.context.partition, returned: String(result) },
              })
            }
            state = result.state
            busy = false
            input.report({ type: 'handled', messages, result: result as HandlerResult<unknown> })
            if (!busy) settle()
          },
        )
        .catch((error: unknown) => {
          busy = false
          idle = undefined
          fail(error)
        })
    },
    get busy() {
      return busy
    },
    get state() {
      return state
    },
    whenIdle(callback) {
      if (!busy) return callback()
      idle = callback
    },
  }
}
