/**
 * Copies a SQLite data directory's database into an empty PostgreSQL database: an organisation
 * that started on one machine and outgrew it (`tessera db copy-to-postgres`).
 *
 * All or nothing: the whole copy, and the checks after it, run in ONE PostgreSQL transaction. If
 * anything fails (a row PostgreSQL refuses, a lost connection, a check that does not add up) it
 * rolls back and the target is left exactly as empty as it was. SQLite is read inside one read
 * transaction too, so the copy is of one moment even if the app writes meanwhile. (PostgreSQL
 * never rolls back a sequence: after a failed copy the identity sequences may stand past ids
 * that were never kept, which is harmless, ids only need to be unique.)
 *
 * How, and why (measured on a 2-core machine, see bench/copy-to-postgres.ts):
 * - Tables in dependency order, each read in primary-key order with an iterator (never a whole
 *   table in memory), sent in batches of 5,000 rows as `INSERT ... SELECT * FROM unnest($1::t[],
 *   ...)`; the next batch is read from SQLite while PostgreSQL writes the previous one.
 * - The target's own triggers are paused for the copy (`DISABLE TRIGGER USER`, inside the
 *   transaction, so a rollback undoes it too). Fired per row within one transaction they rewrite
 *   the same few rows again and again (the count row of a role, a request's recipient count):
 *   1,058 users/s and 192 second factors/s, slower the longer it runs, against 15,000 and 80,000
 *   without them. The columns they maintain (a user's method, lock, open requests; a request's
 *   recipient count) are copied as SQLite holds them, and `user_counts` is counted from the
 *   copied users; both are checked against SQLite before commit. Pausing triggers needs the
 *   role that owns the tables (the one that created them): another is refused with that reason.
 * - Foreign keys and secondary indexes (those not behind a primary key or unique constraint) are
 *   dropped for the copy and made again from their own definitions afterwards, still inside the
 *   transaction: each key then checks all its rows in one pass instead of one lookup per row
 *   (900,000 recovery codes: 11 s with the key in place, 5.6 s dropped and added again), and an
 *   index is built sorted instead of row by row (1,000,000 users: 82 s instead of 118 s).
 * - Integers are read exactly (`safeIntegers`), blobs as bytes, text as text: the audit log's
 *   rows arrive byte for byte, so its chain verifies on PostgreSQL with the same data key.
 * - Identity sequences are moved past the copied ids; `audit_head` is set to the last audit row.
 * - A SQLite table this copy does not know, or a column only one side has, is refused before
 *   anything is written: a new migration says here how its table moves.
 * - Not COPY FROM STDIN: it inserts about 2.5 times faster (psql: 900,000 recovery codes in 2.2 s
 *   against 5.5 s) but `pg` has no COPY of its own (pg-copy-streams would be a new dependency),
 *   and the rows go through the store's own transaction like every other write.
 *
 * Not copied: SQLite's search index and scratch tables (users_fts*, bulk_load, import_rows), its
 * counts (user_counts: counted again), its audit head (set from the copied log), and sign-ins
 * (sessions: their secrets live only in the memory of the app that issued them).
 */
import Database, { type Statement } from 'better-sqlite3'
import pg from 'pg'
import { DomainError } from '../core/domain-error'
import { message } from '../../shared/i18n/translate'
import type { Db } from '../db/open'
import { translateError } from './postgres/errors'
import { migratePostgres } from './postgres/migrate'
import { numberParameters } from './postgres/sql'
import type { Param, Params, Queryable, Row, RunResult, Store } from './types'
import { problem } from '../../shared/validation'

/** What is copied, parents before children. */
export const COPIED_TABLES = [
  'users',
  'password_credentials',
  'policy',
  'directory_source',
  'directory_sync_state',
  'second_factors',
  'recovery_codes',
  'email_codes',
  'email_code_sends',
  'access_codes',
  'enrolment_tokens',
  'failure_counters',
  'reset_requests',
  'reset_request_recipients',
  'oath_tokens',
  'webauthn_credentials',
  'audit_log',
  'audit_checkpoint',
  // The data key's fingerprint: the seats on PostgreSQL must hold the same key.
  'data_key_check'
] as const

