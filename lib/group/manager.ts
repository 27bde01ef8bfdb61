import type { Supervisor } from '../actor/supervisor.js'
import { GroupError, InvalidAckError, StaleGenerationError } from '../errors.js'
import type { TroupeError } from '../errors.js'
import { Events } from '../instrumentation/events.js'
import type { Instrumentation } from '../instrumentation/instrumentation.js'
import type { Assignment, FetchedBatch, KafkaClient, Producer, TopicPartition } from '../kafka/client.js'
import { within } from '../time/clock.js'
import type { Clock } from '../time/clock.js'
import type { AckOutcome, AckRequest } from './acks.js'
import { createCommitter } from './committer.js'
import type { GroupConfig, ResolvedConsumerConfig } from './config.js'
import { createDelivery } from './delivery.js'
import type { ManagerContext } from './manager-context.js'
import { acceptFetched, createPartitionState, partitionKey, windowCount } from './partition-state.js'
import type { PartitionState } from './partition-state.js'
import { createWorkerHost } from './worker-host.js'

export type { AckOutcome, AckRequest } from './acks.js'

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
  workers: Supervisor
  clock: Clock
  instrumentation: Instrumentation
}

/**
 * The group manager (after Elsa.Group.Manager) for one member incarnation: joins the group, starts one
 * worker per assigned partition at the committed offset, routes fetched batches to them, keeps the ack
 * bookkeeping, commits the acked prefix, drains and commits on revocation and shutdown, and fences
 * acks by generation.
 */
