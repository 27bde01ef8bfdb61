// Troupe's public API. Internal machinery (the manager's parts, the kafkajs adapter's pieces) stays
// behind these exports.

// errors and instrumentation
export * from './errors.js'
export { Events } from './instrumentation/events.js'
export type { EventName } from './instrumentation/events.js'
export { createInstrumentation, silentInstrumentation } from './instrumentation/instrumentation.js'
export type { Instrumentation, InstrumentationEvent, Listener } from './instrumentation/instrumentation.js'

// time
export { systemClock, sleep } from './time/clock.js'
export type { Clock, TimerHandle } from './time/clock.js'
export { createManualClock } from './time/manual-clock.js'
export type { ManualClock } from './time/manual-clock.js'
export { toMs } from './time/duration.js'
export type { Duration } from './time/duration.js'

// actor runtime and supervision
export * from './actor/index.js'

// kafka
export { createKafkaClient, parseBrokers } from './kafka/kafkajs/index.js'
export type { KafkaJsClientOptions } from './kafka/kafkajs/index.js'
export type * from './kafka/client.js'

// consumer groups
export { createGroup } from './group/group.js'
export type { Group, GroupEnvironment } from './group/group.js'
export { ack, ackUpTo, noAck, continueWith } from './group/handler.js'
export type { MessageHandler, HandlerResult, HandlerContext, PartitionContext, Message } from './group/handler.js'
export type { GroupConfig, ConsumerConfig } from './group/config.js'
export type { AckRequest, AckOutcome } from './group/acks.js'
export type { PartitionInfo } from './group/manager.js'

// runner
export { createRunner } from './runner/runner.js'
export type { Runner, RunnerOptions, RunnerExit } from './runner/runner.js'

// recurring tasks
export * from './recurring/index.js'

// scheduled messages
export * from './scheduled/index.js'
