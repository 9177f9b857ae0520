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
import { message, translator, type Translator } from '../../shared/i18n/translate'
import { cliOperator, command, readableFile, tellRecovered, UsageError, type Command } from './args'

type TableWords = 'cli.copy.table.users' | 'cli.copy.table.passwords' | 'cli.copy.table.policy' | 'cli.copy.table.secondFactors' | 'cli.copy.table.recoveryCodes' | 'cli.copy.table.emailCodes'
  | 'cli.copy.table.emailCodeSends' | 'cli.copy.table.accessCodes' | 'cli.copy.table.enrolmentTokens' | 'cli.copy.table.failureCounters' | 'cli.copy.table.resetRequests'
  | 'cli.copy.table.requestRecipients' | 'cli.copy.table.tokens' | 'cli.copy.table.securityKeys' | 'cli.copy.table.auditRows' | 'cli.copy.table.auditCheckpoints' | 'cli.copy.table.dataKeyCheck'

/** Each copied table in words, for the summary: how many of what ("3 users"). */
const NOUNS: Record<string, TableWords> = {
  users: 'cli.copy.table.users',
  password_credentials: 'cli.copy.table.passwords',
  policy: 'cli.copy.table.policy',
  second_factors: 'cli.copy.table.secondFactors',
  recovery_codes: 'cli.copy.table.recoveryCodes',
  email_codes: 'cli.copy.table.emailCodes',
  email_code_sends: 'cli.copy.table.emailCodeSends',
  access_codes: 'cli.copy.table.accessCodes',
  enrolment_tokens: 'cli.copy.table.enrolmentTokens',
  failure_counters: 'cli.copy.table.failureCounters',
  reset_requests: 'cli.copy.table.resetRequests',
  reset_request_recipients: 'cli.copy.table.requestRecipients',
  oath_tokens: 'cli.copy.table.tokens',
  webauthn_credentials: 'cli.copy.table.securityKeys',
  audit_log: 'cli.copy.table.auditRows',
  audit_checkpoint: 'cli.copy.table.auditCheckpoints',
  data_key_check: 'cli.copy.table.dataKeyCheck'
}

/** A table's rows counted in words; a table without words of its own by its name. */
function tableCount(words: Translator, table: string, count: number): string {
  const noun = NOUNS[table]
  return noun ? words.t(noun, { count }) : words.t('cli.copy.table.other', { count, table })
}

export type CopyEvent = CopyProgress | { phase: 'audit'; rows: number; total: number }

/**
 * Copies the engine's SQLite database into `store` (an empty PostgreSQL database) and, before
 * committing, walks the copied audit chain with the real verifier: every row's signature under
 * this directory's data key and the anchor file. A chain that was already broken on SQLite is
 * copied as it is (and said so); one that breaks only in the copy rolls everything back. Its own
 * checks are said in `words`' language (the copy's, from the store, in English).
 */
export async function copyDataDirectory(engine: Engine, store: Store, onEvent: (e: CopyEvent) => void = () => {}, words: Translator = translator('en')): Promise<CopyReport> {
  if (engine.store.kind !== 'sqlite') throw new DomainError('UNAVAILABLE', message('cli.copy.alreadyPostgres'))
  const beforeCommit = async (q: Queryable): Promise<string> => {
    const total = Number((await q.get<{ n: number }>('SELECT count(*) AS n FROM audit_log'))?.n ?? 0)
    const onPostgres = await verifyAuditFrom(q, engine.sealer, engine.anchor, null, async (w) => onEvent({ phase: 'audit', rows: w.rows, total }))
    if (onPostgres.ok) return words.t('cli.copy.chainVerifies', { count: onPostgres.rows })
    const onSqlite = await verifyAudit(engine.store, engine.sealer, engine.anchor)
    if (!onSqlite.ok && onSqlite.brokenAt === onPostgres.brokenAt && onSqlite.problem === onPostgres.problem) {
      return words.t('cli.copy.chainWasBroken', { problem: words.sayText(onPostgres.problem) })
    }
    throw new Error(words.t('cli.copy.chainBrokenInCopy', { problem: words.sayText(onPostgres.problem) }))
  }
  return copyToPostgres(engine.db, store, onEvent, { beforeCommit })
}

