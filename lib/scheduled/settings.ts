import { ConfigError } from '../errors.js'
import { toMs, type Duration } from '../time/duration.js'
import type { LoadCompletion } from './load-tracker.js'
import type { DispatcherSettings } from './partition-dispatcher.js'
import { resolveLimits } from './validation.js'

/** Tuning of scheduled messages; every duration takes ms or an `ms` string. */
export interface DispatcherTuning {
  /** How far in the past a due time may be when scheduling. Default '1m'. */
  tolerance?: Duration
  /** How far ahead a due time may be. Default '366d'. */
  maxAhead?: Duration
  /** Messages due this long after midnight are kept in the previous day's buffer. Default '5m'. */
  lookahead?: Duration
  /** Partitions reload after midnight at a slot within this window (must not exceed lookahead). Default '1m'. */
  reloadSpread?: Duration
  /** Slack under the dispatched high-water mark when a reload skips what already went out. Default 0: the mark
   *  is exact because it is paired with the offset read when it was taken (see schedule-book.ts). */
  grace?: Duration
  /** Most messages sent in one produce round. Default 500. */
  maxBatch?: number
  /** Backoff after a failed send. Defaults '500ms' to '30s'. */
  retryMin?: Duration
  retryMax?: Duration
  /** Default 'watermark' (exact). See load-tracker.ts. */
  loadCompletion?: LoadCompletion
}

export function resolveDispatcherSettings(tuning: DispatcherTuning = {}): DispatcherSettings {
  const settings: DispatcherSettings = {
    limits: resolveLimits(tuning.tolerance, tuning.maxAhead),
    lookaheadMs: toMs(tuning.lookahead ?? '5m', { option: 'lookahead' }),
    reloadSpreadMs: toMs(tuning.reloadSpread ?? '1m', { option: 'reloadSpread' }),
    graceMs: toMs(tuning.grace ?? 0, { option: 'grace' }),
    maxBatch: tuning.maxBatch ?? 500,
    retryMinMs: toMs(tuning.retryMin ?? '500ms', { option: 'retryMin' }),
    retryMaxMs: toMs(tuning.retryMax ?? '30s', { option: 'retryMax' }),
    loadCompletion: tuning.loadCompletion ?? 'watermark',
  }
  if (settings.reloadSpreadMs > settings.lookaheadMs) {
    throw new ConfigError('reloadSpread must not exceed lookahead: messages due before a late reload slot would wait for it', {
      reloadSpread: tuning.reloadSpread, lookahead: tuning.lookahead,
    })
  }
  if (!Number.isSafeInteger(settings.maxBatch) || settings.maxBatch < 1) throw new ConfigError('maxBatch must be a positive integer', { maxBatch: tuning.maxBatch })
  if (settings.loadCompletion !== 'watermark' && settings.loadCompletion !== 'watermark-or-timestamp') {
    throw new ConfigError("loadCompletion must be 'watermark' or 'watermark-or-timestamp'", { loadCompletion: tuning.loadCompletion })
  }
  return settings
}
