import { assign, enqueueActions, setup } from 'xstate'
import type { ActorRefFrom } from 'xstate'
import type { ScheduleCommand } from './command.js'
import { initialTaskStates } from './due.js'
import { applyCommand, finishReplay, incompatibility, startDueTasks } from './executor-steps.js'
import type { ExecutorContext, ExecutorEmitted, Step } from './executor-steps.js'
import type { Schedule } from './schedule.js'
import type { ScheduleSnapshot } from './snapshot.js'

/**
 * The executor lifecycle:
 *
 *   replaying --REPLAY_DONE--> running        (stored state absent or not newer: catch up, then run)
 *             --REPLAY_DONE--> incompatible   (stored state written by a newer schedule: run nothing)
 *
 * While replaying, the last STATE_LOADED wins and COMMANDs are only buffered: applying them early
 * could be undone by a later snapshot in the same replay. While running, a COMMAND is applied at once
 * and TICK / RUN_FINISHED start whatever is due. Every event carries `now`, so the machine never reads
 * a clock; side effects (run a task, write a snapshot, report) leave as emitted events for the owner.
 */
export type ExecutorEvent =
  | { type: 'STATE_LOADED'; snapshot: ScheduleSnapshot; offset: number }
  | { type: 'COMMAND'; command: ScheduleCommand; offset: number; now: number }
  | { type: 'REPLAY_DONE'; now: number }
  | { type: 'TICK'; now: number }
  | { type: 'RUN_FINISHED'; taskId: string; now: number }

export interface ExecutorInput {
  schedule: Schedule
  startedAt: number
}

/** Applies a pure step: its context replaces ours and its outputs are emitted, in order. */
const applyStep = (compute: (context: ExecutorContext, event: ExecutorEvent) => Step) =>
  enqueueActions<ExecutorContext, ExecutorEvent, undefined, ExecutorEvent, never, never, never, never, ExecutorEmitted>(
    ({ context, event, enqueue }) => {
      const step = compute(context, event)
      enqueue.assign(() => step.context)
      for (const emitted of step.emitted) enqueue.emit(emitted)
    },
  )

const nowOf = (event: ExecutorEvent) => ('now' in event ? event.now : 0)

export const executorMachine = setup({
  types: {
    context: {} as ExecutorContext,
    events: {} as ExecutorEvent,
    input: {} as ExecutorInput,
    emitted: {} as ExecutorEmitted,
  },
  guards: {
    storedIsIncompatible: ({ context }) => incompatibility(context) !== null,
  },
}).createMachine({
  id: 'recurring-executor',
  context: ({ input }) => ({
    schedule: input.schedule,
    startedAt: input.startedAt,
    states: initialTaskStates(input.schedule),
    inFlight: [],
    stored: null,
    buffered: [],
    commandsAppliedThrough: -1,
  }),
  initial: 'replaying',
  states: {
    replaying: {
      on: {
        STATE_LOADED: { actions: assign({ stored: ({ event }) => event.snapshot }) },
        COMMAND: { actions: assign({ buffered: ({ context, event }) => [...context.buffered, { command: event.command, offset: event.offset }] }) },
        REPLAY_DONE: [
          { guard: 'storedIsIncompatible', target: 'incompatible' },
          { target: 'running', actions: applyStep((context, event) => finishReplay(context, nowOf(event))) },
        ],
      },
    },
    running: {
      on: {
        // Our own snapshots come back through the partition; the state in memory is already newer.
        STATE_LOADED: {},
        COMMAND: {
          actions: applyStep((context, event) => {
            if (event.type !== 'COMMAND') return { context, emitted: [] }
            const applied = applyCommand(context, event.command, event.offset, event.now)
            const started = startDueTasks(applied.context, event.now, true)
            return { context: started.context, emitted: [...applied.emitted, ...started.emitted] }
          }),
        },
        TICK: { actions: applyStep((context, event) => startDueTasks(context, nowOf(event), false)) },
        RUN_FINISHED: {
          actions: applyStep((context, event) => {
            const taskId = event.type === 'RUN_FINISHED' ? event.taskId : ''
            return startDueTasks({ ...context, inFlight: context.inFlight.filter((id) => id !== taskId) }, nowOf(event), false)
          }),
        },
      },
    },
    incompatible: {
      // Nothing runs and nothing is written: the partition is left as it is for a newer process.
      entry: enqueueActions(({ context, enqueue }) => {
        enqueue.emit({
          type: 'incompatible',
          storedVersion: context.stored?.scheduleVersion ?? '',
          ourVersion: context.schedule.version,
          reason: incompatibility(context) ?? 'incompatible',
        })
      }),
    },
  },
})

export type ExecutorActor = ActorRefFrom<typeof executorMachine>
export type ExecutorStateName = 'replaying' | 'running' | 'incompatible'
