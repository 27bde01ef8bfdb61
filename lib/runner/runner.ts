import { createSupervisor } from '../actor/supervisor.js'
import type { Supervisor } from '../actor/supervisor.js'
import type { ChildSpec } from '../actor/child-spec.js'
import type { Strategy, SupervisorExit } from '../actor/supervisor-options.js'
import { ConfigError, ForcedShutdownError } from '../errors.js'
import { Events } from '../instrumentation/events.js'
import { createInstrumentation } from '../instrumentation/instrumentation.js'
import type { Instrumentation } from '../instrumentation/instrumentation.js'
import { systemClock } from '../time/clock.js'
import type { Clock } from '../time/clock.js'
import { toMs } from '../time/duration.js'
import type { Duration } from '../time/duration.js'
import type { Group } from '../group/group.js'

export interface RunnerOptions {
  /** Consumer groups, each supervised as one child (a restart is a fresh group member). */
  groups?: Group[]
  /** Anything else to supervise: recurring tasks, scheduled messages, your own actors. Started after the groups. */
  children?: ChildSpec[]
  /** The root supervisor. Defaults: one_for_one, 3 restarts in '10s'. */
  strategy?: Strategy
  intensity?: number
  period?: Duration
  /**
   * How long a graceful stop may take before the runner forces its way out. Default: 30 s, or more
   * when a group needs longer to drain (its rebalance timeout + 5 s, + 5 s here).
   */
  shutdownTimeout?: Duration
  /** Signals that start a graceful stop (a second one forces it). Default SIGINT and SIGTERM; false for none. */
  signals?: NodeJS.Signals[] | false
  /** Called once the runner has stopped because of a signal or an escalation: default process.exit. */
  exit?: (code: number) => void
  instrumentation?: Instrumentation
  clock?: Clock
}

export type RunnerExit = { reason: 'stopped' } | { reason: 'escalated'; error: unknown } | { reason: 'forced'; busy: string[] }

export interface Runner {
  readonly instrumentation: Instrumentation
  readonly supervisor: Supervisor
  start(): Promise<void>
  /** Graceful stop: children in reverse order, each drained; forced after shutdownTimeout. */
  stop(): Promise<RunnerExit>
  /** Resolves when the runner has stopped, for whatever reason. */
  readonly done: Promise<RunnerExit>
}

/**
 * Owns the supervision tree of a process (after Karafka's Runner): starts it, turns SIGINT/SIGTERM into a
 * graceful stop (groups drain and commit), forces the stop after a timeout while reporting what was
 * still busy, and reports an escalation from the root (too many restarts) as a failed exit.
 */
export function createRunner(options: RunnerOptions): Runner {
  const clock = options.clock ?? systemClock
  const instrumentation = options.instrumentation ?? createInstrumentation(clock.now)
  const exit = options.exit ?? ((code: number) => process.exit(code))
  const signals = options.signals === false ? [] : (options.signals ?? ['SIGINT', 'SIGTERM'])
  const groups = options.groups ?? []
  const shutdownMs =
    options.shutdownTimeout !== undefined
      ? toMs(options.shutdownTimeout, { option: 'shutdownTimeout' })
      : Math.max(30_000, ...groups.map((g) => g.shutdownTimeoutMs + 5_000))
  const names = new Set<string>()
  for (const g of groups) {
    if (names.has(g.name)) throw new ConfigError(`two groups are named ${JSON.stringify(g.name)}`, { group: g.name })
    names.add(g.name)
  }
  const children: ChildSpec[] = [
    ...groups.map((g) => g.childSpec({ clock, instrumentation })),
    ...(options.children ?? []),
  ]
  const supervisor = createSupervisor({
    id: 'troupe',
    strategy: options.strategy ?? 'one_for_one',
    intensity: options.intensity ?? 3,
    period: options.period ?? '10s',
    children,
    clock,
    instrumentation,
  })

  let resolveDone!: (exit: RunnerExit) => void
  const done = new Promise<RunnerExit>((resolve) => (resolveDone = resolve))
  let stopping: Promise<RunnerExit> | undefined
  const handlers = new Map<NodeJS.Signals, () => void>()

  const detachSignals = () => {
    for (const [signal, handler] of handlers) process.off(signal, handler)
    handlers.clear()
  }

  const finish = (result: RunnerExit) => {
    detachSignals()
    instrumentation.emit(Events.RUNNER_STOPPED, { ...result })
    resolveDone(result)
    return result
  }

  const busyChildren = () => supervisor.whichChildren().filter((c) => c.status !== 'stopped').map((c) => c.id)

  const force = (): RunnerExit => {
    const busy = busyChildren()
    instrumentation.emit(Events.RUNNER_FORCED_STOP, { busy, error: new ForcedShutdownError({ busy, timeoutMs: shutdownMs }) })
    return finish({ reason: 'forced', busy })
  }

  const stop = (): Promise<RunnerExit> =>
    (stopping ??= new Promise<RunnerExit>((resolve) => {
      instrumentation.emit(Events.RUNNER_STOPPING, { timeoutMs: shutdownMs })
      const timer = clock.setTimeout(() => resolve(force()), shutdownMs)
      void supervisor.stop().then(() => {
        clock.clearTimeout(timer)
        resolve(finish({ reason: 'stopped' }))
      })
    }))

  supervisor.onExit((e: SupervisorExit) => {
    if (e.reason !== 'intensity') return
    instrumentation.emit(Events.ERROR, { type: 'runner.escalation', error: e.error })
    finish({ reason: 'escalated', error: e.error })
    exit(1)
  })

  return {
    instrumentation,
    supervisor,
    done,
    async start() {
      for (const signal of signals) {
        const handler = () => {
          if (stopping) {
            // A second signal: the operator does not want to wait.
            force()
            exit(1)
            return
          }
          void stop().then((r) => exit(r.reason === 'stopped' ? 0 : 1))
        }
        handlers.set(signal, handler)
        process.on(signal, handler)
      }
      try {
        await supervisor.start()
      } catch (error) {
        detachSignals()
        throw error
      }
      instrumentation.emit(Events.RUNNER_STARTED, { children: children.map((c) => c.id) })
    },
    stop,
  }
}
