import { ConfigError } from '../errors.js'

/**
 * Schedule versions are dotted non-negative integers ('1', '1.2', '2.10.0'). They are compared part by
 * part as numbers, so '1.10' is newer than '1.9' (a plain string comparison gets this wrong), and
 * missing parts count as zero ('1.2' equals '1.2.0').
 */
const VERSION = /^\d+(\.\d+)*$/

export function isScheduleVersion(value: unknown): value is string {
  return typeof value === 'string' && VERSION.test(value)
}

export function assertScheduleVersion(value: unknown): string {
  if (!isScheduleVersion(value)) {
    throw new ConfigError(`schedule version must be dotted numbers such as "1" or "1.2.0", got ${JSON.stringify(value)}`, { version: value })
  }
  return value
}

/** Negative when `a` is older than `b`, zero when equal, positive when newer. */
export function compareVersions(a: string, b: string): number {
  const left = assertScheduleVersion(a).split('.').map(Number)
  const right = assertScheduleVersion(b).split('.').map(Number)
  const length = Math.max(left.length, right.length)
  for (let i = 0; i < length; i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0)
    if (diff !== 0) return Math.sign(diff)
  }
  return 0
}
