import { hostname, userInfo } from 'node:os'
/**
 * What every CLI command shares: how it is declared (its usage, options and help), how its
 * arguments are checked before anything is opened, and the small readers and printers it uses.
 */
import { existsSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { jobNoticeText } from '../../shared/job-notices'
import { plural } from '../../shared/words'
import type { Engine } from '../core/engine'
import { englishProblem } from '../../shared/validation'

/** A mistake in how the command was called: exit status 2, with a pointer to the help. */
export class UsageError extends Error {}

export type Io = {
  out(line: string): void
  err(line: string): void
  readStdin(): Promise<string>
}

export type OptionSpec = { type: 'string' | 'boolean'; /** The value's placeholder in help, e.g. EMAIL. */ value?: string; help: string }
type Values<O extends Record<string, OptionSpec>> = { [K in keyof O]?: O[K]['type'] extends 'string' ? string : boolean }

export type Action = ((engine: Engine) => Promise<number> | number) | { withoutEngine: (dataDir: string) => Promise<number> }

export type Command<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> = {
  /** The words that name it: "user add". */
  name: string
  /** What follows the name in the usage line: `NAME --email EMAIL [--role ROLE]`. */
  usage: string
  summary: string
  /** More lines for `--help`: what it does, what it reads from standard input, examples. */
  details?: string[]
  options: O
  /** How many positional arguments it takes: exactly n, or [min, max]. */
  positionals: number | [number, number]
  /** Checks the arguments and reads standard input; returns what to do with the engine. */
  prepare(args: { values: Values<O>; positionals: string[] }, io: Io): Promise<Action> | Action
}

/** Declares a command with its options' types carried to `prepare`. */
export const command = <O extends Record<string, OptionSpec>>(c: Command<O>): Command => c as unknown as Command

/** A value checked by a schema, or a usage error naming what was wrong, in the schema's words. */
export function valid<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } }, value: unknown, what: string): T {
  const r = schema.safeParse(value)
  if (!r.success) throw new UsageError(`${what}: ${r.error.issues[0] ? englishProblem(r.error.issues[0].message) : 'not valid'}`)
  return r.data
}

/**
 * Secrets come from standard input, one per line, never from arguments: arguments can be read by
 * every local user in /proc/PID/cmdline and end up in shell history.
 */
export async function readSecrets(io: Io, names: string[]): Promise<string[]> {
  const lines = (await io.readStdin()).split(/\r?\n/)
  return names.map((name, i) => {
    const line = lines[i] ?? ''
    if (!line) throw new UsageError(`no ${name} on line ${i + 1} of standard input`)
    return line
  })
}

export async function readPassword(io: Io, flag: boolean | undefined): Promise<string> {
  if (!flag) throw new UsageError('the password is read from standard input: pass --password-stdin')
  return (await readSecrets(io, ['password']))[0]!
}

/** A file to read: it must exist and be a file, checked before anything is opened. */
export function readableFile(path: string): { path: string; bytes: number } {
  let stat
  try {
    stat = statSync(path)
  } catch {
    throw new UsageError(`cannot read ${path}: no such file`)
  }
  if (!stat.isFile()) throw new UsageError(`cannot read ${path}: not a file`)
  return { path: resolve(path), bytes: stat.size }
}

/** Where an export goes: --out FILE, in a directory that exists. */
export function outFile(out: string | undefined): string {
  if (!out) throw new UsageError('give the file to write with --out FILE.csv')
  const path = resolve(out)
  if (!existsSync(dirname(path))) throw new UsageError(`cannot write ${out}: the folder ${dirname(path)} does not exist`)
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`cannot write ${out}: it is a folder`)
  return path
}

export function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd())
}

export { plural }

export const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().replace('.000Z', 'Z'))

/** `user export` / `audit export`: a streamed CSV to --out FILE, then how many rows went in. */
export function exportCommand(name: string, summary: string, noun: string, write: (engine: Engine, out: string) => Promise<{ rows: number }>): Command {
  return command({
    name,
    usage: '--out FILE.csv',
    summary,
    options: { out: { type: 'string', value: 'FILE.csv', help: 'the file to write' } },
    positionals: 0,
    prepare({ values }, io) {
      const out = outFile(values.out)
      return async (engine) => {
        const { rows } = await write(engine, out)
        io.out(`exported ${plural(rows, noun)} to ${out}`)
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
export function tellRecovered(engine: Engine, io: Io): void {
  for (const notice of engine.recovered) io.err(`notice: ${jobNoticeText(notice, iso)}`)
}
