import { InvalidEnvelopeError } from '../../../lib/errors.js'
import { createInstrumentation, type InstrumentationEvent } from '../../../lib/instrumentation/instrumentation.js'
import type { OutgoingMessage } from '../../../lib/kafka/client.js'
import { buildCancelMessage, buildScheduleMessage } from '../../../lib/scheduled/messages.js'
import { createPartitionDispatcher } from '../../../lib/scheduled/partition-dispatcher.js'
import type { PartitionStatus } from '../../../lib/scheduled/partition-status.js'
import { resolveDispatcherSettings, type DispatcherTuning } from '../../../lib/scheduled/settings.js'
import { createManualClock, type ManualClock } from '../../../lib/time/manual-clock.js'
import { createLog, recordingProducer, text } from './support.js'

/**
 * One partition dispatcher over an in-memory proxy log, a recording producer and a manual clock.
 * `feed()` plays the consumer: it hands over what was appended since the last feed (or since the
 * last seek); `echo()` plays the broker: tombstones the dispatcher wrote appear in its own log.
 */
export function createHarness(options: { startAt?: number; partition?: number; tuning?: DispatcherTuning; log?: ReturnType<typeof createLog>; clock?: ManualClock } = {}) {
  const clock = options.clock ?? createManualClock(options.startAt)
  const partition = options.partition ?? 0
  const log = options.log ?? createLog('proxy', partition)
  const producer = recordingProducer()
  const events: InstrumentationEvent[] = []
  const instrumentation = createInstrumentation(clock.now)
  instrumentation.on('*', (e) => void events.push(e))
  const statuses: PartitionStatus[] = []
  const seeks: number[] = []
  let fedUpTo = 0
  let seeksSeen = 0
  let echoed = 0
  const settings = resolveDispatcherSettings({ lookahead: '5m', reloadSpread: '1m', retryMin: '1s', ...options.tuning })
  const dispatcher = createPartitionDispatcher({
    proxyTopic: 'proxy', partition, producer, clock, instrumentation, settings,
    watermarks: log.watermarks,
    seek: (offset) => void seeks.push(offset),
    publishStatus: (s) => void statuses.push(s),
  })

  const h = {
    clock, log, producer, events, statuses, seeks, dispatcher,
    schedule(id: string, due: number, value = id) {
      const built = buildScheduleMessage({ id, targetTopic: 'out', at: due, value }, clock.now(), settings.limits)
      return log.append(built.message, clock.now()).offset
    },
    cancel: (id: string) => log.append(buildCancelMessage(id), clock.now()).offset,
    raw: (message: OutgoingMessage) => log.append(message, clock.now()).offset,
    /** Delivers everything not yet handed to the dispatcher (restarting at the last seek). */
    feed(upTo = log.records.length) {
      if (seeks.length > seeksSeen) {
        fedUpTo = seeks[seeks.length - 1]!
        seeksSeen = seeks.length
      }
      if (upTo <= fedUpTo) return
      dispatcher.onBatch({ topic: 'proxy', partition, messages: log.records.slice(fedUpTo, upTo), highWatermark: log.records.length })
      fedUpTo = upTo
    },
    /** The tombstones the dispatcher produced land in its partition, as on a real broker. */
    echo() {
      const written = producer.sent.filter((s) => s.topic === 'proxy')
      for (const s of written.slice(echoed)) log.append(s.message, clock.now())
      echoed = written.length
    },
    delivered: () => producer.sent.filter((s) => s.topic === 'out').map((s) => text(s.message.value)),
    named: (name: string) => events.filter((e) => e.name === name),
    rejectedErrors: () => events.filter((e) => e.name === 'scheduled.envelope_rejected').map((e) => e.payload.error as InvalidEnvelopeError),
    settle: () => clock.advance(0),
  }
  return h
}
