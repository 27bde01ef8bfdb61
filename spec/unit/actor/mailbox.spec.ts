import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createBoundedMailbox } from '../../../lib/actor/index.js'
import { ConfigError, MailboxOverflowError } from '../../../lib/errors.js'
import { Events } from '../../../lib/instrumentation/events.js'
import { harness } from './support.js'

const test = suite('actor/bounded mailbox')

test("'reject' refuses items once full; enqueue throws MailboxOverflowError; overflow is reported", () => {
  const { instrumentation, named } = harness()
  const refused: number[] = []
  const box = createBoundedMailbox<number>({ capacity: 2, name: 'inbox', instrumentation, onOverflow: (item) => refused.push(item) })
  assert.ok(box.push(1))
  assert.ok(box.push(2))
  assert.ok(box.isFull)
  assert.not.ok(box.push(3))
  assert.throws(() => box.enqueue(4), (e: unknown) => e instanceof MailboxOverflowError && e.retriable)
  assert.equal(refused, [3, 4])
  assert.equal(box.drain(), [1, 2])
  assert.equal(box.stats(), { accepted: 2, rejected: 2, dropped: 0 })
  assert.equal(named(Events.MAILBOX_OVERFLOW).map((p) => [p.mailbox, p.outcome]), [['inbox', 'rejected'], ['inbox', 'rejected']])
})

test("'drop_oldest' keeps the newest items", () => {
  const dropped: string[] = []
  const box = createBoundedMailbox<string>({ capacity: 2, overflow: 'drop_oldest', onOverflow: (item) => dropped.push(item) })
  for (const item of ['a', 'b', 'c', 'd']) assert.ok(box.push(item))
  assert.equal([box.shift(), box.shift(), box.shift()], ['c', 'd', undefined])
  assert.equal(dropped, ['a', 'b'])
  assert.equal(box.stats(), { accepted: 4, rejected: 0, dropped: 2 })
})

test('take waits for an item and serves takers in order; onAvailable fires on empty -> non-empty', async () => {
  const box = createBoundedMailbox<number>({ capacity: 1 })
  let available = 0
  box.onAvailable(() => available++)
  const first = box.take()
  const second = box.take()
  assert.ok(box.push(1)) // handed to the first taker, not stored
  assert.ok(box.push(2))
  assert.equal(await Promise.all([first, second]), [1, 2])
  assert.is(available, 0)
  box.push(3)
  assert.is(available, 1)
  assert.is(await box.take(), 3)
})

test('whenSpace resolves once an item is taken from a full mailbox', async () => {
  const box = createBoundedMailbox<number>({ capacity: 1 })
  box.push(1)
  let space = false
  const waiting = box.whenSpace().then(() => (space = true))
  await Promise.resolve()
  assert.not.ok(space)
  box.shift()
  await waiting
  assert.ok(space)
})

test('close refuses new items and rejects waiting takers; items inside can still be taken', async () => {
  const box = createBoundedMailbox<number>({ capacity: 2 })
  const waiting = box.take().catch((e: unknown) => e)
  box.close()
  assert.instance(await waiting, MailboxOverflowError)
  assert.not.ok(box.push(1))
  assert.ok(box.closed)
  const other = createBoundedMailbox<number>({ capacity: 2 })
  other.push(7)
  other.close()
  assert.is(await other.take(), 7)
  assert.instance(await other.take().catch((e: unknown) => e), MailboxOverflowError)
})

test('capacity must be a positive integer', () => {
  assert.throws(() => createBoundedMailbox({ capacity: 0 }), (e: unknown) => e instanceof ConfigError)
})

test.run()
