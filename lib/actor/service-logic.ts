import type { ActorLogic, ActorSystem, AnyActorRef, EventObject, NonReducibleUnknown, Snapshot } from 'xstate'
import { SHUTDOWN_EVENT } from './shutdown.js'

const RESOLVED = 'troupe.service.resolved'
const REJECTED = 'troupe.service.rejected'
const STOP = 'xstate.stop'

export interface ServiceContext<TInput> {
  input: TInput
  self: AnyActorRef
  system: ActorSystem<any>
  /** Aborted when the actor is stopped outright: drop everything and return. */
  signal: AbortSignal
  /** Aborted when a graceful shutdown is asked for ('troupe.shutdown'): finish, then resolve. */
  shutdown: AbortSignal
  /** Receives every other event sent to this actor. */
  onEvent(listener: (event: EventObject) => void): void
}

export type ServiceSnapshot<TOutput, TInput> = Snapshot<TOutput> & { input: TInput | undefined }

interface Running {
  stop: AbortController
  shutdown: AbortController
  listeners: Array<(event: EventObject) => void>
}

export type ServiceLogic<TOutput, TInput> = ActorLogic<ServiceSnapshot<TOutput, TInput>, EventObject, TInput, ActorSystem<any>, EventObject>

/**
 * Actor logic for a long-running async service (a group manager, a dispatcher, a runner), so it can
 * live in a supervision tree like any xstate actor. The service is a function that runs until its work
 * is over: resolving is a normal exit ('done'), rejecting is a crash ('error'), and unlike xstate's
 * fromPromise it hears the supervisor's graceful-shutdown request and any other events sent to it.
 */
export function fromService<TOutput = void, TInput = NonReducibleUnknown>(
  run: (context: ServiceContext<TInput>) => Promise<TOutput>,
): ServiceLogic<TOutput, TInput> {
  const running = new WeakMap<AnyActorRef, Running>()

  return {
    config: run,
    transition(snapshot, event, scope) {
      if (snapshot.status !== 'active') return snapshot
      const r = running.get(scope.self)
      switch (event.type) {
        case RESOLVED:
          running.delete(scope.self)
          return { status: 'done', output: (event as unknown as { data: TOutput }).data, error: undefined, input: undefined }
        case REJECTED:
          running.delete(scope.self)
          return { status: 'error', output: undefined, error: (event as unknown as { data: unknown }).data, input: undefined }
        case STOP:
          r?.stop.abort()
          r?.shutdown.abort()
          running.delete(scope.self)
          return { status: 'stopped', output: undefined, error: undefined, input: undefined }
        case SHUTDOWN_EVENT.type:
          r?.shutdown.abort()
          return snapshot
        default:
          for (const listener of r?.listeners ?? []) listener(event)
          return snapshot
      }
    },
    start(snapshot, { self, system }) {
      if (snapshot.status !== 'active') return
      const r: Running = { stop: new AbortController(), shutdown: new AbortController(), listeners: [] }
      running.set(self, r)
      const settle = (type: string, data: unknown) => {
        if (self.getSnapshot().status !== 'active') return
        self.send({ type, data } as EventObject)
      }
      Promise.resolve()
        .then(() =>
          run({
            input: snapshot.input as TInput,
            self,
            system,
            signal: r.stop.signal,
            shutdown: r.shutdown.signal,
            onEvent: (listener) => void r.listeners.push(listener),
          }),
        )
        .then(
          (output) => settle(RESOLVED, output),
          (error) => settle(REJECTED, error),
        )
    },
    getInitialSnapshot: (_scope, input) => ({ status: 'active', output: undefined, error: undefined, input }),
    getPersistedSnapshot: (snapshot) => snapshot,
    restoreSnapshot: (snapshot) => snapshot as ServiceSnapshot<TOutput, TInput>,
  }
}