/** SQLite tables left behind on purpose, and why. */
const LEFT_BEHIND: Record<string, string> = {
  user_counts: 'counted again from the copied users',
  audit_head: 'set from the copied log\'s last row',
  sessions: 'sign-ins do not move: everyone signs in again',
  bulk_load: 'a marker of a running import',
  import_rows: 'scratch rows of a running import',
  jobs: 'the record of the jobs this machine ran (a running one is finished or rolled back at its next start)',
  job_ranges: 'part of a job\'s record',
  job_items: 'part of a job\'s record',
  import_scratch: 'which import the scratch rows belong to',
  directory_seen: 'scratch rows of a running directory sync'
}
const leftBehind = (name: string) => name in LEFT_BEHIND || name.startsWith('users_fts') || name.startsWith('sqlite_')

/** Rows per INSERT. */
const BATCH_ROWS = 5_000
/** How long to wait for a lock another connection (a seat) holds on the target before giving up. */
const LOCK_TIMEOUT = '10s'

export type CopyProgress =
  | { phase: 'copy'; table: string; tableRows: number; tableTotal: number; rows: number; total: number }
  | { phase: 'rebuild'; table: string }
  | { phase: 'check' }

export type CopyReport = {
  tables: { name: string; rows: number; ms: number }[]
  /** The last audit row, now `audit_head` on PostgreSQL. */
  auditHead: { id: number; hash: string } | null
  /** What was checked before commit, one sentence each. */
  checks: string[]
  /** Time spent rebuilding indexes and keys, counting and checking after the rows were in. */
  finishMs: number
}

export type CopyOptions = {
  /** Runs inside the transaction after the built-in checks: throw to roll everything back; a returned sentence joins `checks`. */
  beforeCommit?: (q: Queryable) => Promise<string | void>
  batchRows?: number
}

