import type { ActorLogic, ActorSystem, AnyActorRef, EventObject, Snapshot } from 'xstate'
import type { Supervisor } from './supervisor.js'
import type { SupervisorExit } from './supervisor-options.js'
import { SHUTDOWN_EVENT } from './shutdown.js'

/**
 * A nested supervisor is a child like any other: this actor logic wraps one so its parent starts,
 * watches and stops it through the same xstate actor interface as a worker.
 *
 * - The supervisor exiting with 'normal' or 'shutdown' makes the actor 'done' (output: the exit).
 * - 'intensity' or 'start_failed' makes the actor 'error' with the exit's error: for the parent, a
 *   crashed child. This is how a supervisor that gives up escalates to its own parent.
 * - SHUTDOWN_EVENT runs the supervisor's ordered stop; an outside stop kills it (every child stopped
 *   outright, in reverse order).
 */
export type SupervisorActorSnapshot = Snapshot<SupervisorExit> & { supervisor: Supervisor }

export type SupervisorActorLogic = ActorLogic<SupervisorActorSnapshot, EventObject, undefined, ActorSystem<any>, EventObject>

const EXITED = 'troupe.supervisor.exited'
const STOP = 'xstate.stop'

/** Brutal stops, kept off the public Supervisor interface. Set by createSupervisor. */
const killers = new WeakMap<Supervisor, () => void>()

export function setKiller(supervisor: Supervisor, kill: () => void): void {
  killers.set(supervisor, kill)
}

export function killSupervisor(supervisor: Supervisor): void {
  killers.get(supervisor)?.()
}

export function fromSupervisor(supervisor: Supervisor): SupervisorActorLogic {
  return {
    config: supervisor,
    transition(snapshot, event) {
      if (snapshot.status !== 'active') return snapshot
      switch (event.type) {
        case EXITED: {
          const exit = (event as unknown as { exit: SupervisorExit }).exit
          if (exit.reason === 'intensity' || exit.reason === 'start_failed') {
            return { ...snapshot, status: 'error', error: exit.error, output: undefined }
          }
          return { ...snapshot, status: 'done', output: exit, error: undefined }
        }
        case SHUTDOWN_EVENT.type:
          void supervisor.stop('shutdown').catch(() => undefined)
          return snapshot
        case STOP:
          killSupervisor(supervisor)
          return { ...snapshot, status: 'stopped', output: undefined, error: undefined }
        default:
          return snapshot
      }
    },
    start(_snapshot, { self }) {
      supervisor.onExit((exit) => {
        if (self.getSnapshot().status === 'active') self.send({ type: EXITED, exit } as EventObject)
      })
      // A failed start also ends in onExit ('start_failed'); whoever started the actor awaits start().
      supervisor.start().catch(() => undefined)
    },
    getInitialSnapshot: () => ({ status: 'active', output: undefined, error: undefined, supervisor }),
    getPersistedSnapshot: (snapshot) => snapshot,
    restoreSnapshot: (snapshot) => snapshot as SupervisorActorSnapshot,
  }
}

/** The Supervisor behind a nested supervisor's actor ref (from getChild or the registry), if it is one. */
export function supervisorOf(ref: AnyActorRef | undefined): Supervisor | undefined {
  const snapshot = ref?.getSnapshot() as Partial<SupervisorActorSnapshot> | undefined
  return snapshot?.supervisor
}
