import { createActor } from 'xstate'
import type { AnyActorRef } from 'xstate'
import { InvalidAckError, StaleGenerationError, toError } from '../errors.js'
import type { TroupeError } from '../errors.js'
import { Events } from '../instrumentation/events.js'
import type { Instrumentation } from '../instrumentation/instrumentation.js'
import type { Assignment, FetchedBatch, GroupConsumer, KafkaClient, Producer, TopicPartition } from '../kafka/client.js'
import type { Clock } from '../time/clock.js'
import type { GroupConfig, ResolvedConsumerConfig } from './config.js'
import type { HandlerResult, Message } from './handler.js'
import { acceptFetched, committable, createPartitionState, partitionKey, restartDelay } from './partition-state.js'
import type { PartitionState } from './partition-state.js'
import { partitionWorker } from './worker.js'
import type { WorkerReport } from './worker.js'
import { handleRepeatedFailure } from './repeated-failure.js'

export interface AckRequest {
  topic: string
  partition: number
  generationId: number
  offset: number
}

export type AckOutcome = { accepted: true } | { accepted: false; error: TroupeError }

export interface PartitionInfo {
  topic: string
  partition: number
  generationId: number
  status: PartitionState['status']
  commitPoint: number | undefined
  lastCommitted: number
  buffered: number
  paused: boolean
  restarts: number
}

export interface GroupManagerDeps {
  config: GroupConfig<any, any>
  resolved: ResolvedConsumerConfig
  client: KafkaClient
  producer: Producer
  clock: Clock
  instrumentation: Instrumentation
}

/**
 * The group manager (after Elsa.Group.Manager): owns the member's consumer, starts one worker per
 * assigned partition, routes fetched batches to them under back-pressure, keeps ack bookkeeping,
 * commits the acked prefix, drains on revocation, and restarts crashed workers at the last ack.
 */
