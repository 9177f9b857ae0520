/**
 * The admin CLI: offline scripting over the same engine as the app.
 *   tessera [--data-dir DIR] COMMAND ...      (npx tessera ... from the checkout)
 * Options go before or after the command. Exit codes: 0 done, 1 refused by the engine (one line
 * "error: ..." on stderr), 2 usage or value error (on stderr, with a pointer to the help).
 * Passwords are read from standard input, never from arguments. No stack traces.
 */
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { DomainError } from '../core/domain-error'
import { sayFailure } from '../../shared/errors'
import { translator } from '../../shared/i18n/translate'
import { cliLocale } from './lang'
import { createEngine } from '../core/engine'
import { databaseFile, resolveDataDir } from '../data-dir'
import { adminCommands } from './admin'
import { cliOperator, tellRecovered, UsageError, type Command, type Io, type OptionSpec } from './args'
import { databaseTarget } from '../database-target'
import { dbCommands } from './db'
import { ldapCommands } from './ldap'
import { seatCommands } from './seat'
import { twoFactorCommands } from './two-factor'
import { userCommands } from './users'

export type { Io }

const COMMANDS: Command[] = [...userCommands, ...twoFactorCommands, ...adminCommands, ...ldapCommands, ...seatCommands, ...dbCommands]

const GLOBAL_OPTIONS: Record<string, OptionSpec & { short?: string }> = {
  'data-dir': { type: 'string', value: 'DIR', help: 'the data directory (else $TESSERA_DATA_DIR, else the app\'s own)' },
  'database-url': { type: 'string', value: 'URL', help: 'a shared PostgreSQL database (else $TESSERA_DATABASE_URL, else the seat\'s, else SQLite)' },
  'database-password-file': { type: 'string', value: 'FILE', help: 'the file holding its password (never on the command line)' },
  lang: { type: 'string', value: 'LANG', help: 'en, ja, ko or vi (else $LC_ALL, $LC_MESSAGES or $LANG, else English)' },
  help: { type: 'boolean', short: 'h', help: 'this help' }
}

/** Electron's userData for an app named "tessera", so the CLI finds the app's database by default. */
function defaultDataDir(): string {
  const home = homedir()
  if (process.platform === 'win32') return join(process.env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'tessera')
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'tessera')
  return join(process.env['XDG_CONFIG_HOME'] ?? join(home, '.config'), 'tessera')
}

const optionLines = (options: Record<string, OptionSpec>) =>
  Object.entries(options).map(([name, o]) => `  ${`--${name}${o.value ? ` ${o.value}` : ''}`.padEnd(26)} ${o.help}`)

