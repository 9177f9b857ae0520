/**
 * `npx tsx bench/copy-to-postgres.ts [USERS] [--dir DATA_DIR] [--url POSTGRES_URL]` (default
 * 100,000 users): times `tessera db copy-to-postgres` (the command's own copy and checks, the
 * audit chain's verification included) and prints rows per second per table and the total.
 *
 * - `--dir`: an existing data directory (e.g. `.bench-data/scale-1000000-5000000` that
 *   `npm run bench` builds); it is only read. Without it, a directory of USERS users is built once
 *   (cached in .bench-data/copy-USERS): the CSV import and the audit writer of the engine, as
 *   `npm run bench` builds its data, then, in bulk, what a year of use leaves: a password for
 *   everyone, an authenticator app with 10 recovery codes for 80%, e-mail for 10%, locked
 *   accounts, open requests to all staff, and 5 audit rows per user.
 * - `--url`: an empty PostgreSQL database. Without it, a throwaway server is started (Debian's
 *   binaries, as the tests do), used and removed.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { copyDataDirectory, progressLine, type CopyEvent } from '../src/main/cli/db'
import type { AuditEntry } from '../src/main/core/audit'
import { createEngine, type Engine } from '../src/main/core/engine'
import { unattended } from '../src/main/core/jobs'
import { openPostgresStore } from '../src/main/store/postgres'
import { translator } from '../src/shared/i18n/translate'
import { startPostgres, stopAndRemove, type TestPostgres } from '../tests/helpers/postgres'
import { usersCsv } from './users-csv'

const { values, positionals } = parseArgs({ options: { dir: { type: 'string' }, url: { type: 'string' } }, allowPositionals: true })
const USERS = Number(positionals[0] ?? 100_000)
const AUDIT_PER_USER = 5
const ADMIN = { username: 'benchadmin', email: 'benchadmin@example.org', displayName: 'Bench Admin', password: 'analytical engine notes' }
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** Builds the data directory in a temporary folder, renamed when complete. */
async function build(dir: string): Promise<void> {
  const tmp = `${dir}.building`
  rmSync(tmp, { recursive: true, force: true })
  mkdirSync(tmp, { recursive: true })
  const engine = await createEngine({ databaseFile: join(tmp, 'tessera.db'), dataDir: tmp })
  let t0 = performance.now()
  const admin = await engine.accounts.createFirstAdmin(ADMIN)
  const report = await engine.directory.importFrom(admin, { text: usersCsv(USERS) }, 'bench', unattended())
  if (!report.ok) throw new Error(`import refused: ${JSON.stringify(report.refused[0])}`)
  console.log(`built: imported ${USERS.toLocaleString('en')} users in ${s(performance.now() - t0)}`)
  t0 = performance.now()
  fillInBulk(engine)
  console.log(`built: passwords, second factors, recovery codes, locks and requests in ${s(performance.now() - t0)}`)
  t0 = performance.now()
  await auditRows(engine, USERS * AUDIT_PER_USER)
  console.log(`built: audit log to ${(USERS * AUDIT_PER_USER).toLocaleString('en')} rows in ${s(performance.now() - t0)}`)
  await engine.close()
  renameSync(tmp, dir)
}

/** What a year of use leaves, written straight into SQLite (its triggers keep the mirrors and counts). */
function fillInBulk(engine: Engine): void {
  const db = engine.db
  const now = Date.now()
  db.transaction(() => {
    db.prepare("INSERT INTO password_credentials (user_id, phc, changed_at) SELECT id, '$scrypt$ln=17,r=8,p=1$' || lower(hex(randomblob(16))) || '$' || lower(hex(randomblob(32))), ? FROM users WHERE id NOT IN (SELECT user_id FROM password_credentials)").run(now)
    db.prepare("INSERT INTO second_factors (user_id, method, state, secret, last_step, started_at, activated_at) SELECT id, 'totp', 'active', randomblob(61), ?, ?, ? FROM users WHERE id % 10 < 8 AND id > 1").run(Math.floor(now / 30_000), now, now)
    db.prepare("INSERT INTO second_factors (user_id, method, state, started_at, activated_at) SELECT id, 'email', 'active', ?, ? FROM users WHERE id % 10 = 8").run(now, now)
    db.prepare(`WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 10)
      INSERT INTO recovery_codes (user_id, code_hash, created_at, used_at) SELECT f.user_id, lower(hex(randomblob(32))), ?, CASE WHEN k.n = 1 AND f.user_id % 3 = 0 THEN ? END FROM second_factors f CROSS JOIN k ORDER BY f.user_id, k.n`).run(now, now)
    db.prepare("INSERT INTO failure_counters (scope, subject, factor, failures, locks, locked_until, last_failure_at) SELECT 'account', CAST(id AS TEXT), 'second-factor', 5, 1, ?, ? FROM users WHERE id % 997 = 0").run(now + 3_600_000, now)
    db.prepare("INSERT INTO failure_counters (scope, subject, factor, failures, last_failure_at) SELECT 'workstation', 'kiosk-' || (id % 40), 'password', 2, ? FROM users WHERE id <= 40").run(now)
    db.prepare("INSERT INTO reset_requests (user_id, created_at, workstation, message, to_all, status) SELECT id, ?, 'kiosk-1', 'lost my phone', 1, 'open' FROM users WHERE id % 5003 = 0").run(now)
    db.prepare("INSERT INTO reset_request_recipients (request_id, user_id) SELECT r.id, u.id FROM reset_requests r CROSS JOIN users u WHERE u.role IN ('helpdesk', 'admin')").run()
  })()
}

