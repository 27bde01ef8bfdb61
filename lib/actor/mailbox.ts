import { ConfigError, MailboxOverflowError } from '../errors.js'
import { Events } from '../instrumentation/events.js'
import type { Instrumentation } from '../instrumentation/instrumentation.js'

/**
 * What a full mailbox does with one more item:
 * - 'reject': the new item is refused (push returns false; enqueue throws MailboxOverflowError).
 *   Use it where the sender can slow down or retry: the back-pressure reaches the producer.
 * - 'drop_oldest': the oldest waiting item is dropped to make room. Use it where only recent items
 *   matter (status updates, ticks), never for work that must be done.
 */
export type OverflowPolicy = 'reject' | 'drop_oldest'

export interface BoundedMailboxOptions<T> {
  capacity: number
  /** Default 'reject'. */
  overflow?: OverflowPolicy
  /** Told about every refused or dropped item (after the fact). */
  onOverflow?: (item: T, policy: OverflowPolicy) => void
  /** Publishes MAILBOX_OVERFLOW with `name` when given. */
  instrumentation?: Instrumentation
  name?: string
}

export interface MailboxStats {
  accepted: number
  rejected: number
  dropped: number
}

/**
 * A bounded FIFO between a producer and an actor. xstate v5 actors queue events without limit, so a
 * fast producer can grow an actor's memory without bound; put a BoundedMailbox in front and have the
 * actor (or a pump) take from it at its own pace. Single-threaded: no locking, callbacks run synchronously.
 */
export interface BoundedMailbox<T> {
  /** Adds an item; false when refused (policy 'reject' while full, or closed). */
  push(item: T): boolean
  /** Like push, but throws MailboxOverflowError when refused. */
  enqueue(item: T): void
  /** Removes and returns the oldest item, if any. */
  shift(): T | undefined
  peek(): T | undefined
  /** Resolves with the next item, waiting for one if empty; takers are served in order. Rejects once closed and empty. */
  take(): Promise<T>
  /** Resolves when there is room for at least one item (at once when not full). */
  whenSpace(): Promise<void>
  /** Calls `listener` each time the mailbox goes from empty to non-empty. Returns an unsubscribe function. */
  onAvailable(listener: () => void): () => void
  /** Removes and returns every waiting item. */
  drain(): T[]
  /** Refuses further items and rejects waiting takers; items already inside can still be shifted. */
  close(reason?: unknown): void
  readonly size: number
  readonly capacity: number
  readonly isFull: boolean
  readonly closed: boolean
  stats(): MailboxStats
}

export function createBoundedMailbox<T>(options: BoundedMailboxOptions<T>): BoundedMailbox<T> {
  const { capacity } = options
  if (!Number.isInteger(capacity) || capacity < 1) throw new ConfigError('mailbox capacity must be an integer >= 1', { capacity, mailbox: options.name })
  const policy = options.overflow ?? 'reject'
  const items: T[] = []
  const takers: Array<{ resolve: (item: T) => void; reject: (error: unknown) => void }> = []
  let spaceWaiters: Array<() => void> = []
  const availableListeners = new Set<() => void>()
  const stats: MailboxStats = { accepted: 0, rejected: 0, dropped: 0 }
  let closedWith: { reason: unknown } | undefined

  const overflowed = (item: T, what: 'rejected' | 'dropped') => {
    stats[what]++
    try {
      options.onOverflow?.(item, policy)
      options.instrumentation?.emit(Events.MAILBOX_OVERFLOW, { mailbox: options.name, capacity, policy, outcome: what, size: items.length })
    } catch {
      // reporting must not change what the mailbox did
    }
  }

  const signalSpace = () => {
    if (items.length >= capacity || spaceWaiters.length === 0) return
    const waiters = spaceWaiters
    spaceWaiters = []
    for (const resolve of waiters) resolve()
  }

  const mailbox: BoundedMailbox<T> = {
    push(item) {
      if (closedWith) return false
      stats.accepted++
      // A waiting taker gets the item directly: it never occupies a slot.
      const taker = takers.shift()
      if (taker) {
        taker.resolve(item)
        return true
      }
      if (items.length >= capacity) {
        if (policy === 'reject') {
          stats.accepted--
          overflowed(item, 'rejected')
          return false
        }
        overflowed(items.shift() as T, 'dropped')
      }
      items.push(item)
      if (items.length === 1) {
        for (const listener of [...availableListeners]) {
          try {
            listener()
          } catch {
            // one listener must not starve the others
          }
        }
      }
      return true
    },
    enqueue(item) {
      if (!mailbox.push(item)) {
        throw new MailboxOverflowError(closedWith ? `mailbox ${options.name ?? ''} is closed` : `mailbox ${options.name ?? ''} is full (capacity ${capacity})`, {
          mailbox: options.name,
          capacity,
          closed: closedWith !== undefined,
        })
      }
    },
    shift() {
      const item = items.shift()
      signalSpace()
      return item
    },
    peek: () => items[0],
    take() {
      if (items.length > 0) return Promise.resolve(mailbox.shift() as T)
      if (closedWith) return Promise.reject(closedWith.reason)
      return new Promise<T>((resolve, reject) => takers.push({ resolve, reject }))
    },
    whenSpace() {
      if (items.length < capacity || closedWith) return Promise.resolve()
      return new Promise<void>((resolve) => spaceWaiters.push(resolve))
    },
    onAvailable(listener) {
      availableListeners.add(listener)
      return () => void availableListeners.delete(listener)
    },
    drain() {
      const all = items.splice(0, items.length)
      signalSpace()
      return all
    },
    close(reason = new MailboxOverflowError(`mailbox ${options.name ?? ''} is closed`, { mailbox: options.name, closed: true })) {
      if (closedWith) return
      closedWith = { reason }
      for (const taker of takers.splice(0, takers.length)) taker.reject(reason)
      // Producers waiting for room must not hang: push will tell them it is closed.
      const waiters = spaceWaiters
      spaceWaiters = []
      for (const resolve of waiters) resolve()
    },
    get size() {
      return items.length
    },
    capacity,
    get isFull() {
      return items.length >= capacity
    },
    get closed() {
      return closedWith !== undefined
    },
    stats: () => ({ ...stats }),
  }
  return mailbox
}
