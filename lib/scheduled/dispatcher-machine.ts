import { assign, setup } from 'xstate'

export interface DispatcherMachineContext {
  partition: number
  /** Completed day reloads since this dispatcher started. */
  reloads: number
  loadedAt: number | undefined
}

export type DispatcherMachineEvent =
  | { type: 'LOAD' }
  | { type: 'LOADED'; at: number }
  | { type: 'SEND' }
  | { type: 'SENT' }
  | { type: 'SEND_FAILED' }
  | { type: 'DAY_CHANGED' }
  | { type: 'STOP' }

/**
 * The lifecycle of one proxy partition's dispatcher. The machine is the gate the rules hang on:
 * sending is only possible from `loaded.waiting`, so nothing goes out while a load or a reload is
 * reading the log (every cancel must be seen first), one batch is in flight at a time (order by due
 * time holds), and a day reload waits for the batch in flight to finish. Side effects stay in the
 * dispatcher that drives it; the machine only says what is allowed now.
 *
 *   idle -LOAD-> loading -LOADED-> loaded.waiting <-SENT/SEND_FAILED- loaded.sending
 *                                      |  ^-SEND->-'
 *                               DAY_CHANGED
 *                                      v
 *                                  reloading -LOADED-> loaded        (any) -STOP-> stopped
 */
export const dispatcherMachine = setup({
  types: {
    context: {} as DispatcherMachineContext,
    events: {} as DispatcherMachineEvent,
    input: {} as { partition: number },
  },
}).createMachine({
  id: 'scheduledDispatcher',
  context: ({ input }) => ({ partition: input.partition, reloads: 0, loadedAt: undefined }),
  initial: 'idle',
  on: { STOP: '.stopped' },
  states: {
    idle: { on: { LOAD: 'loading' } },
    loading: {
      on: { LOADED: { target: 'loaded', actions: assign({ loadedAt: ({ event }) => event.at }) } },
    },
    loaded: {
      initial: 'waiting',
      states: {
        waiting: {
          on: {
            SEND: 'sending',
            DAY_CHANGED: { target: '#scheduledDispatcher.reloading' },
          },
        },
        sending: { on: { SENT: 'waiting', SEND_FAILED: 'waiting' } },
      },
    },
    reloading: {
      on: {
        LOADED: {
          target: 'loaded',
          actions: assign({ loadedAt: ({ event }) => event.at, reloads: ({ context }) => context.reloads + 1 }),
        },
      },
    },
    stopped: { type: 'final' },
  },
})

/** The state names published on the states topic. */
export type PartitionPhase = 'idle' | 'loading' | 'loaded' | 'stopped'

export function phaseOf(value: unknown): PartitionPhase {
  if (value === 'idle' || value === 'stopped') return value
  if (value === 'loading' || value === 'reloading') return 'loading'
  return 'loaded'
}
