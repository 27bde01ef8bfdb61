import type { IncomingMessage, Producer } from '../kafka/client.js'

/** A message as a handler sees it. */
export type Message = IncomingMessage

/** Where a partition worker runs: given to `init` and, with more, to every `handleMessages` call. */
export interface PartitionContext {
  readonly topic: string
  readonly partition: number
  readonly groupId: string
  /** The member's generation when this worker started; acks must carry it. */
  readonly generationId: number
  /** A producer the group shares, e.g. to forward results downstream. */
  readonly producer: Producer
}

export interface HandlerContext extends PartitionContext {
  /** Acknowledges every delivered message of this partition up to and including `offset`. */
  ack(offset: number): void
  /** The partition's high watermark when this batch was fetched (lag = highWatermark - last offset - 1). */
  readonly highWatermark: number
}

/**
 * What a handler decided about a batch.
 * - `ack`: the whole batch is done; it may be committed.
 * - `ack_up_to`: messages up to `offset` are done; the rest must be acked later (or are redelivered).
 * - `no_ack`: nothing is done yet; something will call `ack` later (flow control stays held).
 * - `continue`: release flow control (fetch more) but commit nothing; after a crash these are redelivered.
 */
export type HandlerResult<S> =
  | { action: 'ack'; state: S }
  | { action: 'ack_up_to'; offset: number; state: S }
  | { action: 'no_ack'; state: S }
  | { action: 'continue'; state: S }

export const ack = <S>(state: S): HandlerResult<S> => ({ action: 'ack', state })
export const ackUpTo = <S>(offset: number, state: S): HandlerResult<S> => ({ action: 'ack_up_to', offset, state })
export const noAck = <S>(state: S): HandlerResult<S> => ({ action: 'no_ack', state })
export const continueWith = <S>(state: S): HandlerResult<S> => ({ action: 'continue', state })

/**
 * What users implement. One instance serves every partition; each partition worker keeps its own
 * state, created by `init` and threaded through `handleMessages`. Throwing (or rejecting) crashes only
 * that partition's worker, which is restarted at the last acked offset.
 */
export interface MessageHandler<S = unknown, A = unknown> {
  init?(args: A, context: PartitionContext): S | Promise<S>
  handleMessages(messages: Message[], state: S, context: HandlerContext): HandlerResult<S> | Promise<HandlerResult<S>>
  /** Called when the worker stops (revocation, shutdown); not after a crash. */
  terminate?(state: S, context: PartitionContext, reason: 'revoked' | 'shutdown'): void | Promise<void>
}

const ACTIONS = new Set(['ack', 'ack_up_to', 'no_ack', 'continue'])

/** Checks a handler's return value at runtime: JavaScript users can return anything. */
export function isHandlerResult(value: unknown): value is HandlerResult<unknown> {
  if (value === null || typeof value !== 'object') return false
  const v = value as { action?: unknown; offset?: unknown }
  if (!ACTIONS.has(v.action as string)) return false
  return v.action !== 'ack_up_to' || Number.isSafeInteger(v.offset)
}
