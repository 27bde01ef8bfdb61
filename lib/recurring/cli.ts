import { parseArgs } from 'node:util'
import type { CliCommand, CliIo } from '../cli.js'
import type { KafkaClient } from '../kafka/client.js'
import { createKafkaClient } from '../kafka/kafkajs/index.js'
import { systemClock } from '../time/clock.js'
import { ALL_TASKS, COMMAND_NAMES, isCommandName } from './command.js'
import { createCommandSender } from './command-sender.js'

const USAGE = `troupe tasks <${COMMAND_NAMES.join('|')}> <taskId|${ALL_TASKS}> --topic <schedules topic> [--brokers host:port,...]

  Sends a command to the process that owns the schedule (it applies it when it reads it).
  --brokers defaults to $KAFKA_BROKERS. Quote '*' in shells.`

/**
 * `troupe tasks ...`: commands for recurring tasks from the command line. The Kafka client is
 * injectable so the command can be exercised without a broker.
 */
export function tasksCommand(createClient: (brokers: string) => KafkaClient = (brokers) => createKafkaClient({ brokers, clientId: 'troupe-cli', logLevel: 'nothing' })): CliCommand {
  return {
    name: 'tasks',
    summary: 'trigger, enable or disable recurring tasks',
    usage: USAGE,
    async run(argv: string[], io: CliIo): Promise<number> {
      let parsed
      try {
        parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { brokers: { type: 'string' }, topic: { type: 'string' }, help: { type: 'boolean', short: 'h' } } })
      } catch (error) {
        io.err(`${(error as Error).message}\n\n${USAGE}`)
        return 2
      }
      const { values, positionals } = parsed
      if (values.help) return io.out(USAGE), 0
      const [action, target, ...extra] = positionals
      if (!action || !target || extra.length > 0) return io.err(USAGE), 2
      if (!isCommandName(action)) return io.err(`unknown command ${JSON.stringify(action)}: use one of ${COMMAND_NAMES.join(', ')}`), 2
      const brokers = values.brokers ?? process.env.KAFKA_BROKERS
      if (!brokers) return io.err('no brokers: pass --brokers host:port or set KAFKA_BROKERS'), 2
      if (!values.topic) return io.err('no topic: pass --topic <schedules topic>'), 2

      const client = createClient(brokers)
      const producer = client.producer()
      try {
        await producer.connect()
        const receipt = await createCommandSender({ producer, topic: values.topic, clock: systemClock }).send(action, target)
        io.out(`${receipt.command} ${receipt.task}: sent to ${values.topic} at offset ${receipt.offset} (request ${receipt.requestId})`)
        return 0
      } catch (error) {
        io.err(`failed: ${(error as Error).message}`)
        return 1
      } finally {
        await producer.disconnect().catch(() => undefined)
        await client.close().catch(() => undefined)
      }
    },
  }
}
