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
import { readSeatConfig } from './core/seat-config'

export type DatabaseTarget = { url: string; password?: string }

export type DatabaseChoice = { url?: string; passwordFile?: string; caFile?: string }

const hasPassword = (url: URL) => url.password !== '' || [...url.searchParams.keys()].some((k) => k.toLowerCase() === 'password')

function parsed(url: string, from: string): URL {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new DomainError('INVALID_INPUT', `${from} is not a database address (postgres://user@host:5432/tessera).`)
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new DomainError('INVALID_INPUT', `${from} must start with postgres://.`)
  if (hasPassword(u)) throw new DomainError('INVALID_INPUT', `${from} holds a password: put it in a file and name it with --database-password-file instead.`)
  return u
}

function readPassword(file: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '')
  } catch {
    throw new DomainError('INVALID_INPUT', `The database password file ${file} cannot be read.`)
  }
}

/** The database this seat is configured for, or null for the SQLite file. */
export function databaseTarget(dataDir: string, given: DatabaseChoice, env: NodeJS.ProcessEnv = process.env): DatabaseTarget | null {
  const seat = given.url || env['TESSERA_DATABASE_URL'] ? null : readSeatConfig(dataDir)
  const url = given.url ?? env['TESSERA_DATABASE_URL'] ?? seat?.databaseUrl
  if (!url) return null
  const u = parsed(url, given.url ? '--database-url' : env['TESSERA_DATABASE_URL'] ? 'TESSERA_DATABASE_URL' : 'seat.json')
  const caFile = given.caFile ?? seat?.caFile
  if (caFile && !u.searchParams.has('sslrootcert')) {
    u.searchParams.set('sslmode', 'verify-full')
    u.searchParams.set('sslrootcert', caFile)
  }
  const passwordFile = given.passwordFile ?? env['TESSERA_DATABASE_PASSWORD_FILE'] ?? seat?.passwordFile
  return passwordFile ? { url: u.toString(), password: readPassword(passwordFile) } : { url: u.toString() }
}

/** The address as it may be shown (it never holds a password; the query's file paths are dropped too). */
export function shownAddress(url: string): string {
  const u = new URL(url)
  return `${u.protocol}//${u.username ? `${u.username}@` : ''}${u.host}${u.pathname}`
}
