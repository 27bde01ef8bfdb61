// A small supervision tree: a root supervisor with a nested partition-worker supervisor and a ticker.
// Run it with: node --import tsx examples/supervision.ts
import { fromCallback, setup } from 'xstate'
import { createSupervisor, supervisorOf, SHUTDOWN_EVENT } from '../lib/actor/index.js'
import type { ChildSpec } from '../lib/actor/index.js'
import { createInstrumentation } from '../lib/instrumentation/instrumentation.js'

// A partition worker: handles messages until asked to shut down, then finishes and reaches a final state.
const partitionWorker = setup({
  types: { input: {} as { partition: number }, context: {} as { partition: number; handled: number } },
}).createMachine({
  context: ({ input }) => ({ partition: input.partition, handled: 0 }),
  initial: 'consuming',
  states: {
    consuming: {
      on: {
        message: {
          actions: ({ context, event }) => {
            if ((event as { poison?: boolean }).poison) throw new Error(`poison message on partition ${context.partition}`)
            context.handled++
          },
        },
        // The graceful shutdown request: finish the current work, then stop.
        [SHUTDOWN_EVENT.type]: 'draining',
      },
    },
    draining: { always: 'done' }, // a real worker would wait here for its in-flight batch
    done: { type: 'final' },
  },
})

// A recurring task as a callback actor: its cleanup runs when it is stopped.
const ticker = fromCallback(() => {
  const timer = setInterval(() => undefined, 1000)
  return () => clearInterval(timer)
})

const partition = (n: number): ChildSpec => ({
  id: `partition-${n}`,
  name: `orders/${n}`, // reachable through the registry, across restarts
  start: { logic: partitionWorker, input: { partition: n } },
  shutdown: '2s',
})

const instrumentation = createInstrumentation()
instrumentation.on('*', (event) => {
  const { supervisorId, childId, reason } = event.payload
  console.log(`  [${event.name}] ${String(supervisorId)}${childId ? ` / ${String(childId)}` : ''}${reason ? ` (${String(reason)})` : ''}`)
})

const root = createSupervisor({
  id: 'root',
  strategy: 'one_for_one',
  instrumentation,
  children: [
    { id: 'orders', start: { supervisor: { strategy: 'one_for_one', intensity: 3, period: '5s', children: [0, 1, 2].map(partition) } } },
    // A callback actor cannot reach a final state by itself: stop it outright (its cleanup still runs).
    { id: 'recurring', start: { logic: ticker }, shutdown: 'brutal' },
  ],
})

console.log('starting the tree')
await root.start()

const orders = supervisorOf(root.getChild('orders'))!
console.log('orders children:', orders.whichChildren().map((c) => `${c.id}=${c.status}`).join(', '))

console.log('a poison message crashes partition 1; its supervisor restarts only that worker')
const worker = orders.getChild('partition-1')!
worker.send({ type: 'message', poison: true })
await new Promise((resolve) => setTimeout(resolve, 10))
console.log('orders children:', orders.whichChildren().map((c) => `${c.id}=${c.status} restarts=${c.restarts}`).join(', '))

console.log('stopping the tree (reverse order, each child within its shutdown timeout)')
await root.stop()
const exit = await root.stopped
console.log(`root stopped: ${exit.reason}`)
