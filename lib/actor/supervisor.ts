import { createActor } from 'xstate'
import type { AnyActorRef } from 'xstate'
import { ActorNotFoundError, ChildStartError, ConfigError, NameTakenError, RestartIntensityError, ShutdownTimeoutError, toError } from '../errors.js'
import { Events } from '../instrumentation/events.js'
import type { EventName } from '../instrumentation/events.js'
import { silentInstrumentation } from '../instrumentation/instrumentation.js'
import { systemClock } from '../time/clock.js'
import type { TimerHandle } from '../time/clock.js'
import { toMs } from '../time/duration.js'
import { createBackoff } from './backoff.js'
import { isSupervisorStart, normalizeChildSpec, resolveStart } from './child-spec.js'
import type { ChildSpec, ChildType, NormalizedChildSpec } from './child-spec.js'
import { monitor } from './monitor.js'
import type { ActorExit } from './monitor.js'
import { createRegistry } from './registry.js'
import type { ActorRefLike } from './registry.js'
import { createRestartWindow } from './restart-intensity.js'
import { createSerialQueue } from './serial-queue.js'
import { shutdownActor } from './shutdown.js'
import { fromSupervisor, setKiller } from './supervisor-actor.js'
import type { Strategy, SupervisorExit, SupervisorOptions } from './supervisor-options.js'

export type ChildStatus = 'running' | 'restarting' | 'stopped'

export interface ChildInfo {
  id: string
  status: ChildStatus
  /** Times this child was started again (after a crash, as part of a group restart, or by restartChild). */
  restarts: number
  ref?: ActorRefLike
  type: ChildType
  name?: string
}

export interface Supervisor {
  readonly id: string
  /** Starts the children in order. If one fails, stops those started (reverse order) and rejects with ChildStartError. */
  start(): Promise<void>
  /** Stops the children in reverse order, each within its shutdown policy. Idempotent. */
  stop(reason?: unknown): Promise<void>
  /** Adds and starts a child. Rejects with NameTakenError, ConfigError (duplicate id) or ChildStartError. */
  startChild(spec: ChildSpec): Promise<ActorRefLike>
  /** Stops a child with its shutdown policy and removes it; it is not restarted. Rejects with ActorNotFoundError. */
  terminateChild(id: string): Promise<void>
  /** Stops (if running) and starts a child again; does not count towards intensity. */
  restartChild(id: string): Promise<void>
  whichChildren(): ChildInfo[]
  getChild(id: string): ActorRefLike | undefined
  /** Resolves (never rejects) when the supervisor has stopped, with why. */
  readonly stopped: Promise<SupervisorExit>
  /** Called once with the exit (at once, on a microtask, if already stopped). Returns an unsubscribe function. */
  onExit(listener: (exit: SupervisorExit) => void): () => void
}

/** One start of a child: its actor and how to tell when it has ended. */
interface Incarnation {
  ref: AnyActorRef
  exited: Promise<ActorExit>
  startedAt: number
  /** Set when the supervisor itself stops it, so its exit is not taken for a failure. */
  stopping: boolean
}

interface ChildRecord {
  spec: NormalizedChildSpec
  status: ChildStatus
  restarts: number
  /** Restarts in a row that followed a short life (< period); drives the backoff delay. */
  streak: number
  current?: Incarnation
}

type State = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped'

const STRATEGIES: Strategy[] = ['one_for_one', 'one_for_all', 'rest_for_one']