export function createGroupManager(deps: GroupManagerDeps) {
  const { config, resolved, client } = deps
  const name = config.name ?? config.groupId
  const ctx: ManagerContext = {
    config,
    resolved,
    clock: deps.clock,
    producer: deps.producer,
    workers: deps.workers,
    partitions: new Map(),
    consumer: undefined,
    emit: (event, payload = {}) => deps.instrumentation.emit(event, { group: name, groupId: config.groupId, ...payload }),
  }
  const { partitions, emit } = ctx
  const committer = createCommitter(ctx)
  const delivery = createDelivery(ctx)
  const host = createWorkerHost(ctx, delivery, ack)
  let generationId = 0
  let stopping: Promise<void> | undefined
  // Settles when the workers of the last revoked or replaced generation have stopped.
  let previousWorkers: Promise<unknown> = Promise.resolve()

  // ---- membership ----------------------------------------------------------------------------------

  function onRevoking(tps: TopicPartition[]) {
    const revoking = [...partitions.values()].filter((ps) => ps.status !== 'revoking' && ps.status !== 'stopped')
    if (revoking.length === 0) return
    for (const ps of revoking) ps.status = 'revoking'
    emit(Events.PARTITIONS_REVOKED, { partitions: tps, generationId })
    // Commit what is acked now: the old generation may still commit while the group prepares the
    // rebalance (kafkajs is already re-joining). Then let the workers finish their batches and commit
    // again, but only if no new assignment came first: after it, the partition may be another
    // member's, and a late commit could move its offset back. What was not committed is redelivered.
    const revokedIn = generationId
    void committer.commit(revoking)
    previousWorkers = host.drainAll(revoking, resolved.rebalanceTimeout, 'revoked').then(() => {
      if (generationId === revokedIn) return committer.commit(revoking)
    })
  }

  function onAssigned(assignment: Assignment) {
    // Workers of the previous generation still running (no revocation was seen, or they are still
    // draining) must stop before new ones start: one partition never has two handlers at once.
    const stale = [...partitions.values()]
    for (const ps of stale) ps.status = 'stopped'
    const previous = Promise.all([previousWorkers, ...stale.map((ps) => host.discard(ps))])
    partitions.clear()
    generationId = assignment.generationId
    const positioning = resolved.beginOffset !== resolved.offsetResetPolicy
    const fresh: PartitionState[] = []
    for (const tp of assignment.partitions) {
      const ps = createPartitionState(tp, generationId)
      // Held back until partitions without a committed offset are moved to beginOffset.
      if (positioning) ps.status = 'restarting'
      partitions.set(ps.key, ps)
      fresh.push(ps)
    }
    emit(Events.PARTITIONS_ASSIGNED, { generationId, memberId: assignment.memberId, partitions: assignment.partitions })
    previousWorkers = previous.then(() => {
      for (const ps of fresh) if (partitions.get(ps.key) === ps && ps.status !== 'stopped') host.start(ps)
    })
    if (positioning) positionWithoutCommit(assignment).catch((error) => emit(Events.ERROR, { error, type: 'group.position' }))
  }

  function onBatch(batch: FetchedBatch) {
    const ps = partitions.get(partitionKey(batch))
    if (!ps || ps.status === 'revoking' || ps.status === 'stopped') return
    ps.highWatermark = batch.highWatermark
    const fresh = acceptFetched(ps, batch.messages)
    if (fresh.length === 0) return
    ps.buffer.push(fresh)
    delivery.pump(ps)
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
          ctx.consumer?.seek({ ...tp, offset })
        }
        ps.status = 'running'
        delivery.pump(ps)
      }
    }
  }

  // ---- acks from outside ------------------------------------------------------------------------

  function reject(error: TroupeError): AckOutcome {
    emit(Events.ACK_REJECTED, { ...error.context, error })
    return { accepted: false, error }
  }

  function ack(request: AckRequest): AckOutcome {
    const ps = partitions.get(partitionKey(request))
    const context = { ...request, currentGenerationId: generationId }
    // A generation that is over is stale whether or not the partition stayed with this member.
    if (request.generationId !== generationId) return reject(new StaleGenerationError(context))
    if (!ps || ps.status === 'stopped') return reject(new InvalidAckError('ack for a partition this member does not own', context))
    if (!ps.tracker || !Number.isSafeInteger(request.offset) || !ps.tracker.ackThrough(request.offset)) {
      return reject(new InvalidAckError('ack for an offset that was never delivered', context))
    }
    emit(Events.ACKED, { ...request })
    delivery.pump(ps)
    return { accepted: true }
  }

  // ---- lifecycle ---------------------------------------------------------------------------------

  /** Drains every worker (in parallel, within the rebalance timeout), commits, leaves the group. */
  function stop(): Promise<void> {
    return (stopping ??= (async () => {
      committer.stop()
      const all = [...partitions.values()]
      const live = all.filter((ps) => ps.status !== 'stopped')
      for (const ps of live) ps.status = 'revoking'
      await host.drainAll(live, resolved.rebalanceTimeout, 'shutdown')
      // Every owned partition, a stopped one too: what it acked before stopping is committable.
      await committer.commit(all)
      for (const ps of all) ps.status = 'stopped'
      // Leaving the group must not hang a shutdown (kafkajs can be stuck retrying a join): give it
      // the session timeout, after which the broker drops the member anyway.
      const left = await within(ctx.clock, resolved.sessionTimeout, ctx.consumer?.stop() ?? Promise.resolve()).catch((error) => {
        emit(Events.ERROR, { type: 'group.leave', error })
        return true
      })
      if (!left) emit(Events.ERROR, { type: 'group.leave', error: new GroupError('TROUPE_LEAVE_TIMEOUT', 'leaving the group timed out', { context: { timeoutMs: resolved.sessionTimeout } }) })
    })())
  }

  /** Runs until `shutdown` aborts (graceful) or the consumer fails for good (rejects). */
  async function run(shutdown: AbortSignal): Promise<void> {
    const consumer = client.groupConsumer({
      groupId: config.groupId,
      topics: config.topics,
      beginOffset: resolved.offsetResetPolicy,
      sessionTimeout: resolved.sessionTimeout,
      rebalanceTimeout: resolved.rebalanceTimeout,
      heartbeatInterval: resolved.heartbeatInterval,
      minBytes: resolved.minBytes,
      maxBytes: resolved.maxBytesPerFetch,
      maxBytesPerPartition: resolved.maxBytes,
      maxWaitTime: resolved.maxWaitTime,
      instrumentation: deps.instrumentation,
    })
    ctx.consumer = consumer
    let fail: (error: Error) => void = () => undefined
    const failed = new Promise<never>((_, reject) => (fail = reject))
    const stopped = new Promise<void>((resolve) => {
      if (shutdown.aborted) resolve()
      shutdown.addEventListener('abort', () => resolve(), { once: true })
    })
    try {
      await consumer.start({
        onBatch,
        onAssigned,
        onRevoking,
        onCrash: (error) => {
          emit(Events.CONSUMER_CRASHED, { error })
          fail(error)
        },
      })
      committer.start()
      await Promise.race([stopped, failed])
    } finally {
      await stop()
    }
  }

  function assignments(): PartitionInfo[] {
    return [...partitions.values()].map((ps) => ({
      ...ps.tp,
      generationId: ps.generationId,
      status: ps.status,
      commitPoint: ps.tracker?.commitPoint(),
      lastCommitted: ps.lastCommitted,
      buffered: windowCount(ps),
      paused: ps.paused,
      restarts: ps.restarts,
    }))
  }

  return { name, ack, run, stop, assignments }
}

export type GroupManager = ReturnType<typeof createGroupManager>