/** A line about where the copy is, for standard error. */
export function progressLine(e: CopyEvent, words: Translator): string {
  const percent = (done: number, all: number) => (all ? Math.floor((done / all) * 100) : 100)
  switch (e.phase) {
    case 'copy':
      return words.t('cli.copy.progress.copy', { table: e.table, rows: e.tableRows, total: e.tableTotal, allRows: e.rows, allTotal: e.total, percent: percent(e.rows, e.total) })
    case 'rebuild':
      return words.t('cli.copy.progress.rebuild', { table: e.table })
    case 'check':
      return words.t('cli.copy.progress.check')
    case 'audit':
      return words.t('cli.copy.progress.audit', { rows: e.rows, total: e.total, percent: percent(e.rows, e.total) })
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
  if (!url) throw new UsageError(message('cli.copy.giveDatabase'))
  if (passwordFile !== undefined) readableFile(passwordFile)
  try {
    // With a URL given, the data directory (where a seat's settings would be) is not read.
    return databaseTarget('', { url, passwordFile })!
  } catch (error) {
    if (error instanceof DomainError && error.code === 'INVALID_INPUT') throw new UsageError(error.words ?? error.message)
    throw error
  }
}

async function openTarget(target: DatabaseTarget): Promise<Store> {
  try {
    return await openPostgresStore({ ...target, maxConnections: 2 })
  } catch (error) {
    if (error instanceof DomainError && error.code === 'DATABASE_UNAVAILABLE') throw new DomainError('DATABASE_UNAVAILABLE', message('cli.copy.unreachable', { address: shownAddress(target.url) }))
    throw error
  }
}

/** This data directory's own SQLite database, whatever database the CLI's options name for seats. */
async function sqliteEngine(dataDir: string): Promise<Engine> {
  const missing = new DomainError('NOT_INITIALIZED', message('cli.copy.nothingToCopy', { dir: dataDir }))
  if (!existsSync(databaseFile(dataDir))) throw missing
  const engine = await createEngine({ databaseFile: databaseFile(dataDir), dataDir, operator: cliOperator() })
  if (await engine.accounts.isInitialized()) return engine
  await engine.close()
  throw missing
}

function summary(words: Translator, report: CopyReport, to: string, ms: number): string[] {
  const counts = report.tables.filter((t) => t.rows > 0 || t.name === 'users' || t.name === 'audit_log').map((t) => tableCount(words, t.name, t.rows))
  return [
    words.t('cli.copy.done', { counts: words.list(counts), address: to, seconds: words.t('cli.seconds', { seconds: ms / 1000 }) }),
    words.t('cli.copy.verified', { checks: report.checks.map((c) => words.sayText(c)).join('; ') }),
    words.t('cli.copy.next')
  ]
}

const copyToPostgresCommand = command({
  name: 'db copy-to-postgres',
  usage: '--database-url URL [--database-password-file FILE]',
  summary: 'cli.copy.summary',
  details: 'cli.copy.details',
  options: {
    'database-url': { type: 'string', value: 'URL', help: 'cli.copy.option.databaseUrl' },
    'database-password-file': { type: 'string', value: 'FILE', help: 'cli.copy.option.databasePasswordFile' }
  },
  positionals: 0,
  prepare({ values, words }, io) {
    const target = copyTarget(values['database-url'], values['database-password-file'])
    const progress = throttled((line) => io.err(line))
    return {
      // Not the engine the CLI would open: with --database-url that would be the (empty) target.
      async withoutEngine(dataDir) {
        const engine = await sqliteEngine(dataDir)
        tellRecovered(engine, io, words)
        try {
          const t0 = performance.now()
          const store = await openTarget(target)
          try {
            const report = await copyDataDirectory(engine, store, (e) => progress(progressLine(e, words)), words)
            for (const line of summary(words, report, shownAddress(target.url), performance.now() - t0)) io.out(line)
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
