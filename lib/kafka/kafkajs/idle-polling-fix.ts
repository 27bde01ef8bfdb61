import { createRequire } from 'node:module'

/**
 * kafkajs 2.2.4 re-arms a request-queue timer whenever none is set (its fix for a stall under broker
 * throttling). With nothing pending and no throttling the delay is negative, so Node runs it after
 * 1 ms and it re-arms itself: every idle connection polls about a thousand times a second until it
 * disconnects (kafkajs issue #1556). bench/kafkajs-versions.ts measured ~10x the idle CPU of 2.2.2.
 *
 * The fix keeps 2.2.4's behaviour whenever there is something to check (requests pending, or a
 * throttle in force) and schedules nothing otherwise, as 2.2.2 did; the next request pushed
 * schedules again. It is applied only to kafkajs 2.2.4, whose code it was written against.
 */
interface RequestQueueLike {
  pending: unknown[]
  throttledUntil: number
  scheduleCheckPendingRequests(): void
}

const PATCHED = Symbol.for('troupe.kafkajs.idlePollingFix')

/** Patches a RequestQueue prototype; returns a function that restores it (the bench compares both). */
export function patchIdlePolling(proto: RequestQueueLike & { [PATCHED]?: boolean }): () => void {
  if (proto[PATCHED]) return () => undefined
  const original = proto.scheduleCheckPendingRequests
  proto.scheduleCheckPendingRequests = function (this: RequestQueueLike) {
    if (this.pending.length === 0 && !(this.throttledUntil > Date.now())) return
    original.call(this)
  }
  proto[PATCHED] = true
  return () => {
    proto.scheduleCheckPendingRequests = original
    delete proto[PATCHED]
  }
}

export type IdlePollingFix = 'applied' | 'not-needed' | 'unavailable'

let outcome: IdlePollingFix | undefined

/** Applies the fix to the installed kafkajs once, if it is 2.2.4. */
export function applyIdlePollingFix(): IdlePollingFix {
  if (outcome) return outcome
  try {
    const require = createRequire(import.meta.url)
    const { version } = require('kafkajs/package.json') as { version: string }
    if (version !== '2.2.4') return (outcome = 'not-needed')
    const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueueLike }
    if (typeof RequestQueue.prototype.scheduleCheckPendingRequests !== 'function') return (outcome = 'unavailable')
    patchIdlePolling(RequestQueue.prototype)
    return (outcome = 'applied')
  } catch {
    return (outcome = 'unavailable')
  }
}
