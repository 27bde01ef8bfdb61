import { Cron } from 'croner'
import { InvalidCronError } from '../errors.js'

/**
 * The slots of one cron expression, computed on demand from a given instant, never from the wall
 * clock: everything that asks "what is the next slot?" passes its own `now`, so an injected clock is
 * all tests need. Slots have one-second resolution (croner drops milliseconds).
 */
export interface CronSlots {
  readonly expression: string
  readonly timezone: string
  /** The first slot strictly after `epochMs`, or null when the expression has no more slots. */
  nextAfter(epochMs: number): number | null
}

/** Cron expressions run in UTC unless a task names an IANA timezone: the same schedule on every host. */
export const DEFAULT_TIMEZONE = 'UTC'

/**
 * Parses an expression (5 fields, or 6 with seconds first; croner's nicknames like '@hourly' work)
 * and fails with InvalidCronError at definition time, never at the first tick.
 */
export function createCronSlots(expression: string, timezone: string = DEFAULT_TIMEZONE, context: Record<string, unknown> = {}): CronSlots {
  const fail = (why: string, cause?: unknown) =>
    new InvalidCronError(`invalid cron ${JSON.stringify(expression)}${timezone === DEFAULT_TIMEZONE ? '' : ` (timezone ${timezone})`}: ${why}`, {
      ...context,
      cron: expression,
      timezone,
      ...(cause === undefined ? {} : { cause: String(cause) }),
    })

  if (typeof expression !== 'string' || expression.trim() === '') throw fail('expected a non-empty string')
  // croner reads any string with a ':' as a one-off ISO date, which is not a recurring schedule.
  if (expression.includes(':')) throw fail('looks like a date, not a cron expression')
  if (typeof timezone !== 'string' || timezone === '') throw fail('timezone must be an IANA name such as "Europe/Paris"')

  let cron: Cron
  try {
    cron = new Cron(expression, { paused: true, timezone })
    // Timezones are only checked when a date is computed; do it once now so a typo fails here.
    cron.nextRun(new Date(0))
  } catch (error) {
    throw fail(error instanceof Error ? error.message : String(error), error)
  }

  return {
    expression,
    timezone,
    nextAfter(epochMs) {
      const next = cron.nextRun(new Date(epochMs))
      return next === null ? null : next.getTime()
    },
  }
}