function overview(): string {
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(18)} ${c.summary}`)
  return ['usage: tessera [--data-dir DIR] COMMAND [ARGS] [OPTIONS]', '', 'commands:', ...lines, '', 'options for every command:', ...optionLines(GLOBAL_OPTIONS), '', 'Run "tessera COMMAND --help" (or "tessera help COMMAND") for one command.'].join('\n')
}

function commandHelp(c: Command): string {
  const options = optionLines({ ...c.options, 'data-dir': GLOBAL_OPTIONS['data-dir']! })
  return [`usage: tessera ${c.name}${c.usage ? ` ${c.usage}` : ''}`, '', `${c.summary[0]!.toUpperCase()}${c.summary.slice(1)}.`, ...(c.details ?? []), '', 'options:', ...options].join('\n')
}

function groupHelp(group: string): string | null {
  const members = COMMANDS.filter((c) => c.name.startsWith(`${group} `))
  if (members.length === 0) return null
  return [`tessera ${group} commands:`, ...members.map((c) => `  tessera ${c.name}${c.usage ? ` ${c.usage}` : ''}`), '', `Run "tessera ${group} SUBCOMMAND --help" for one of them.`].join('\n')
}

/** Every option that takes a value, so a scan for the command's words can skip option values. */
const VALUE_OPTIONS = new Set(
  [GLOBAL_OPTIONS, ...COMMANDS.map((c) => c.options)].flatMap((o) => Object.entries(o).filter(([, s]) => s.type === 'string').map(([n]) => `--${n}`))
)

/** The command's words wherever they are among the options; the rest stays in order. */
function splitCommand(argv: string[]): { words: string[]; rest: string[] } {
  const words: number[] = []
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const a = argv[i]!
    if (a === '--') break
    if (a.startsWith('-')) {
      if (VALUE_OPTIONS.has(a)) i++
      continue
    }
    words.push(i)
  }
  const [first, second] = words.map((i) => argv[i]!)
  const pick = second !== undefined && COMMANDS.some((c) => c.name === `${first} ${second}`) ? words : words.slice(0, 1)
  return { words: pick.map((i) => argv[i]!), rest: argv.filter((_, i) => !pick.includes(i)) }
}

function parse(c: Command, args: string[]) {
  let parsed
  try {
    parsed = parseArgs({ args, options: { ...c.options, ...GLOBAL_OPTIONS }, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, ''))
  }
  const [min, max] = typeof c.positionals === 'number' ? [c.positionals, c.positionals] : c.positionals
  const n = parsed.positionals.length
  if (n > max) throw new UsageError(max === 0 ? `unexpected argument: ${parsed.positionals[0]}` : `${c.name} takes ${max} argument${max === 1 ? '' : 's'}: ${c.usage}`)
  if (n < min) throw new UsageError(`${c.name} needs ${c.usage}`)
  return parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] }
}

async function run(argv: string[], io: Io): Promise<number> {
  const { words, rest } = splitCommand(argv)
  const asksHelp = rest.includes('--help') || rest.includes('-h')
  if (words[0] === 'help' || (words.length === 0 && asksHelp)) {
    const topic = words[0] === 'help' ? splitCommand(rest).words : []
    const c = COMMANDS.find((x) => x.name === topic.join(' '))
    io.out(c ? commandHelp(c) : topic.length ? (groupHelp(topic[0]!) ?? overview()) : overview())
    return 0
  }
  if (words.length === 0) {
    io.err(overview())
    return 2
  }
  const c = COMMANDS.find((x) => x.name === words.join(' '))
  if (!c) {
    const group = groupHelp(words[0]!)
    if (group && asksHelp) {
      io.out(group)
      return 0
    }
    throw new UsageError(group ? `${words[0]} needs a subcommand:\n${group}` : `unknown command: ${words.join(' ')}`)
  }
  if (asksHelp) {
    io.out(commandHelp(c))
    return 0
  }

  // Check the arguments and read standard input before opening anything: a usage error changes nothing.
  const { values, positionals } = parse(c, rest)
  const action = await c.prepare({ values: values as never, positionals }, io)
  const dataDirArg = values['data-dir'] as string | undefined
  const creates = c.name === 'init' || 'withoutEngine' in action
  const dataDir = resolveDataDir(dataDirArg ? ['--data-dir', dataDirArg] : [], process.env, defaultDataDir, creates)
  if ('withoutEngine' in action) return action.withoutEngine(dataDir)
  const target = databaseTarget(dataDir, { url: values['database-url'] as string | undefined, passwordFile: values['database-password-file'] as string | undefined })
  // Anything but init needs a database; without one, say so and create nothing (no folder, no file).
  const missing = () => new DomainError('NOT_INITIALIZED', target ? 'the database holds no Tessera organisation yet: run "init" first' : `no Tessera database in ${dataDir}: run "init" first`)
  if (c.name !== 'init' && !target && !existsSync(databaseFile(dataDir))) throw missing()
  const engine = await createEngine({ databaseFile: databaseFile(dataDir), database: target ?? undefined, dataDir, operator: cliOperator() })
  for (const warning of engine.warnings) io.err(`warning: ${warning}`)
  tellRecovered(engine, io)
  try {
    // The policy as it is now (another seat may have changed it), before the command uses it.
    await engine.policy.refresh()
    if (c.name !== 'init' && !(await engine.accounts.isInitialized())) throw missing()
    return await action(engine)
  } finally {
    await engine.close()
  }
}

/** A refusal in the CLI's language (its English when the language cannot be told). */
function refusalText(error: unknown, argv: string[]): string {
  if (!(error instanceof DomainError)) return error instanceof Error ? error.message : String(error)
  let words = translator('en')
  try {
    words = translator(cliLocale(argv, process.env))
  } catch {
    // a wrong --lang is said on its own
  }
  return sayFailure(words, error.toFailure())
}

/** Runs the CLI; returns the exit code. Never throws, never prints a stack trace. */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    cliLocale(argv, process.env) // a wrong --lang is a usage error before anything runs
    return await run(argv, io)
  } catch (error) {
    io.err(`error: ${refusalText(error, argv)}`)
    if (!(error instanceof UsageError)) return 1
    io.err('run "tessera help" for the commands')
    return 2
  }
}
