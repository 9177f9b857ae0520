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
import { message, translator, type Message, type Translator } from '../../shared/i18n/translate'
import { cliLocale, environmentLocale } from './lang'
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
  'data-dir': { type: 'string', value: 'DIR', help: 'cli.option.dataDir' },
  'database-url': { type: 'string', value: 'URL', help: 'cli.option.databaseUrl' },
  'database-password-file': { type: 'string', value: 'FILE', help: 'cli.option.databasePasswordFile' },
  lang: { type: 'string', value: 'LANG', help: 'cli.option.lang' },
  help: { type: 'boolean', short: 'h', help: 'cli.option.help' }
}

/** Electron's userData for an app named "tessera", so the CLI finds the app's database by default. */
function defaultDataDir(): string {
  const home = homedir()
  if (process.platform === 'win32') return join(process.env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'tessera')
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'tessera')
  return join(process.env['XDG_CONFIG_HOME'] ?? join(home, '.config'), 'tessera')
}

const optionLines = (words: Translator, options: Record<string, OptionSpec>) =>
  Object.entries(options).map(([name, o]) => `  ${`--${name}${o.value ? ` ${o.value}` : ''}`.padEnd(26)} ${words.t(o.help)}`)

function overview(words: Translator): string {
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(18)} ${words.t(c.summary)}`)
  return [
    words.t('cli.help.usage', { usage: 'tessera [--data-dir DIR] COMMAND [ARGS] [OPTIONS]' }),
    '',
    words.t('cli.help.commands'),
    ...lines,
    '',
    words.t('cli.help.globalOptions'),
    ...optionLines(words, GLOBAL_OPTIONS),
    '',
    words.t('cli.help.oneCommand')
  ].join('\n')
}

const usageOf = (c: Command) => `tessera ${c.name}${c.usage ? ` ${c.usage}` : ''}`

function commandHelp(words: Translator, c: Command): string {
  const options = optionLines(words, { ...c.options, 'data-dir': GLOBAL_OPTIONS['data-dir']! })
  const summary = words.t(c.summary)
  return [
    words.t('cli.help.usage', { usage: usageOf(c) }),
    '',
    words.t('cli.help.sentence', { text: `${summary[0]!.toUpperCase()}${summary.slice(1)}` }),
    ...(c.details ? [words.t(c.details)] : []),
    '',
    words.t('cli.help.options'),
    ...options
  ].join('\n')
}

function groupHelp(words: Translator, group: string): string | null {
  const members = COMMANDS.filter((c) => c.name.startsWith(`${group} `))
  if (members.length === 0) return null
  return [words.t('cli.help.group', { group }), ...members.map((c) => `  ${usageOf(c)}`), '', words.t('cli.help.oneOfGroup', { group })].join('\n')
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

/** Node's own refusal of an option, in the catalog's words where it is one it has (its English is Node's). */
function optionProblem(error: unknown): string | Message {
  const text = (error as Error).message.split('\n')[0]!
  const [, kind, option] = /^(Unknown option|Option) '(-[^']*)'(?:\.| argument missing$| does not take an argument$)/.exec(text) ?? []
  if (kind === 'Unknown option') return message('cli.usage.unknownOption', { option: option! })
  if (option && text.endsWith(' argument missing')) return message('cli.usage.optionNeedsValue', { option }) // option: "--limit <value>"
  if (option) return message('cli.usage.optionTakesNoValue', { option })
  return text.replace(/\. To specify a positional argument.*$/, '')
}

function parse(c: Command, args: string[]) {
  let parsed
  try {
    parsed = parseArgs({ args, options: { ...c.options, ...GLOBAL_OPTIONS }, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError(optionProblem(error))
  }
  const [min, max] = typeof c.positionals === 'number' ? [c.positionals, c.positionals] : c.positionals
  const n = parsed.positionals.length
  if (n > max) throw new UsageError(max === 0 ? message('cli.usage.unexpectedArgument', { argument: parsed.positionals[0]! }) : message('cli.usage.tooManyArguments', { command: c.name, max, usage: c.usage }))
  if (n < min) throw new UsageError(message('cli.usage.needs', { command: c.name, usage: c.usage }))
  return parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] }
}

/** What the arguments ask for: a help text (exit 0; the overview on standard error, exit 2, when no command is named), or a command. */
type Chosen = { help: string; code: 0 | 2 } | { command: Command; rest: string[] }

function choose(words: Translator, argv: string[]): Chosen {
  const { words: named, rest } = splitCommand(argv)
  const asksHelp = rest.includes('--help') || rest.includes('-h')
  if (named[0] === 'help' || (named.length === 0 && asksHelp)) {
    const topic = named[0] === 'help' ? splitCommand(rest).words : []
    const c = COMMANDS.find((x) => x.name === topic.join(' '))
    return { help: c ? commandHelp(words, c) : topic.length ? (groupHelp(words, topic[0]!) ?? overview(words)) : overview(words), code: 0 }
  }
  if (named.length === 0) return { help: overview(words), code: 2 }
  const c = COMMANDS.find((x) => x.name === named.join(' '))
  if (!c) {
    const group = groupHelp(words, named[0]!)
    if (group && asksHelp) return { help: group, code: 0 }
    throw new UsageError(group ? words.t('cli.usage.needsSubcommand', { group: named[0]!, commands: group }) : message('cli.usage.unknownCommand', { command: named.join(' ') }))
  }
  return asksHelp ? { help: commandHelp(words, c), code: 0 } : { command: c, rest }
}

async function run(argv: string[], io: Io, words: Translator): Promise<number> {
  const chosen = choose(words, argv)
  if ('help' in chosen) {
    if (chosen.code === 0) io.out(chosen.help)
    else io.err(chosen.help)
    return chosen.code
  }
  const { command: c, rest } = chosen

  // Check the arguments and read standard input before opening anything: a usage error changes nothing.
  const { values, positionals } = parse(c, rest)
  const action = await c.prepare({ values: values as never, positionals, words }, io)
  const dataDirArg = values['data-dir'] as string | undefined
  const creates = c.name === 'init' || 'withoutEngine' in action
  const dataDir = resolveDataDir(dataDirArg ? ['--data-dir', dataDirArg] : [], process.env, defaultDataDir, creates)
  if ('withoutEngine' in action) return action.withoutEngine(dataDir)
  const target = databaseTarget(dataDir, { url: values['database-url'] as string | undefined, passwordFile: values['database-password-file'] as string | undefined })
  // Anything but init needs a database; without one, say so and create nothing (no folder, no file).
  const missing = () => new DomainError('NOT_INITIALIZED', target ? message('cli.notInitializedShared') : message('cli.notInitialized', { dir: dataDir }))
  if (c.name !== 'init' && !target && !existsSync(databaseFile(dataDir))) throw missing()
  const engine = await createEngine({ databaseFile: databaseFile(dataDir), database: target ?? undefined, dataDir, operator: cliOperator() })
  for (const warning of engine.warnings) io.err(words.t('cli.warning', { text: words.sayText(warning) }))
  tellRecovered(engine, io, words)
  try {
    // The policy as it is now (another seat may have changed it), before the command uses it.
    await engine.policy.refresh()
    if (c.name !== 'init' && !(await engine.accounts.isInitialized())) throw missing()
    return await action(engine)
  } finally {
    await engine.close()
  }
}

/** What went wrong, in the CLI's language: a usage error's or a refusal's words (a refusal the engine still words only in English as it is). */
function errorText(words: Translator, error: unknown): string {
  if (error instanceof UsageError) return error.words ? words.say(error.words) : error.message
  if (error instanceof DomainError) return sayFailure(words, error.toFailure())
  return error instanceof Error ? error.message : String(error)
}

/**
 * Runs the CLI; returns the exit code. Never throws, never prints a stack trace. It speaks the
 * language `--lang` or the environment names (a wrong --lang is said in the environment's).
 */
export async function main(argv: string[], io: Io): Promise<number> {
  let words = translator(environmentLocale(process.env))
  try {
    words = translator(cliLocale(argv, process.env)) // a wrong --lang is a usage error before anything runs
    return await run(argv, io, words)
  } catch (error) {
    io.err(`error: ${errorText(words, error)}`)
    if (!(error instanceof UsageError)) return 1
    io.err(words.t('cli.help.seeHelp'))
    return 2
  }
}