export function createGroupManager(deps: GroupManagerDeps) {
  const { config, resolved, client, producer, clock, instrumentation: events } = deps
  const name = config.name ?? config.groupId
  const partitions = new Map<string, PartitionState>()
  let generationId = 0
  let consumer: GroupConsumer | undefined
  let commitTimer: unknown
  let committing: Promise<void> = Promise.resolve()
  let stopping = false
  let fatal: ((error: Error) => void) | undefined

  const emit = (event: (typeof Events)[keyof typeof Events], payload: Record<string, unknown> = {}) =>
    events.emit(event, { group: name, groupId: config.groupId, ...payload })

  // ---- commits ---------------------------------------------------------------------------------

  /** Commits every partition's acked prefix that moved; serialised so commits never reorder. */
  const commit = (only?: Iterable<PartitionState>): Promise<void> => {
    committing = committing.then(async () => {
      if (!consumer) return
      const due = [...(only ?? partitions.values())]
        .map((ps) => ({ ps, offset: committable(ps) }))
        .filter((d): d is { ps: PartitionState; offset: number } => d.offset !== undefined)
      if (due.length === 0) return
      const offsets = due.map(({ ps, offset }) => ({ ...ps.tp, offset }))
      try {
        await consumer.commit(offsets)
        for (const { ps, offset } of due) ps.lastCommitted = offset
        emit(Events.COMMITTED, { offsets })
      } catch (error) {
        emit(Events.COMMIT_FAILED, { offsets, error })
      }
    })
    return committing
  }

  const scheduleCommits = () => {
    commitTimer = clock.setTimeout(() => {
      if (stopping) return
      void commit().finally(scheduleCommits)
    }, resolved.commitInterval)
  }

  // ---- delivery and flow control ----------------------------------------------------------------

  const updateFlow = (ps: PartitionState) => {
    if (!consumer || ps.status === 'stopped') return
    const full = ps.buffer.isFull()
    if (full && !ps.paused) {
      ps.paused = true
      consumer.pause([ps.tp])
      emit(Events.PARTITION_PAUSED, { ...ps.tp, buffered: ps.buffer.count, bytes: ps.buffer.bytes })
    } else if (!full && ps.paused) {
      ps.paused = false
      consumer.resume([ps.tp])
      emit(Events.PARTITION_RESUMED, { ...ps.tp })
    }
  }

  const pump = (ps: PartitionState) => {
    while (ps.status === 'running' && ps.workerReady && ps.worker && ps.buffer.queued > 0 && ps.tracker) {
      const batch = ps.buffer.take(ps.failure ? 1 : resolved.maxBatchSize)
      // Messages acked before a worker restart are done: record them, don't hand them out again.
      const done = batch.filter((m) => ps.tracker?.isAckedAhead(m.offset))
      ps.tracker.delivered(batch.map((m) => m.offset))
      if (done.length > 0) ps.buffer.release(done.map((m) => m.offset))
      const todo = done.length === 0 ? batch : batch.filter((m) => !done.includes(m))
      if (todo.length === 0) continue
      ps.workerReady = false
      ps.inFlight = todo
      ps.worker.send({ type: 'deliver', messages: todo, highWatermark: ps.highWatermark })
    }
    updateFlow(ps)
  }

  const applyResult = (ps: PartitionState, messages: Message[], result: HandlerResult<unknown>) => {
    const tracker = ps.tracker
    if (!tracker) return
    const offsets = messages.map((m) => m.offset)
    switch (result.action) {
      case 'ack':
        tracker.ackOffsets(offsets)
        ps.buffer.release(offsets)
        break
      case 'ack_up_to': {
        const done = offsets.filter((o) => o <= result.offset)
        tracker.ackOffsets(done)
        ps.buffer.release(done)
        break
      }
      case 'continue':
        ps.buffer.release(offsets)
        break
      case 'no_ack':
        break
    }
    if (ps.failure && (offsets[offsets.length - 1] ?? -1) >= ps.failure.until) ps.failure = undefined
    emit(Events.BATCH_HANDLED, { ...ps.tp, count: messages.length, action: result.action, lastOffset: offsets[offsets.length - 1] })
  }

  // ---- workers -----------------------------------------------------------------------------------

  const startWorker = (ps: PartitionState) => {
    const worker: AnyActorRef = createActor(partitionWorker, {
      clock,
      input: {
        handler: config.handler,
        initArgs: config.handlerInitArgs,
        context: { ...ps.tp, groupId: config.groupId, generationId: ps.generationId, producer },
        ack: (offset: number) => void ack({ ...ps.tp, generationId: ps.generationId, offset }),
        report: (report: WorkerReport) => {
          if (ps.worker !== worker) return
          if (report.type === 'handled') applyResult(ps, report.messages, report.result)
          ps.workerReady = true
          ps.inFlight = []
          pump(ps)
        },
      },
    })
    ps.worker = worker
    ps.workerReady = false
    const sub = worker.subscribe({
      next: (snapshot) => {
        if (snapshot.status === 'done') {
          sub.unsubscribe()
          if (ps.worker === worker) ps.worker = undefined
          ps.onDrained?.()
        }
      },
      error: (error) => {
        sub.unsubscribe()
        if (ps.worker === worker) onWorkerCrash(ps, toError(error))
      },
    })
    worker.start()
  }

  const onWorkerCrash = (ps: PartitionState, error: Error) => {
    ps.worker = undefined
    ps.workerReady = false
    if (ps.status !== 'running') return ps.onDrained?.()
    const tracker = ps.tracker
    const offset = ps.inFlight[0]?.offset ?? tracker?.commitPoint() ?? -1
    const last = ps.inFlight[ps.inFlight.length - 1]?.offset ?? offset
    const attempts = ps.failure?.offset === offset ? ps.failure.attempts + 1 : 1
    ps.failure = { offset, attempts, until: Math.max(last, ps.failure?.until ?? -1) }
    emit(Events.WORKER_CRASHED, { ...ps.tp, offset, attempts, error })
    const failed = ps.inFlight
    ps.inFlight = []
    void (async () => {
      if (attempts >= resolved.onRepeatedFailure.maxAttempts) {
        const outcome = await handleRepeatedFailure({ ps, failed, error, resolved, producer, emit, consumer })
        if (outcome === 'stopped') return
      }
      restartFromLastAck(ps, attempts)
    })()
  }

  /** Refetches from the first unacked offset and starts a fresh worker after a backoff. */
  const restartFromLastAck = (ps: PartitionState, attempts: number) => {
    if (ps.status !== 'running' || !consumer) return
    ps.status = 'restarting'
    ps.buffer.clear()
    const from = ps.tracker?.commitPoint()
    ps.tracker?.rewind()
    if (from !== undefined) {
      ps.expectedNext = from
      consumer.seek({ ...ps.tp, offset: from })
    }
    updateFlow(ps)
    const delay = restartDelay(attempts, resolved.restartBackoff)
    ps.restartTimer = clock.setTimeout(() => {
      ps.restartTimer = undefined
      if (ps.status !== 'restarting') return
      ps.status = 'running'
      ps.restarts += 1
      startWorker(ps)
      emit(Events.WORKER_RESTARTED, { ...ps.tp, from, attempts, delay, restarts: ps.restarts })
    }, delay)
  }

  /** Asks one partition's worker to finish its batch and stop; resolves when it has (or at timeout). */
  const drain = (ps: PartitionState, timeoutMs: number): Promise<void> => {
    if (ps.restartTimer !== undefined) clock.clearTimeout(ps.restartTimer)
    ps.restartTimer = undefined
    if (!ps.worker) return Promise.resolve()
    ps.drained ??= new Promise<void>((resolve) => {
      const timer = clock.setTimeout(() => {
        ps.worker?.stop()
        ps.worker = undefined
        resolve()
      }, timeoutMs)
      ps.onDrained = () => {
        clock.clearTimeout(timer)
        resolve()
      }
      ps.worker?.send({ type: 'troupe.shutdown' })
    })
    return ps.drained
  }

  // ---- group membership --------------------------------------------------------------------------

  const onRevoking = (tps: TopicPartition[]) => {
    const revoking = [...partitions.values()].filter((ps) => ps.status !== 'revoking')
    if (revoking.length === 0) return
    for (const ps of revoking) ps.status = 'revoking'
    emit(Events.PARTITIONS_REVOKED, { partitions: tps, generationId })
    // Commit what is acked right away (the old generation can still commit while the group prepares
    // the rebalance), then again as each worker finishes its batch.
    void commit(revoking)
    for (const ps of revoking) void drain(ps, resolved.rebalanceTimeout).then(() => commit([ps]))
  }

  const onAssigned = (assignment: Assignment) => {
    for (const ps of partitions.values()) {
      // A partition still draining from the last generation: its unacked work is redelivered.
      ps.status = 'stopped'
      ps.worker?.stop()
      if (ps.restartTimer !== undefined) clock.clearTimeout(ps.restartTimer)
    }
    partitions.clear()
    generationId = assignment.generationId
    const positioning = resolved.beginOffset !== resolved.offsetResetPolicy
    for (const tp of assignment.partitions) {
      const ps = createPartitionState(tp, generationId, resolved)
      // Held back until partitions without a committed offset are moved to beginOffset.
      if (positioning) ps.status = 'restarting'
      partitions.set(ps.key, ps)
      startWorker(ps)
    }
    emit(Events.PARTITIONS_ASSIGNED, { generationId, memberId: assignment.memberId, partitions: assignment.partitions })
  }

  const onBatch = (batch: FetchedBatch) => {
    const ps = partitions.get(partitionKey(batch))
    if (!ps || ps.status === 'revoking' || ps.status === 'stopped') return
    ps.highWatermark = batch.highWatermark
    const fresh = acceptFetched(ps, batch.messages)
    if (fresh.length === 0) return
    ps.buffer.push(fresh)
    pump(ps)
  }

  // ---- acks from outside -------------------------------------------------------------------------

  const reject = (error: TroupeError): AckOutcome => {
    emit(Events.ACK_REJECTED, { ...error.context, error })
    return { accepted: false, error }
  }

  function ack(request: AckRequest): AckOutcome {
    const ps = partitions.get(partitionKey(request))
    const context = { ...request, currentGenerationId: generationId }
    if (!ps || ps.status === 'stopped') return reject(new InvalidAckError('ack for a partition this member does not own', context))
    if (request.generationId !== ps.generationId) return reject(new StaleGenerationError(context))
    if (!ps.tracker || !Number.isSafeInteger(request.offset) || !ps.tracker.ackThrough(request.offset)) {
      return reject(new InvalidAckError('ack for an offset that was never delivered', context))
    }
    ps.buffer.releaseThrough(request.offset)
    emit(Events.ACKED, { ...request })
    pump(ps)
    return { accepted: true }
  }

  // ---- lifecycle ---------------------------------------------------------------------------------

  return {
    name,
    ack,
    /** Runs until `shutdown` aborts (graceful) or the consumer fails for good (rejects). */
    async run(shutdown: AbortSignal): Promise<void> {
      consumer = client.groupConsumer({
        groupId: config.groupId,
        topics: config.topics,
        beginOffset: resolved.offsetResetPolicy,
        sessionTimeout: resolved.sessionTimeout,
        rebalanceTimeout: resolved.rebalanceTimeout,
        heartbeatInterval: resolved.heartbeatInterval,
        minBytes: resolved.minBytes,
        maxBytes: resolved.maxBytes,
        maxBytesPerPartition: resolved.maxBytes,
        maxWaitTime: resolved.maxWaitTime,
        instrumentation: events,
      })
      const failed = new Promise<never>((_, reject) => (fatal = reject))
      await consumer.start({
        onBatch,
        onAssigned: (a) => {
          onAssigned(a)
          if (resolved.beginOffset !== resolved.offsetResetPolicy) {
            positionWithoutCommit(a).catch((error) => emit(Events.ERROR, { error, type: 'group.position' }))
          }
        },
        onRevoking,
        onCrash: (error) => {
          emit(Events.CONSUMER_CRASHED, { error })
          fatal?.(error)
        },
      })
      scheduleCommits()
      const stopped = new Promise<void>((resolve) => {
        if (shutdown.aborted) resolve()
        shutdown.addEventListener('abort', () => resolve(), { once: true })
      })
      try {
        await Promise.race([stopped, failed])
      } finally {
        await this.stop()
      }
    },

    /** Drains every worker (in parallel, within the rebalance timeout), commits, leaves the group. */
    async stop(): Promise<void> {
      if (stopping) return
      stopping = true
      if (commitTimer !== undefined) clock.clearTimeout(commitTimer)
      const all = [...partitions.values()]
      for (const ps of all) if (ps.status === 'running' || ps.status === 'restarting') ps.status = 'revoking'
      await Promise.all(all.map((ps) => drain(ps, resolved.rebalanceTimeout)))
      await commit(all)
      for (const ps of all) ps.status = 'stopped'
      await consumer?.stop()
    },

    assignments(): PartitionInfo[] {
      return [...partitions.values()].map((ps) => ({
        ...ps.tp,
        generationId: ps.generationId,
        status: ps.status,
        commitPoint: ps.tracker?.commitPoint(),
        lastCommitted: ps.lastCommitted,
        buffered: ps.buffer.count,
        paused: ps.paused,
        restarts: ps.restarts,
      }))
    },
  }

  /**
   * kafkajs uses one setting for "no committed offset" and "offset out of range". When beginOffset and
   * offsetResetPolicy differ, the consumer follows the reset policy and partitions without a committed
   * offset are moved to beginOffset here, before their workers get anything.
   */
  async function positionWithoutCommit(assignment: Assignment) {
    const admin = client.admin()
    for (const topic of new Set(assignment.partitions.map((p) => p.topic))) {
      const committed = await admin.fetchCommittedOffsets(config.groupId, topic)
      const watermarks = await admin.fetchTopicOffsets(topic)
      for (const tp of assignment.partitions.filter((p) => p.topic === topic)) {
        const ps = partitions.get(partitionKey(tp))
        if (!ps || ps.generationId !== assignment.generationId || ps.status !== 'restarting') continue
        const w = watermarks.find((o) => o.partition === tp.partition)
        if ((committed.find((c) => c.partition === tp.partition)?.offset ?? -1) < 0 && w) {
          const offset = resolved.beginOffset === 'earliest' ? w.low : w.high
          ps.buffer.clear()
          ps.tracker = undefined
          ps.expectedNext = offset
          consumer?.seek({ ...tp, offset })
        }
        ps.status = 'running'
        pump(ps)
      }
    }
  }
}

export type GroupManager = ReturnType<typeof createGroupManager>
