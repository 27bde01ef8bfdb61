/**
 * The one registry of instrumentation event names. Every lifecycle transition in Troupe is published
 * under one of these names on an Instrumentation bus (see ./instrumentation.ts); docs/reference/events.md
 * documents each payload. Names are `subsystem.event`, stable across releases.
 */
export const Events = {
  // actor runtime / supervision
  CHILD_STARTED: 'supervisor.child_started',
  CHILD_EXITED: 'supervisor.child_exited',
  CHILD_RESTARTED: 'supervisor.child_restarted',
  CHILD_START_FAILED: 'supervisor.child_start_failed',
  CHILD_TERMINATED: 'supervisor.child_terminated',
  INTENSITY_EXCEEDED: 'supervisor.intensity_exceeded',
  SHUTDOWN_TIMEOUT: 'supervisor.shutdown_timeout',
  SUPERVISOR_STARTED: 'supervisor.started',
  SUPERVISOR_STOPPED: 'supervisor.stopped',
  MAILBOX_OVERFLOW: 'actor.mailbox_overflow',

  // consumer groups
  GROUP_JOINED: 'group.joined',
  GROUP_REBALANCING: 'group.rebalancing',
  PARTITIONS_ASSIGNED: 'group.partitions_assigned',
  PARTITIONS_REVOKED: 'group.partitions_revoked',
  PARTITION_PAUSED: 'group.partition_paused',
  PARTITION_RESUMED: 'group.partition_resumed',
  BATCH_HANDLED: 'group.batch_handled',
  ACKED: 'group.acked',
  ACK_REJECTED: 'group.ack_rejected',
  COMMITTED: 'group.committed',
  COMMIT_FAILED: 'group.commit_failed',
  WORKER_CRASHED: 'group.worker_crashed',
  WORKER_RESTARTED: 'group.worker_restarted',
  PARTITION_STOPPED: 'group.partition_stopped',
  DEAD_LETTERED: 'group.dead_lettered',
  CONSUMER_CRASHED: 'group.consumer_crashed',

  // recurring tasks
  SCHEDULE_REPLAYED: 'recurring.schedule_replayed',
  SCHEDULE_INCOMPATIBLE: 'recurring.schedule_incompatible',
  SCHEDULE_SNAPSHOT: 'recurring.schedule_snapshot',
  TASK_STARTED: 'recurring.task_started',
  TASK_FINISHED: 'recurring.task_finished',
  TASK_FAILED: 'recurring.task_failed',
  COMMAND_APPLIED: 'recurring.command_applied',
  COMMAND_REJECTED: 'recurring.command_rejected',

  // scheduled messages
  DISPATCHER_LOADING: 'scheduled.loading',
  DISPATCHER_LOADED: 'scheduled.loaded',
  MESSAGE_DISPATCHED: 'scheduled.dispatched',
  MESSAGE_CANCELLED: 'scheduled.cancelled',
  ENVELOPE_REJECTED: 'scheduled.envelope_rejected',
  DAY_ROLLED_OVER: 'scheduled.day_rolled_over',
  DISPATCH_FAILED: 'scheduled.dispatch_failed',

  // runner
  RUNNER_STARTED: 'runner.started',
  RUNNER_STOPPING: 'runner.stopping',
  RUNNER_STOPPED: 'runner.stopped',
  RUNNER_FORCED_STOP: 'runner.forced_stop',
  ERROR: 'error.occurred',
} as const

export type EventName = (typeof Events)[keyof typeof Events]