/** Audit rows from the engine's own writer (the chain signed with the data key), as logins leave them. */
async function auditRows(engine: Engine, upTo: number): Promise<void> {
  const events = ['login.succeeded', 'login.password-failed', 'login.second-factor-failed', 'logout', 'session.expired'] as const
  const have = (engine.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n
  for (let done = have; done < upTo; ) {
    const n = Math.min(10_000, upTo - done)
    const entries: AuditEntry[] = Array.from({ length: n }, (_, k) => {
      const i = (done + k) % USERS
      return { event: events[(done + k) % events.length]!, subject: { id: i + 2, username: `user${i}` }, workstation: `kiosk-${i % 40}`, details: { method: 'totp' } }
    })
    await engine.store.transaction(() => engine.audit.recordMany(entries))
    done += n
  }
}

/** An empty database on the server given, or on a throwaway one. */
async function targetDatabase(): Promise<{ url: string; server: TestPostgres | null }> {
  if (values.url) return { url: values.url, server: null }
  const server = await startPostgres()
  const admin = new pg.Client({ connectionString: server.url })
  await admin.connect()
  await admin.query('CREATE DATABASE bench_copy')
  await admin.end()
  return { url: server.url.replace(/\/postgres$/, '/bench_copy'), server }
}

/** Times each phase of the copy from its progress events, printing a line about every 5 s. */
function phaseTimer() {
  const phases: [string, number][] = []
  let lastLine = 0
  return {
    phases,
    onEvent(e: CopyEvent) {
      const name = e.phase === 'copy' ? 'copy' : e.phase === 'rebuild' ? 'indexes, keys, ANALYZE' : e.phase === 'check' ? 'checks against SQLite' : 'audit chain verified'
      if (phases.at(-1)?.[0] !== name) phases.push([name, performance.now()])
      if (performance.now() - lastLine > 5_000) {
        lastLine = performance.now()
        console.log(`  ${progressLine(e, translator('en'))}`)
      }
    }
  }
}

async function run(): Promise<void> {
  const dir = values.dir ? resolve(values.dir) : resolve('.bench-data', `copy-${USERS}`)
  if (!values.dir && !existsSync(dir)) await build(dir)
  const { url, server } = await targetDatabase()
  const engine = await createEngine({ databaseFile: join(dir, 'tessera.db'), dataDir: dir })
  const store = await openPostgresStore({ url, maxConnections: 2 })
  try {
    console.log(`data: ${dir}; machine: ${cpus().length} x ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}`)
    const timer = phaseTimer()
    const t0 = performance.now()
    const report = await copyDataDirectory(engine, store, timer.onEvent)
    const total = performance.now() - t0
    for (const t of report.tables) {
      const rate = t.ms > 0 ? Math.round(t.rows / (t.ms / 1000)).toLocaleString('en') : '-'
      console.log(`${t.name.padEnd(26)} ${t.rows.toLocaleString('en').padStart(12)} rows ${s(t.ms).padStart(9)} ${rate.padStart(10)} rows/s`)
    }
    const ends = [...timer.phases.slice(1).map(([, at]) => at), t0 + total]
    for (const [i, [name, at]] of timer.phases.entries()) if (name !== 'copy') console.log(`${name.padEnd(26)} ${s(ends[i]! - at).padStart(32)}`)
    const rows = report.tables.reduce((n, t) => n + t.rows, 0)
    console.log(`total: ${rows.toLocaleString('en')} rows in ${s(total)} (${Math.round(rows / (total / 1000)).toLocaleString('en')} rows/s), commit included`)
    for (const c of report.checks) console.log(`  verified: ${c}`)
  } finally {
    await store.close()
    await engine.close()
    if (server) stopAndRemove(server)
  }
}

await run()
