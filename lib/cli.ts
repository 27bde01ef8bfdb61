// The `troupe` command line. Each subsystem contributes one CliCommand (a top-level word such as
// `tasks`); add yours to COMMANDS below. Commands parse their own arguments and return an exit code.
import { tasksCommand } from './recurring/cli.js'

export interface CliIo {
  out(text: string): void
  err(text: string): void
}

export interface CliCommand {
  name: string
  summary: string
  usage: string
  run(argv: string[], io: CliIo): Promise<number>
}

const COMMANDS: CliCommand[] = [tasksCommand()]

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return ['usage: troupe <command> [...]', '', ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`), '', 'troupe <command> --help for details'].join('\n')
}

export async function runCli(argv: string[], io: CliIo, commands: CliCommand[] = COMMANDS): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') return io.out(help()), name ? 0 : 2
  const command = commands.find((c) => c.name === name)
  if (!command) return io.err(`unknown command ${JSON.stringify(name)}\n\n${help()}`), 2
  return command.run(rest, io)
}

const io: CliIo = { out: (t) => console.log(t), err: (t) => console.error(t) }
process.exitCode = await runCli(process.argv.slice(2), io)
