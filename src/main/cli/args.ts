import { hostname, userInfo } from 'node:os'
/**
 * What every CLI command shares: how it is declared (its usage, options and help, as message ids),
 * how its arguments are checked before anything is opened, and the small readers and printers it
 * uses. Everything a person reads is worded in the CLI's language (`words`); JSON is the same in all.
 */
import { existsSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { MessageParams } from '../../shared/i18n/catalogs.generated'
import { encodeWords, message, translator, type Message, type MessageId, type Translator } from '../../shared/i18n/translate'
import { jobNoticeText } from '../../shared/job-notices'
import type { Engine } from '../core/engine'

/**
 * A mistake in how the command was called: exit status 2, with a pointer to the help. Its words are a
 * Message (worded in the CLI's language by `main`; `message` is its English), or a text already worded.
 */
export class UsageError extends Error {
  readonly words: Message | undefined
  constructor(words: string | Message) {
    super(typeof words === 'string' ? words : translator('en').say(words))
    this.words = typeof words === 'string' ? undefined : words
  }
}

export type Io = {
  out(line: string): void
  err(line: string): void
  readStdin(): Promise<string>
}

/** A message without parameters: a command's summary or details, an option's help, a column's header. */
export type WordId = { [K in MessageId]: keyof MessageParams[K] extends never ? K : never }[MessageId]

export type OptionSpec = { type: 'string' | 'boolean'; /** The value's placeholder in help, e.g. EMAIL. */ value?: string; help: WordId }
type Values<O extends Record<string, OptionSpec>> = { [K in keyof O]?: O[K]['type'] extends 'string' ? string : boolean }

export type Action = ((engine: Engine) => Promise<number> | number) | { withoutEngine: (dataDir: string) => Promise<number> }

export type Command<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> = {
  /** The words that name it: "user add". */
  name: string
  /** What follows the name in the usage line: `NAME --email EMAIL [--role ROLE]`. */
  usage: string
  /** What it does, in a few words, lowercase and without a full stop (the overview lists it so). */
  summary: WordId
  /** More lines for `--help`: what it does, what it reads from standard input, examples. */
  details?: WordId
  options: O
  /** How many positional arguments it takes: exactly n, or [min, max]. */
  positionals: number | [number, number]
  /** Checks the arguments and reads standard input; returns what to do with the engine. `words` speaks the CLI's language. */
  prepare(args: { values: Values<O>; positionals: string[]; words: Translator }, io: Io): Promise<Action> | Action
}

/** Declares a command with its options' types carried to `prepare`. */
export const command = <O extends Record<string, OptionSpec>>(c: Command<O>): Command => c as unknown as Command

type Issue = { path: readonly PropertyKey[]; message: string }

/** A value checked by a schema, or a usage error naming what was wrong (`what`), in the schema's words (both worded where it is said). */
export function valid<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Issue[] } } }, value: unknown, what: WordId): T {
  const r = schema.safeParse(value)
  if (!r.success) throw new UsageError(message('cli.fieldProblem', { field: encodeWords(message(what)), problem: r.error.issues[0]?.message ?? encodeWords(message('cli.notValid')) }))
  return r.data
}

/** A schema's problems, one line each, named by their setting's path (`lockout.baseMinutes: ...`). */
export const problemLines = (words: Translator, issues: readonly Issue[]) =>
  issues.map((i) => words.t('cli.fieldProblem', { field: i.path.map(String).join('.'), problem: words.sayText(i.message) })).join('\n')

/** What a line of standard input holds, as a usage error names it when it is missing. */
export type Secret = 'password' | 'code' | 'recoveryCode' | 'psk' | 'passphrase' | 'repeatedPassphrase'

/**
 * Secrets come from standard input, one per line, never from arguments: arguments can be read by
 * every local user in /proc/PID/cmdline and end up in shell history.
 */
export async function readSecrets(io: Io, names: Secret[]): Promise<string[]> {
  const lines = (await io.readStdin()).split(/\r?\n/)
  return names.map((secret, i) => {
    const line = lines[i] ?? ''
    if (!line) throw new UsageError(message('cli.usage.noSecret', { secret, line: i + 1 }))
    return line
  })
}

export async function readPassword(io: Io, flag: boolean | undefined): Promise<string> {
  if (!flag) throw new UsageError(message('cli.usage.passwordStdin'))
  return (await readSecrets(io, ['password']))[0]!
}

/** A file to read: it must exist and be a file, checked before anything is opened. */
export function readableFile(path: string): { path: string; bytes: number } {
  let stat
  try {
    stat = statSync(path)
  } catch {
    throw new UsageError(message('cli.usage.noSuchFile', { file: path }))
  }
  if (!stat.isFile()) throw new UsageError(message('cli.usage.notAFile', { file: path }))
  return { path: resolve(path), bytes: stat.size }
}

/** Where an export goes: --out FILE, in a directory that exists. */
export function outFile(out: string | undefined): string {
  if (!out) throw new UsageError(message('cli.usage.giveOut'))
  const path = resolve(out)
  if (!existsSync(dirname(path))) throw new UsageError(message('cli.usage.noFolder', { file: out, folder: dirname(path) }))
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(message('cli.usage.isFolder', { file: out }))
  return path
}

/** East Asian wide and fullwidth characters (Hangul, kana, CJK ideographs, fullwidth forms): two columns each. */
const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]/u
const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200B-\u200D]/u

/** The columns a text takes in a terminal (a Japanese header is twice as wide as its length). */
export function width(text: string): number {
  let n = 0
  for (const ch of text) n += ZERO_WIDTH.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1
  return n
}

/** A text padded with spaces to `columns` terminal columns. */
export const padTo = (text: string, columns: number) => text + ' '.repeat(Math.max(0, columns - width(text)))

export function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => width(r[i]!))))
  return rows.map((r) => r.map((c, i) => padTo(c, widths[i]!)).join('  ').trimEnd())
}

/** A table under its columns' headers, in the CLI's language. */
export const headedTable = (words: Translator, headers: WordId[], rows: string[][]) => table([headers.map((h) => words.t(h)), ...rows])


export const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().replace('.000Z', 'Z'))

/** `user export` / `audit export`: a streamed CSV to --out FILE, then how many rows went in. */
export function exportCommand(name: string, summary: WordId, done: 'cli.userExport.done' | 'cli.auditExport.done', write: (engine: Engine, out: string, words: Translator) => Promise<{ rows: number }>): Command {
  return command({
    name,
    usage: '--out FILE.csv',
    summary,
    options: { out: { type: 'string', value: 'FILE.csv', help: 'cli.option.out' } },
    positionals: 0,
    prepare({ values, words }, io) {
      const out = outFile(values.out)
      return async (engine) => {
        const { rows } = await write(engine, out, words)
        io.out(words.t(done, { count: rows, file: out }))
        return 0
      }
    }
  })
}

/** The workstation the CLI's audit rows and lockout counters name. */
export const WORKSTATION = 'cli'

/** Who ran the CLI, as its audit rows name them: `cli:alice@host`. */
export function cliOperator(): string {
  let user = process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown'
  try {
    user = userInfo().username
  } catch {
    // No passwd entry (e.g. a container's arbitrary uid): keep the environment's name.
  }
  return `cli:${user}@${hostname()}`
}

/** Jobs a crash had interrupted, settled as this command's engine started: one line each, on standard error. */
export function tellRecovered(engine: Engine, io: Io, words: Translator): void {
  for (const notice of engine.recovered) io.err(words.t('cli.notice', { text: jobNoticeText(notice, words, iso) }))
}
