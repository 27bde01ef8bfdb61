import { nanoid } from 'nanoid'
import { ConfigError } from '../errors.js'
import type { Producer } from '../kafka/client.js'
import type { Clock } from '../time/clock.js'
import { ALL_TASKS, createCommand } from './command.js'
import type { CommandName } from './command.js'
import { encodeCommand } from './records.js'

/** What a sender gets back: where its command landed, and the id the executor's events will carry. */
export interface CommandReceipt {
  command: CommandName
  task: string
  requestId: string
  offset: number
}

export interface CommandSender {
  send(name: string, task: string): Promise<CommandReceipt>
}

/**
 * Produces commands to the schedules topic. It does not apply them: the process owning the schedule
 * does, when it reads them back, so a command sent from anywhere (code, the CLI, another host) has
 * exactly one effect, in log order. `knownTaskIds`, when given, rejects a typo before it is sent.
 */
export function createCommandSender(options: { producer: Producer; topic: string; clock: Clock; knownTaskIds?: readonly string[] }): CommandSender {
  const { producer, topic, clock, knownTaskIds } = options
  return {
    async send(name, task) {
      const command = createCommand(name, task, clock.now(), nanoid(12))
      if (knownTaskIds && task !== ALL_TASKS && !knownTaskIds.includes(task)) {
        throw new ConfigError(`no task ${JSON.stringify(task)} in this schedule`, { task, known: [...knownTaskIds] })
      }
      const [record] = await producer.produce(topic, [encodeCommand(command)])
      return { command: command.name as CommandName, task, requestId: command.requestId, offset: record?.offset ?? -1 }
    },
  }
}