type Column = { name: string; type: string }
type Plan = { name: string; columns: Column[]; order: string; rows: number }

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`
/** A whole column as one parameter: the store's parameter type has no arrays, the driver sends them as PostgreSQL arrays. */
const asParam = (values: unknown[]) => values as unknown as Param

/**
 * Copies everything; returns what was copied and checked. Refuses (DATABASE_NOT_EMPTY) a target
 * that already holds any Tessera row. `target` is an open PostgreSQL store, or a pool (migrated here).
 */
export async function copyToPostgres(sqlite: Db, target: Store | pg.Pool, onProgress: (p: CopyProgress) => void = () => {}, options: CopyOptions = {}): Promise<CopyReport> {
  if ('kind' in target && target.kind !== 'postgres') throw new Error('copyToPostgres copies into PostgreSQL: the target is a SQLite store')
  if (sqlite.inTransaction) throw new Error('copyToPostgres reads SQLite in a transaction of its own: call it outside one')
  sqlite.exec('BEGIN')
  try {
    const plans = planSqlite(sqlite)
    return await inOneTransaction(target, (q) => copyAll(sqlite, q, plans, onProgress, options))
  } finally {
    if (sqlite.inTransaction) sqlite.exec('COMMIT')
  }
}

async function copyAll(sqlite: Db, q: Queryable, plans: Plan[], onProgress: (p: CopyProgress) => void, options: CopyOptions): Promise<CopyReport> {
  await claimEmptyTarget(q)
  for (const p of plans) p.columns = await matchColumns(q, p)
  const rebuilt = await pauseTarget(q)
  const total = plans.reduce((n, p) => n + p.rows, 0)
  const tables: CopyReport['tables'] = []
  let rows = 0
  for (const plan of plans) {
    const t0 = performance.now()
    await copyTable(sqlite, q, plan, options.batchRows ?? BATCH_ROWS, (tableRows) => onProgress({ phase: 'copy', table: plan.name, tableRows, tableTotal: plan.rows, rows: rows + tableRows, total }))
    rows += plan.rows
    tables.push({ name: plan.name, rows: plan.rows, ms: performance.now() - t0 })
  }
  const t0 = performance.now()
  await resumeTarget(q, rebuilt, onProgress)
  onProgress({ phase: 'check' })
  const { checks, auditHead } = await checkCopy(sqlite, q, plans)
  const extra = await options.beforeCommit?.(q)
  if (extra) checks.push(extra)
  return { tables, auditHead, checks, finishMs: performance.now() - t0 }
}

/** SQLite's tables in copy order with their row counts; refuses a table this copy does not know. */
function planSqlite(db: Db): Plan[] {
  const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name)
  const unknown = tables.filter((t) => !(COPIED_TABLES as readonly string[]).includes(t) && !leftBehind(t))
  if (unknown.length) throw new Error(`the SQLite database has tables this version cannot copy: ${unknown.join(', ')}`)
  return COPIED_TABLES.map((name) => {
    if (!tables.includes(name)) throw new Error(`the SQLite database has no table ${name}`)
    const info = db.prepare(`SELECT name, pk, hidden FROM pragma_table_xinfo(?)`).all(name) as { name: string; pk: number; hidden: number }[]
    const keys = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => ident(c.name))
    const rows = Number((db.prepare(`SELECT count(*) AS n FROM ${ident(name)}`).get() as { n: number }).n)
    // Generated columns (hidden 2 and 3) are computed again by PostgreSQL's schema.
    const columns = info.filter((c) => c.hidden === 0).map((c) => ({ name: c.name, type: '' }))
    return { name, columns, order: keys.length ? keys.join(', ') : 'rowid', rows }
  })
}

/** PostgreSQL's type for each of SQLite's columns; the two schemas must have the same columns. */
async function matchColumns(q: Queryable, plan: Plan): Promise<Column[]> {
  const pgColumns = await q.all<{ name: string; type: string; generated: boolean }>(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type, attgenerated <> '' AS generated
       FROM pg_attribute WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [plan.name]
  )
  if (pgColumns.length === 0) throw new Error(`the PostgreSQL database has no table ${plan.name}`)
  const writable = pgColumns.filter((c) => !c.generated)
  const mine = new Set(plan.columns.map((c) => c.name))
  const missing = plan.columns.filter((c) => !writable.some((w) => w.name === c.name)).map((c) => c.name)
  const extra = writable.filter((w) => !mine.has(w.name)).map((w) => w.name)
  if (missing.length || extra.length) {
    throw new Error(`the table ${plan.name} differs between SQLite and PostgreSQL (${[...missing.map((m) => `only SQLite has ${m}`), ...extra.map((e) => `only PostgreSQL has ${e}`)].join(', ')})`)
  }
  return writable.map((w) => ({ name: w.name, type: w.type }))
}

/** Locks every table the copy writes and refuses a target that already holds a row. */
async function claimEmptyTarget(q: Queryable): Promise<void> {
  await q.run(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`)
  const all = [...COPIED_TABLES, 'audit_head', 'user_counts']
  try {
    await q.run(`LOCK TABLE ${all.map(ident).join(', ')} IN ACCESS EXCLUSIVE MODE`)
  } catch (error) {
    throw lockProblem(error) ?? error
  }
  const held: string[] = []
  for (const t of all) {
    const row = await q.get<{ e: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${ident(t)}) AS e`)
    if (row?.e) held.push(t)
  }
  if (held.length) {
    throw new DomainError('DATABASE_NOT_EMPTY', message('staffRefusals.databaseNotEmpty', { tables: held.join(', ') }))
  }
}

const sqlState = (error: unknown) => (typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '')

function lockProblem(error: unknown): DomainError | null {
  if (sqlState(error) === '55P03') return new DomainError('UNAVAILABLE', message('staffRefusals.databaseInUse'))
  if (sqlState(error) === '42501') return new DomainError('FORBIDDEN', message('staffRefusals.roleNotOwner'))
  return null
}

/** Something dropped for the copy and made again from its own definition afterwards. */
type Rebuilt = { table: string; drop: string; create: string }

/**
 * Pauses the triggers; drops the foreign keys and the secondary indexes (those not behind a
 * primary key or unique constraint) of every copied table. Returns how to make them again.
 */
async function pauseTarget(q: Queryable): Promise<Rebuilt[]> {
  const rebuilt: Rebuilt[] = []
  for (const t of COPIED_TABLES) {
    try {
      await q.run(`ALTER TABLE ${ident(t)} DISABLE TRIGGER USER`)
    } catch (error) {
      throw lockProblem(error) ?? error
    }
    const keys = await q.all<{ name: string; definition: string }>("SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = to_regclass(?) AND contype = 'f' ORDER BY 1", [t])
    for (const k of keys) rebuilt.push({ table: t, drop: `ALTER TABLE ${ident(t)} DROP CONSTRAINT ${ident(k.name)}`, create: `ALTER TABLE ${ident(t)} ADD CONSTRAINT ${ident(k.name)} ${k.definition}` })
    const indexes = await q.all<{ name: string; definition: string }>(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition FROM pg_index i
        WHERE i.indrelid = to_regclass(?) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
        ORDER BY 1`,
      [t]
    )
    for (const i of indexes) rebuilt.push({ table: t, drop: `DROP INDEX ${i.name}`, create: i.definition })
  }
  for (const r of rebuilt) await q.run(r.drop)
  return rebuilt
}

