/** CLI commands about the database itself: moving a SQLite directory into PostgreSQL. */
import { existsSync } from 'node:fs'
import { verifyAudit, verifyAuditFrom } from '../core/audit'
import { DomainError } from '../core/domain-error'
import { createEngine, type Engine } from '../core/engine'
import { databaseFile } from '../data-dir'
import { databaseTarget, shownAddress, type DatabaseTarget } from '../database-target'
import { copyToPostgres, type CopyProgress, type CopyReport } from '../store/copy-to-postgres'
import { openPostgresStore } from '../store/postgres'
import type { Queryable, Store } from '../store/types'
import { cliOperator, command, plural, readableFile, tellRecovered, UsageError, type Command } from './args'

/** Each copied table in words, for the summary: [one, many]. */
const NOUNS: Record<string, [string, string?]> = {
  users: ['user'],
  password_credentials: ['password'],
  policy: ['policy', 'policies'],
  second_factors: ['second factor'],
  recovery_codes: ['recovery code'],
  email_codes: ['e-mail code'],
  email_code_sends: ['e-mail code sent', 'e-mail codes sent'],
  access_codes: ['access code'],
  enrolment_tokens: ['enrolment link', 'enrolment links'],
  failure_counters: ['failure counter'],
  reset_requests: ['help-desk request'],
  reset_request_recipients: ['request recipient'],
  oath_tokens: ['hardware token'],
  webauthn_credentials: ['security key'],
  audit_log: ['audit row'],
  audit_checkpoint: ['audit checkpoint'],
  data_key_check: ['data key fingerprint']
}

export type CopyEvent = CopyProgress | { phase: 'audit'; rows: number; total: number }

/**
 * Copies the engine's SQLite database into `store` (an empty PostgreSQL database) and, before
 * committing, walks the copied audit chain with the real verifier: every row's signature under
 * this directory's data key and the anchor file. A chain that was already broken on SQLite is
 * copied as it is (and said so); one that breaks only in the copy rolls everything back.
 */
export async function copyDataDirectory(engine: Engine, store: Store, onEvent: (e: CopyEvent) => void = () => {}): Promise<CopyReport> {
  if (engine.store.kind !== 'sqlite') throw new DomainError('UNAVAILABLE', 'This data directory already uses PostgreSQL: there is no SQLite database to copy.')
  const beforeCommit = async (q: Queryable): Promise<string> => {
    const total = Number((await q.get<{ n: number }>('SELECT count(*) AS n FROM audit_log'))?.n ?? 0)
    const onPostgres = await verifyAuditFrom(q, engine.sealer, engine.anchor, null, async (w) => onEvent({ phase: 'audit', rows: w.rows, total }))
    if (onPostgres.ok) return `the audit chain verifies on PostgreSQL (${plural(onPostgres.rows, 'row')}: order, signatures, anchor)`
    const onSqlite = await verifyAudit(engine.store, engine.sealer, engine.anchor)
    if (!onSqlite.ok && onSqlite.brokenAt === onPostgres.brokenAt && onSqlite.problem === onPostgres.problem) {
      return `the audit chain was already broken on SQLite and is copied as it was: ${onPostgres.problem}`
    }
    throw new Error(`the copied audit chain does not verify (${onPostgres.problem}) although the original does: nothing was kept`)
  }
  return copyToPostgres(engine.db, store, onEvent, { beforeCommit })
}

/** A line about where the copy is, for standard error. */
export function progressLine(e: CopyEvent): string {
  const pct = (done: number, all: number) => `${all ? Math.floor((done / all) * 100) : 100}%`
  switch (e.phase) {
    case 'copy':
      return `copying ${e.table}: ${e.tableRows.toLocaleString('en')} of ${plural(e.tableTotal, 'row')} (${e.rows.toLocaleString('en')} of ${e.total.toLocaleString('en')} in all, ${pct(e.rows, e.total)})`
    case 'rebuild':
      return `building the indexes and keys of ${e.table}`
    case 'check':
      return 'checking the copy against SQLite'
    case 'audit':
      return `verifying the copied audit chain: ${e.rows.toLocaleString('en')} of ${plural(e.total, 'row')} (${pct(e.rows, e.total)})`
  }
}

/** Calls `print` at most once per `everyMs`. */
function throttled(print: (line: string) => void, everyMs = 1_000): (line: string) => void {
  let last = -Infinity
  return (line) => {
    const now = performance.now()
    if (now - last < everyMs) return
    last = now
    print(line)
  }
}

