/**
 * Which database a seat uses: a PostgreSQL server named by `--database-url` (CLI, app, harness),
 * else by TESSERA_DATABASE_URL, else by the `seat.json` that `tessera seat join` wrote into the
 * data directory; with none of them, the SQLite file in the data directory (one machine, the
 * default). The server's password comes from a file (`--database-password-file`,
 * TESSERA_DATABASE_PASSWORD_FILE, or the seat's settings), never from the command line; a CA file
 * turns on certificate and host-name checking (`sslmode=verify-full`).
 */
import { readFileSync } from 'node:fs'
import { DomainError } from './core/domain-error'
import { message } from '../shared/i18n/translate'
import { readSeatConfig } from './core/seat-config'
import { passwordInUrl } from '../shared/seat'

export type DatabaseTarget = { url: string; password?: string }

export type DatabaseChoice = { url?: string; passwordFile?: string; caFile?: string }

function parsed(url: string, from: string): URL {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new DomainError('INVALID_INPUT', message('staffRefusals.notDatabaseAddress', { from }))
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new DomainError('INVALID_INPUT', message('staffRefusals.notPostgresAddress', { from }))
  if (passwordInUrl(u)) throw new DomainError('INVALID_INPUT', message('staffRefusals.passwordInAddress', { from }))
  return u
}

/** The password a seat keeps in `file` (one line). */
export function readPasswordFile(file: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '')
  } catch {
    throw new DomainError('INVALID_INPUT', message('staffRefusals.passwordFileUnreadable', { file }))
  }
}

/** The database this seat is configured for, or null for the SQLite file. */
export function databaseTarget(dataDir: string, given: DatabaseChoice, env: NodeJS.ProcessEnv = process.env): DatabaseTarget | null {
  const seat = given.url || env['TESSERA_DATABASE_URL'] ? null : readSeatConfig(dataDir)
  const url = given.url ?? env['TESSERA_DATABASE_URL'] ?? seat?.databaseUrl
  if (!url) return null
  const from = given.url ? '--database-url' : env['TESSERA_DATABASE_URL'] ? 'TESSERA_DATABASE_URL' : 'seat.json'
  const passwordFile = given.passwordFile ?? env['TESSERA_DATABASE_PASSWORD_FILE'] ?? seat?.passwordFile
  return connectionTarget(url, from, { caFile: given.caFile ?? seat?.caFile, passwordFile })
}

type Connection = { caFile?: string | undefined } & ({ passwordFile?: string | undefined; password?: never } | { password?: string | undefined; passwordFile?: never })

/**
 * The connection for an address (named `from` in a refusal), its password given or read from a
 * file; TLS with the server's certificate and host name checked when a CA file is given.
 */
export function connectionTarget(url: string, from: string, options: Connection): DatabaseTarget {
  const u = parsed(url, from)
  if (options.caFile && !u.searchParams.has('sslrootcert')) {
    u.searchParams.set('sslmode', 'verify-full')
    u.searchParams.set('sslrootcert', options.caFile)
  }
  const password = options.passwordFile ? readPasswordFile(options.passwordFile) : options.password
  return password === undefined ? { url: u.toString() } : { url: u.toString(), password }
}

/** The address as it may be shown (it never holds a password; the query's file paths are dropped too). */
export function shownAddress(url: string): string {
  const u = new URL(url)
  return `${u.protocol}//${u.username ? `${u.username}@` : ''}${u.host}${u.pathname}`
}
