import { monitor } from '../actor/monitor.js'
import { SHUTDOWN_EVENT } from '../actor/shutdown.js'
import { toError } from '../errors.js'
import { Events } from '../instrumentation/events.js'
import type { AckOutcome, AckRequest } from './acks.js'
import type { Delivery } from './delivery.js'
import type { ManagerContext } from './manager-context.js'
import { restartDelay } from './partition-state.js'
import type { PartitionState } from './partition-state.js'
import { handleRepeatedFailure } from './repeated-failure.js'
import { partitionWorker } from './worker.js'
import type { WorkerReport } from './worker.js'

/**
 * Runs partition workers as temporary children of the group's worker supervisor. The manager, not
 * the supervisor, restarts them, because a restart is more than a new actor: fetching must go back to
 * the last acked offset first (as Elsa restarts its workers at the last ack), after a backoff, and a
 * message that keeps failing must be isolated and handled by the repeated-failure policy.
 */
export function createWorkerHost(ctx: ManagerContext, delivery: Delivery, ack: (request: AckRequest) => AckOutcome) {
  let incarnations = 0

  function start(ps: PartitionState) {
    const id = `${ps.key}#${++incarnations}`
    ps.workerId = id
    ps.worker = undefined
    ps.deliver = undefined
    ps.workerReady = false
    const current = () => ps.workerId === id && ps.status !== 'stopped'
    const input = {
      handler: ctx.config.handler,
      initArgs: ctx.config.handlerInitArgs,
      context: { ...ps.tp, groupId: ctx.config.groupId, generationId: ps.generationId, producer: ctx.producer },
      ack: (offset: number) => void ack({ ...ps.tp, generationId: ps.generationId, offset }),
      report: (report: WorkerReport) => {
        if (!current()) return
        if (report.type === 'ready') ps.deliver = report.deliver
        if (report.type === 'handled') delivery.applyResult(ps, report.messages, report.result)
        ps.workerReady = true
        ps.inFlight = []
        delivery.pump(ps)
      },
    }
    ctx.workers
      .startChild({ id, start: { logic: partitionWorker, input }, restart: 'temporary', shutdown: ctx.resolved.rebalanceTimeout })
      .then(
        (ref) => {
          if (ps.workerId !== id) return
          ps.worker = ref
          monitor(ref, (exit) => {
            if (ps.workerId !== id) return
            ps.worker = undefined
            ps.deliver = undefined
            ps.workerReady = false
            if (exit.reason === 'error') crashed(ps, toError(exit.error))
          })
          delivery.pump(ps)
        },
        (error) => {
          if (ps.workerId === id) crashed(ps, toError(error))
        },
      )
  }

  function crashed(ps: PartitionState, error: Error) {
    if (ps.status !== 'running') return
    const offset = ps.inFlight[0]?.offset ?? ps.tracker?.commitPoint() ?? -1
    const last = ps.inFlight[ps.inFlight.length - 1]?.offset ?? offset
    const attempts = ps.failure?.offset === offset ? ps.failure.attempts + 1 : 1
    ps.failure = { offset, attempts, until: Math.max(last, ps.failure?.until ?? -1) }
    ctx.emit(Events.WORKER_CRASHED, { ...ps.tp, offset, attempts, error })
    const failed = ps.inFlight
    ps.inFlight = []
    void (async () => {
      // The policy applies to one message: a failing batch of several is first isolated (one message
      // at a time) so only the message that fails is dead-lettered. A worker that fails before any
      // message (init) has nothing to skip: its partition stops.
      if (attempts >= ctx.resolved.onRepeatedFailure.maxAttempts && failed.length <= 1) {
        const outcome = await handleRepeatedFailure({ ps, failed, error, resolved: ctx.resolved, producer: ctx.producer, emit: ctx.emit, consumer: ctx.consumer })
        if (outcome === 'stopped') return
      }
      restartFromLastAck(ps, attempts)
    })()
  }

  /** Refetches from the first unacked offset and starts a fresh worker after a backoff. */
  function restartFromLastAck(ps: PartitionState, attempts: number) {
    const consumer = ctx.consumer
    if (ps.status !== 'running' || !consumer) return
    ps.status = 'restarting'
    ps.buffer.clear()
    const from = ps.tracker?.commitPoint()
    ps.tracker?.rewind()
    if (from !== undefined) {
      ps.expectedNext = from
      consumer.seek({ ...ps.tp, offset: from })
    }
    delivery.updateFlow(ps)
    const delay = restartDelay(attempts, ctx.resolved.restartBackoff)
    ps.restartTimer = ctx.clock.setTimeout(() => {
      ps.restartTimer = undefined
      if (ps.status !== 'restarting') return
      ps.status = 'running'
      ps.restarts += 1
      start(ps)
      ctx.emit(Events.WORKER_RESTARTED, { ...ps.tp, from, attempts, delay, restarts: ps.restarts })
    }, delay)
  }

  /**
   * Asks every listed worker to finish its batch and stop, all at once, and waits for them within
   * `timeoutMs` overall; any still running then is stopped outright (its batch will be redelivered).
   */
  async function drainAll(list: PartitionState[], timeoutMs: number, reason: 'revoked' | 'shutdown'): Promise<void> {
    for (const ps of list) {
      if (ps.restartTimer !== undefined) ctx.clock.clearTimeout(ps.restartTimer)
      ps.restartTimer = undefined
      ps.worker?.send({ ...SHUTDOWN_EVENT, reason })
    }
    let timer: unknown
    const deadline = new Promise<void>((resolve) => (timer = ctx.clock.setTimeout(resolve, timeoutMs)))
    const ids = list.map((ps) => ps.workerId).filter((id): id is string => id !== undefined)
    // The supervisor sends the same request again (harmless) and enforces each worker's own timeout.
    const terminations = Promise.all(ids.map((id) => ctx.workers.terminateChild(id).catch(() => undefined)))
    await Promise.race([terminations, deadline])
    ctx.clock.clearTimeout(timer)
    for (const ps of list) {
      if (ps.worker?.getSnapshot().status === 'active') ps.worker.stop()
      ps.worker = undefined
    }
  }

  /**
   * Stops a worker whose generation is over (nothing it reports counts any more) and resolves when it
   * has stopped: a new worker for the same partition must not run its handler at the same time.
   */
  function discard(ps: PartitionState): Promise<void> {
    if (ps.restartTimer !== undefined) ctx.clock.clearTimeout(ps.restartTimer)
    ps.restartTimer = undefined
    const id = ps.workerId
    ps.workerId = undefined
    ps.worker?.send({ ...SHUTDOWN_EVENT, reason: 'revoked' })
    return id ? ctx.workers.terminateChild(id).catch(() => undefined) : Promise.resolve()
  }

  return { start, drainAll, discard }
}