/**
 * Makes the indexes and foreign keys again (each key checks every copied row in one pass), counts
 * users, sets the audit head and the sequences, and resumes the triggers.
 */
async function resumeTarget(q: Queryable, rebuilt: Rebuilt[], onProgress: (p: CopyProgress) => void): Promise<void> {
  await q.run("SET LOCAL maintenance_work_mem = '256MB'")
  for (const t of COPIED_TABLES) {
    const own = rebuilt.filter((r) => r.table === t)
    if (own.length) onProgress({ phase: 'rebuild', table: t })
    for (const r of own) await q.run(r.create)
  }
  await q.run('INSERT INTO user_counts (role, status, source, stripe, n) SELECT role, status, source, 0, count(*) FROM users GROUP BY role, status, source')
  await q.run('INSERT INTO audit_head (one, id, hash) SELECT 1, id, hash FROM audit_log ORDER BY id DESC LIMIT 1')
  const identities = await q.all<{ table: string; column: string }>(
    `SELECT c.relname AS "table", a.attname AS "column" FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE a.attidentity <> '' AND c.relname = ANY (?::text[]) AND c.relnamespace = to_regnamespace(current_schema()) ORDER BY 1`,
    [asParam([...COPIED_TABLES])]
  )
  for (const { table, column } of identities) {
    await q.get(`SELECT setval(pg_get_serial_sequence(?, ?), coalesce(max(${ident(column)}), 0) + 1, false) FROM ${ident(table)}`, [table, column])
  }
  for (const t of COPIED_TABLES) await q.run(`ALTER TABLE ${ident(t)} ENABLE TRIGGER USER`)
  // The planner's statistics for the new sizes, so the seats' first queries are planned on them.
  await q.run(`ANALYZE ${COPIED_TABLES.map(ident).join(', ')}`)
}

/** Uncached and private: `raw` and `safeIntegers` change a statement, so never one the engine's cache hands out. */
const prepareOwn = (db: Db, sql: string) => Database.prototype.prepare.call(db, sql) as Statement<unknown[]>

/** One table, in primary-key order, in batches: the next batch is read while the previous one is written. */
async function copyTable(db: Db, q: Queryable, plan: Plan, batchRows: number, progress: (rows: number) => void): Promise<void> {
  if (plan.rows === 0) return
  const names = plan.columns.map((c) => ident(c.name)).join(', ')
  const insert = `INSERT INTO ${ident(plan.name)} (${names}) SELECT * FROM unnest(${plan.columns.map((c) => `?::${c.type}[]`).join(', ')})`
  const rows = prepareOwn(db, `SELECT ${names} FROM ${ident(plan.name)} ORDER BY ${plan.order}`).raw(true).safeIntegers(true).iterate() as IterableIterator<unknown[]>
  let pending: Promise<RunResult> | null = null
  let sent = 0
  try {
    for (;;) {
      const columns = plan.columns.map((): unknown[] => [])
      for (let n = 0; n < batchRows; n++) {
        const next = rows.next()
        if (next.done) break
        for (let i = 0; i < columns.length; i++) columns[i]!.push(next.value[i])
      }
      if (pending) await pending
      progress(sent)
      const size = columns[0]!.length
      if (size === 0) break
      pending = q.run(insert, columns.map(asParam))
      sent += size
    }
  } finally {
    rows.return?.()
    // A batch still in flight when reading failed: its own failure is not the one to report.
    pending?.catch(() => {})
  }
  if (sent !== plan.rows) throw new Error(`${plan.name}: read ${sent} rows from SQLite, expected ${plan.rows}`)
}

type Checked = { checks: string[]; auditHead: { id: number; hash: string } | null }

