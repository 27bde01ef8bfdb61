import type { TroupeError } from '../errors.js'

/** An acknowledgement from outside a handler (Elsa's `ack/2`): everything up to `offset` is done. */
export interface AckRequest {
  topic: string
  partition: number
  generationId: number
  offset: number
}

/** Failures are data: a rejected ack says why (stale generation, not owned, never delivered). */
export type AckOutcome = { accepted: true } | { accepted: false; error: TroupeError }