export function createSupervisor(options: SupervisorOptions = {}): Supervisor {
  const id = options.id ?? 'supervisor'
  const strategy = options.strategy ?? 'one_for_one'
  const intensity = options.intensity ?? 3
  const periodMs = toMs(options.period ?? '5s', { supervisorId: id })
  const clock = options.clock ?? systemClock
  const instrumentation = options.instrumentation ?? silentInstrumentation
  const registry = options.registry ?? createRegistry()
  const backoff = createBackoff(options.backoff, { supervisorId: id })
  if (!STRATEGIES.includes(strategy)) throw new ConfigError(`unknown strategy ${JSON.stringify(strategy)}`, { supervisorId: id })
  if (!Number.isInteger(intensity) || intensity < 0) throw new ConfigError('intensity must be an integer >= 0', { supervisorId: id, intensity })

  const window = createRestartWindow(intensity, periodMs, clock)
  const queue = createSerialQueue()
  const children: ChildRecord[] = []
  for (const spec of options.children ?? []) addRecord(normalizeChildSpec(spec, id))

  let state: State = 'idle'
  let startPromise: Promise<void> | undefined
  let stopPromise: Promise<void> | undefined
  let finalExit: SupervisorExit | undefined
  const exitListeners = new Set<(exit: SupervisorExit) => void>()
  const backoffTimers = new Set<TimerHandle>()
  let resolveStopped!: (exit: SupervisorExit) => void
  const stopped = new Promise<SupervisorExit>((resolve) => (resolveStopped = resolve))

  // Instrumentation is the user's code: it must never break supervision.
  function emit(name: EventName, payload: Record<string, unknown> = {}) {
    try {
      instrumentation.emit(name, { supervisorId: id, ...payload })
    } catch {
      // ignored on purpose
    }
  }
  const reportInternal = (error: unknown) => emit(Events.ERROR, { type: 'supervisor.internal', error })

  function addRecord(spec: NormalizedChildSpec): ChildRecord {
    if (children.some((c) => c.spec.id === spec.id)) throw new ConfigError(`duplicate child id ${JSON.stringify(spec.id)}`, { supervisorId: id, childId: spec.id })
    const record: ChildRecord = { spec, status: 'stopped', restarts: 0, streak: 0 }
    children.push(record)
    return record
  }
  const removeRecord = (record: ChildRecord) => {
    const index = children.indexOf(record)
    if (index >= 0) children.splice(index, 1)
  }
  const find = (childId: string) => children.find((c) => c.spec.id === childId)

  /** Starts one child. Throws NameTakenError as is; any other failure as ChildStartError. */
  async function launch(record: ChildRecord): Promise<void> {
    const { spec } = record
    let incarnation: Incarnation | undefined
    try {
      const start = resolveStart(spec)
      let nested: Supervisor | undefined
      let ref: AnyActorRef
      if (isSupervisorStart(start)) {
        const inner = start.supervisor
        nested = createSupervisor({
          ...inner,
          id: inner.id ?? spec.id,
          clock: inner.clock ?? clock,
          instrumentation: inner.instrumentation ?? instrumentation,
          registry: inner.registry ?? registry,
        })
        ref = createActor(fromSupervisor(nested), { id: spec.id, clock })
      } else {
        ref = createActor(start.logic, { input: start.input, id: spec.id, clock })
      }
      let resolveExited!: (exit: ActorExit) => void
      const exited = new Promise<ActorExit>((resolve) => (resolveExited = resolve))
      const started: Incarnation = { ref, exited, startedAt: clock.now(), stopping: false }
      incarnation = started
      // Monitor before start: an actor that errors while starting must be seen, not reported as unhandled.
      monitor(ref, (exit) => {
        resolveExited(exit)
        void queue.run(() => handleExit(record, started, exit)).catch(reportInternal)
      })
      if (spec.name) registry.register(spec.name, ref)
      ref.start()
      if (nested) await nested.start()
      const snapshot = ref.getSnapshot()
      if (snapshot.status === 'error') throw snapshot.error
    } catch (error) {
      if (incarnation) {
        incarnation.stopping = true
        if (incarnation.ref.getSnapshot().status === 'active') incarnation.ref.stop()
      }
      record.current = undefined
      record.status = 'stopped'
      const failure =
        error instanceof NameTakenError || error instanceof ChildStartError
          ? error
          : new ChildStartError(`child ${JSON.stringify(spec.id)} of supervisor ${JSON.stringify(id)} failed to start: ${toError(error).message}`, {
              cause: error,
              context: { supervisorId: id, childId: spec.id },
            })
      emit(Events.CHILD_START_FAILED, { childId: spec.id, error: failure, restarts: record.restarts })
      throw failure
    }
    record.current = incarnation
    record.status = 'running'
    emit(Events.CHILD_STARTED, { childId: spec.id, type: spec.type, restarts: record.restarts })
  }

  /** Stops a running child with its shutdown policy; its exit is expected, so nothing restarts it. */
  async function stopChild(record: ChildRecord, why: 'shutdown' | 'terminate' | 'restart'): Promise<void> {
    const incarnation = record.current
    if (!incarnation) return
    incarnation.stopping = true
    const outcome = await shutdownActor(incarnation.ref, record.spec.shutdownMs, incarnation.exited, clock)
    if (outcome.timedOut) {
      const timeoutMs = record.spec.shutdownMs
      const error = new ShutdownTimeoutError(`child ${JSON.stringify(record.spec.id)} did not stop within ${String(timeoutMs)}ms and was stopped outright`, {
        context: { supervisorId: id, childId: record.spec.id, timeoutMs },
      })
      emit(Events.SHUTDOWN_TIMEOUT, { childId: record.spec.id, timeoutMs, error })
    }
    if (record.current === incarnation) record.current = undefined
    record.status = 'stopped'
    emit(Events.CHILD_TERMINATED, { childId: record.spec.id, why, exit: outcome.exit.reason, timedOut: outcome.timedOut, restarts: record.restarts })
  }

  async function stopAllChildren(): Promise<void> {
    for (const record of [...children].reverse()) {
      if (record.status === 'restarting') record.status = 'stopped'
      await stopChild(record, 'shutdown')
      if (record.spec.restart === 'temporary') removeRecord(record)
    }
  }

  function clearBackoffTimers() {
    for (const timer of backoffTimers) clock.clearTimeout(timer)
    backoffTimers.clear()
  }

  function finish(exit: SupervisorExit) {
    if (finalExit) return
    finalExit = exit
    state = 'stopped'
    clearBackoffTimers()
    emit(Events.SUPERVISOR_STOPPED, { reason: exit.reason, error: exit.error, cause: exit.cause })
    for (const listener of [...exitListeners]) {
      try {
        listener(exit)
      } catch {
        // a listener must not keep others from hearing
      }
    }
    exitListeners.clear()
    resolveStopped(exit)
  }

  /** Handles an exit the supervisor did not ask for, in the queue. */
  async function handleExit(record: ChildRecord, incarnation: Incarnation, exit: ActorExit): Promise<void> {
    // Stale (an older start of this child), expected (we stopped it), or too late (we are stopping).
    if (record.current !== incarnation || incarnation.stopping || state !== 'running') return
    record.current = undefined
    record.status = 'stopped'
    const error = exit.reason === 'error' ? exit.error : undefined
    emit(Events.CHILD_EXITED, { childId: record.spec.id, reason: exit.reason, error, restarts: record.restarts })

    const restart = record.spec.restart
    if (restart === 'temporary' || (restart === 'transient' && exit.reason !== 'error')) {
      if (restart === 'temporary') removeRecord(record)
      return
    }
    const ranLong = clock.now() - incarnation.startedAt >= periodMs
    if (ranLong) record.streak = 0
    await restartAfterFailure(record)
  }

  /** Applies the strategy after `failed` went down: budget check, stop its group, restart (maybe after a delay). */
  async function restartAfterFailure(failed: ChildRecord): Promise<void> {
    if (!window.record()) return giveUp(failed)
    const eligible = (c: ChildRecord) => c === failed || c.current !== undefined || c.status === 'restarting'
    let group =
      strategy === 'one_for_one'
        ? [failed]
        : strategy === 'one_for_all'
          ? children.filter(eligible)
          : children.slice(children.indexOf(failed)).filter(eligible)
    for (const sibling of [...group].reverse()) {
      if (sibling === failed) continue
      await stopChild(sibling, 'restart')
    }
    if (state !== 'running') return
    // As in OTP, a temporary child stopped for a group restart is not started again.
    for (const sibling of group) if (sibling !== failed && sibling.spec.restart === 'temporary') removeRecord(sibling)
    group = group.filter((c) => children.includes(c))
    for (const member of group) member.status = 'restarting'

    const delayMs = backoff.delayMs(failed.streak)
    failed.streak++
    if (delayMs <= 0) return restartGroup(group, failed)
    const timer = clock.setTimeout(() => {
      backoffTimers.delete(timer)
      void queue.run(() => restartGroup(group, failed)).catch(reportInternal)
    }, delayMs)
    backoffTimers.add(timer)
  }

  async function restartGroup(group: ChildRecord[], failed: ChildRecord): Promise<void> {
    for (const member of group) {
      // Skip members that were terminated, or restarted by hand, while we waited.
      if (state !== 'running') return
      if (!children.includes(member) || member.status !== 'restarting') continue
      member.restarts++
      try {
        await launch(member)
      } catch {
        // A restart that cannot start is another failure of that child (and counts towards intensity).
        return restartAfterFailure(member)
      }
      emit(Events.CHILD_RESTARTED, { childId: member.spec.id, restarts: member.restarts, strategy, cause: failed.spec.id })
    }
  }

  async function giveUp(failed: ChildRecord): Promise<void> {
    const error = new RestartIntensityError(
      `supervisor ${JSON.stringify(id)} gave up: more than ${intensity} restarts within ${periodMs}ms (last failed child: ${JSON.stringify(failed.spec.id)})`,
      { context: { supervisorId: id, childId: failed.spec.id, intensity, periodMs } },
    )
    emit(Events.INTENSITY_EXCEEDED, { childId: failed.spec.id, restarts: window.count(), intensity, periodMs, error })
    state = 'stopping'
    clearBackoffTimers()
    stopPromise ??= stopped.then(() => undefined)
    await stopAllChildren()
    finish({ reason: 'intensity', error })
  }

  /** Stops every child outright, synchronously (the supervisor's own actor was stopped from outside). */
  function kill() {
    if (finalExit) return
    state = 'stopping'
    clearBackoffTimers()
    for (const record of [...children].reverse()) {
      const incarnation = record.current
      record.current = undefined
      record.status = 'stopped'
      if (!incarnation) continue
      incarnation.stopping = true
      if (incarnation.ref.getSnapshot().status === 'active') incarnation.ref.stop()
    }
    finish({ reason: 'shutdown', cause: 'killed' })
  }

  const supervisor: Supervisor = {
    id,
    stopped,
    start() {
      startPromise ??= queue.run(async () => {
        if (state !== 'idle') throw new ChildStartError(`supervisor ${JSON.stringify(id)} was stopped before it started`, { context: { supervisorId: id } })
        state = 'starting'
        for (const record of [...children]) {
          try {
            if (state !== 'starting') throw new ChildStartError(`supervisor ${JSON.stringify(id)} was stopped while starting`, { context: { supervisorId: id } })
            await launch(record)
          } catch (error) {
            const failure =
              error instanceof ChildStartError
                ? error
                : new ChildStartError(`child ${JSON.stringify(record.spec.id)} of supervisor ${JSON.stringify(id)} failed to start: ${toError(error).message}`, {
                    cause: error,
                    context: { supervisorId: id, childId: record.spec.id },
                  })
            const stopRequested = state !== 'starting'
            state = 'stopping'
            await stopAllChildren()
            // A stop() that arrived meanwhile finishes with its own reason once its turn comes.
            if (!stopRequested) finish({ reason: 'start_failed', error: failure })
            throw failure
          }
        }
        state = 'running'
        emit(Events.SUPERVISOR_STARTED, { strategy, children: children.map((c) => c.spec.id) })
      })
      return startPromise
    },
    stop(reason) {
      if (stopPromise) return stopPromise
      const exit: SupervisorExit = reason === undefined ? { reason: 'normal' } : { reason: 'shutdown', cause: reason }
      if (state === 'idle' || state === 'stopped') {
        finish(exit)
        stopPromise = Promise.resolve()
        return stopPromise
      }
      state = 'stopping'
      clearBackoffTimers()
      stopPromise = queue.run(async () => {
        await stopAllChildren()
        finish(exit)
      })
      return stopPromise
    },
    startChild(spec) {
      const notRunning = () =>
        new ChildStartError(`supervisor ${JSON.stringify(id)} is ${state}: cannot start child ${JSON.stringify(spec.id)}`, {
          context: { supervisorId: id, childId: spec.id, state },
        })
      // Refuse at once when stopping: waiting in the queue behind the shutdown would only delay the same answer.
      if (state === 'stopping' || state === 'stopped') return Promise.reject(notRunning())
      return queue.run(async () => {
        if (state !== 'running') throw notRunning()
        const record = addRecord(normalizeChildSpec(spec, id))
        try {
          await launch(record)
        } catch (error) {
          removeRecord(record)
          throw error
        }
        return record.current!.ref
      })
    },
    terminateChild(childId) {
      return queue.run(async () => {
        const record = find(childId)
        if (!record) throw new ActorNotFoundError(childId, { supervisorId: id })
        record.status = 'stopped' // cancels a pending backoff restart of it
        await stopChild(record, 'terminate')
        removeRecord(record)
      })
    },
    restartChild(childId) {
      if (state === 'stopping' || state === 'stopped') {
        return Promise.reject(new ChildStartError(`supervisor ${JSON.stringify(id)} is ${state}: cannot restart child ${JSON.stringify(childId)}`, { context: { supervisorId: id, childId, state } }))
      }
      return queue.run(async () => {
        if (state !== 'running') throw new ChildStartError(`supervisor ${JSON.stringify(id)} is ${state}: cannot restart child ${JSON.stringify(childId)}`, { context: { supervisorId: id, childId, state } })
        const record = find(childId)
        if (!record) throw new ActorNotFoundError(childId, { supervisorId: id })
        await stopChild(record, 'restart')
        record.status = 'stopped'
        record.restarts++
        await launch(record)
        emit(Events.CHILD_RESTARTED, { childId, restarts: record.restarts, strategy, cause: 'restartChild' })
      })
    },
    whichChildren() {
      return children.map((c) => {
        const info: ChildInfo = { id: c.spec.id, status: c.status, restarts: c.restarts, type: c.spec.type }
        if (c.current) info.ref = c.current.ref
        if (c.spec.name) info.name = c.spec.name
        return info
      })
    },
    getChild: (childId) => find(childId)?.current?.ref,
    onExit(listener) {
      if (finalExit) {
        const exit = finalExit
        queueMicrotask(() => {
          try {
            listener(exit)
          } catch {
            // isolated, as above
          }
        })
        return () => undefined
      }
      exitListeners.add(listener)
      return () => void exitListeners.delete(listener)
    },
  }
  setKiller(supervisor, kill)
  return supervisor
}