/** Everything that must add up before commit; throws (rolling back) when something does not. */
async function checkCopy(db: Db, q: Queryable, plans: Plan[]): Promise<Checked> {
  const wrong: string[] = []
  for (const p of plans) {
    const n = Number((await q.get<{ n: number | string }>(`SELECT count(*) AS n FROM ${ident(p.name)}`))?.n)
    if (n !== p.rows) wrong.push(`${p.name} has ${n} rows on PostgreSQL, ${p.rows} on SQLite`)
  }
  const sqliteHead = (db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined) ?? null
  const pgHead = (await q.get<{ id: number | string; hash: string }>('SELECT id, hash FROM audit_head')) ?? null
  const pgLast = (await q.get<{ id: number | string; hash: string }>('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1')) ?? null
  const same = (a: { id: number | string; hash: string } | null, b: { id: number | string; hash: string } | null) => (a === null ? b === null : b !== null && Number(a.id) === Number(b.id) && a.hash === b.hash)
  if (!same(sqliteHead, pgHead) || !same(sqliteHead, pgLast)) wrong.push('the audit head is not the last row copied')
  const counts = await sameAnswers(db, q, [
    [
      'SELECT role, status, source, n FROM user_counts WHERE n <> 0 ORDER BY role, status, source',
      'SELECT role, status, source, sum(n) AS n FROM user_counts GROUP BY role, status, source HAVING sum(n) <> 0 ORDER BY role, status, source'
    ],
    MIRRORS,
    REQUEST_MIRRORS
  ])
  if (counts) wrong.push(counts)
  if (wrong.length) throw new Error(`the copy does not match SQLite, nothing was kept: ${wrong.join('; ')}`)
  const rows = plans.reduce((n, p) => n + p.rows, 0)
  return {
    auditHead: sqliteHead ? { id: Number(sqliteHead.id), hash: sqliteHead.hash } : null,
    // Messages, worded where the report is read.
    checks: [
      problem('cli.copy.check.rowCounts', { tables: plans.length, rows }),
      sqliteHead ? problem('cli.copy.check.auditHead', { row: Number(sqliteHead.id) }) : problem('cli.copy.check.noAuditRows'),
      problem('cli.copy.check.userCounts'),
      problem('cli.copy.check.mirrors')
    ]
  }
}

/** A user's mirrored columns and a request's recipient count, summed: the same SQL on both databases. */
const MIRRORS = 'SELECT count(method) AS methods, count(locked_until) AS locks, coalesce(sum(locked_until), 0) AS until, coalesce(sum(open_requests), 0) AS open FROM users'
const REQUEST_MIRRORS = 'SELECT count(*) AS requests, coalesce(sum(recipient_count), 0) AS recipients FROM reset_requests'

/** The first pair whose answers differ, as a sentence; null when all agree. */
async function sameAnswers(db: Db, q: Queryable, queries: (string | [sqlite: string, postgres: string])[]): Promise<string | null> {
  const norm = (rows: Row[]) => JSON.stringify(rows.map((r) => Object.values(r).map((v) => (typeof v === 'bigint' || typeof v === 'number' || (typeof v === 'string' && /^-?\d+$/.test(v)) ? String(v) : v))))
  for (const query of queries) {
    const [onSqlite, onPostgres] = typeof query === 'string' ? [query, query] : query
    const a = norm(prepareOwn(db, onSqlite).safeIntegers(true).all() as Row[])
    const b = norm(await q.all(onPostgres))
    if (a !== b) return `${onPostgres} gives ${b} on PostgreSQL, ${a} on SQLite`
  }
  return null
}

/** int8 as JavaScript numbers on a pool's client, as the store reads them (ids and times stay below 2^53). */
const INT8_OID = 20
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser
}

/** Runs `body` in one transaction on the target: a store's own, or one client of a pool. */
async function inOneTransaction<T>(target: Store | pg.Pool, body: (q: Queryable) => Promise<T>): Promise<T> {
  if ('kind' in target) return target.transaction(() => body(target))
  try {
    await migratePostgres(target)
  } catch (error) {
    throw translateError(error)
  }
  const client = await target.connect().catch((error: unknown) => Promise.reject(translateError(error)))
  const send = async (sql: string, params: Params = []) => {
    try {
      return await client.query({ text: numberParameters(sql), values: params as unknown[], types })
    } catch (error) {
      throw translateError(error)
    }
  }
  const q: Queryable = {
    get: async <R>(sql: string, params?: Params) => (await send(sql, params)).rows[0] as R | undefined,
    all: async <R>(sql: string, params?: Params) => (await send(sql, params)).rows as R[],
    run: async (sql: string, params?: Params) => ({ changes: (await send(sql, params)).rowCount ?? 0 })
  }
  let broken: Error | undefined
  try {
    await send('BEGIN')
    const out = await body(q)
    await send('COMMIT')
    return out
  } catch (error) {
    await client.query('ROLLBACK').catch((e: unknown) => (broken = e instanceof Error ? e : new Error(String(e))))
    throw error
  } finally {
    client.release(broken)
  }
}