/**
 * The database to copy into, checked before anything is opened: given on the command line (never
 * the seat's or the environment's, which name the database a seat works on), without a password.
 */
function copyTarget(url: string | undefined, passwordFile: string | undefined): DatabaseTarget {
  if (!url) throw new UsageError('give the PostgreSQL database to copy into with --database-url postgres://USER@HOST:PORT/DATABASE')
  if (passwordFile !== undefined) readableFile(passwordFile)
  try {
    // With a URL given, the data directory (where a seat's settings would be) is not read.
    return databaseTarget('', { url, passwordFile })!
  } catch (error) {
    if (error instanceof DomainError && error.code === 'INVALID_INPUT') throw new UsageError(error.message)
    throw error
  }
}

async function openTarget(target: DatabaseTarget): Promise<Store> {
  try {
    return await openPostgresStore({ ...target, maxConnections: 2 })
  } catch (error) {
    if (error instanceof DomainError && error.code === 'DATABASE_UNAVAILABLE') throw new DomainError('DATABASE_UNAVAILABLE', `cannot reach the PostgreSQL server of ${shownAddress(target.url)}`)
    throw error
  }
}

/** This data directory's own SQLite database, whatever database the CLI's options name for seats. */
async function sqliteEngine(dataDir: string): Promise<Engine> {
  const missing = new DomainError('NOT_INITIALIZED', `no Tessera database in ${dataDir}: there is nothing to copy`)
  if (!existsSync(databaseFile(dataDir))) throw missing
  const engine = await createEngine({ databaseFile: databaseFile(dataDir), dataDir, operator: cliOperator() })
  if (await engine.accounts.isInitialized()) return engine
  await engine.close()
  throw missing
}

function summary(report: CopyReport, to: string, ms: number): string[] {
  const counts = report.tables.filter((t) => t.rows > 0 || t.name === 'users' || t.name === 'audit_log').map((t) => plural(t.rows, ...(NOUNS[t.name] ?? [t.name])))
  return [
    `copied ${counts.join(', ')} to ${to} in ${(ms / 1000).toFixed(1)} s`,
    `verified: ${report.checks.join('; ')}`,
    'the seats need this directory\'s data key: tessera seat export-key --out FILE'
  ]
}

const copyToPostgresCommand = command({
  name: 'db copy-to-postgres',
  usage: '--database-url URL [--database-password-file FILE]',
  summary: 'copy this data directory\'s database into a new, empty PostgreSQL database',
  details: [
    'Copies users, passwords, second factors, codes, requests, the policy, tokens, security keys and',
    'the audit log (its chain unchanged: it verifies there with this directory\'s data key), in one',
    'transaction: it either completes and is checked, or leaves the PostgreSQL database empty.',
    'A database that already holds Tessera data is refused. Sign-ins are not copied.',
    'Stop the app first: changes made during the copy stay behind.',
    '',
    'The password is never an argument (nor in the URL): give --database-password-file FILE, or use',
    'PGPASSWORD or ~/.pgpass. Run it as the PostgreSQL role that owns (or will own) the tables.',
    '',
    'example: tessera db copy-to-postgres --database-url postgres://tessera@db.example.org/tessera --database-password-file pg.pass'
  ],
  options: {
    'database-url': { type: 'string', value: 'URL', help: 'the empty database: postgres://USER@HOST:PORT/DATABASE' },
    'database-password-file': { type: 'string', value: 'FILE', help: 'a file holding its password' }
  },
  positionals: 0,
  prepare({ values }, io) {
    const target = copyTarget(values['database-url'], values['database-password-file'])
    const progress = throttled((line) => io.err(line))
    return {
      // Not the engine the CLI would open: with --database-url that would be the (empty) target.
      async withoutEngine(dataDir) {
        const engine = await sqliteEngine(dataDir)
        tellRecovered(engine, io)
        try {
          const t0 = performance.now()
          const store = await openTarget(target)
          try {
            const report = await copyDataDirectory(engine, store, (e) => progress(progressLine(e)))
            for (const line of summary(report, shownAddress(target.url), performance.now() - t0)) io.out(line)
            return 0
          } finally {
            await store.close()
          }
        } finally {
          await engine.close()
        }
      }
    }
  }
})

export const dbCommands: Command[] = [copyToPostgresCommand]
