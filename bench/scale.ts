/**
 * `npm run bench -- [USERS [AUDIT_ROWS]] [--calls]` (default 1,000,000 users and 5,000,000 audit rows).
 *
 * Builds (once; cached in .bench-data/) a data directory through the engine's own paths: the CSV
 * import (one audit row per user), users in every state (enrolled, locked, postponed, must set up,
 * disabled, with an open request), and audit rows from the engine's audit writer up to the size
 * asked. Then, through the worker boundary the app uses (EngineHost, the IPC handler table behind
 * it), it prints p50/p99/max of every console call beside the raw SQL for the same answer on the
 * same file (in this thread, and sent through the boundary), and (unless --calls) the main
 * thread's event-loop delay while 20 logins, a search typed letter by letter, a directory page
 * every 100 ms, a 100,000-row import, a users export and a full audit verify run at once.
 */
import Database from 'better-sqlite3'
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { createEngine } from '../src/main/core/engine'
import type { AuditEntry } from '../src/main/core/audit'
import { unattended } from '../src/main/core/jobs'
import { totpAt } from '../src/main/core/two-factor/totp'
import type { JobView } from '../src/shared/admin-dto'
import { startEngineHost, type EngineHost } from '../src/main/worker/engine-host'
import { cachePrepared } from '../src/main/db/open'
import { usersCsv } from './users-csv'

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const USERS = Number(args[0] ?? 1_000_000)
const AUDIT = Number(args[1] ?? 5_000_000)
/** `--calls`: the table of calls only, without the concurrent run. */
const CALLS_ONLY = process.argv.includes('--calls')
const PASSWORD = 'correct horse battery staple'
const ADMIN = { username: 'benchadmin', email: 'benchadmin@example.org', displayName: 'Bench Admin', password: 'analytical engine notes' }
const DIR = resolve('.bench-data', `scale-${USERS}-${AUDIT}`)
const WORKER = new URL('../src/main/worker/dev-worker.mjs', import.meta.url)

const ms = (t0: number) => performance.now() - t0

/** Builds the data directory through the engine, in a temporary folder renamed when complete. */
async function build(): Promise<void> {
  const tmp = `${DIR}.building`
  rmSync(tmp, { recursive: true, force: true })
  mkdirSync(tmp, { recursive: true })
  const engine = createEngine({ databaseFile: join(tmp, 'tessera.db'), dataDir: tmp })
  let t0 = performance.now()
  const admin = await engine.accounts.createFirstAdmin(ADMIN)
  const report = await engine.directory.importFrom(admin, { text: usersCsv(USERS) }, 'bench', unattended())
  if (!report.ok) throw new Error(`import refused: ${JSON.stringify(report.refused[0])}`)
  const importMs = ms(t0)
  console.log(`built: imported ${USERS.toLocaleString('en')} users through the engine in ${(importMs / 1000).toFixed(1)} s`)
  writeFileSync(join(tmp, 'bench-build.json'), JSON.stringify({ importMs, users: USERS, at: new Date().toISOString() }))
  // Users in every state, through the engine's own services.
  t0 = performance.now()
  const db = engine.db
  const user = (i: number) => db.prepare('SELECT * FROM users WHERE username = ?').get(`user${i}`) as Parameters<typeof engine.twoFactor.startEnrolment>[0]
  for (let i = 1; i < Math.min(USERS, 2_000); i += 7) {
    const u = user(i)
    const step = await engine.twoFactor.startEnrolment(u, 'totp', 'bench')
    if (step.step === 'scan') {
      const secret = new URL(step.uri).searchParams.get('secret')!
      engine.twoFactor.confirmEnrolment(u, totpAt(secret, Date.now()), 'bench')
      engine.twoFactor.completeEnrolment(u, 'bench')
    }
  }
  for (let i = 3; i < Math.min(USERS, 2_000); i += 50) engine.helpdesk.fileRequest(user(i), 'all', 'lost my phone', 'kiosk-1')
  db.prepare("UPDATE users SET must_enrol = 1 WHERE id % 11 = 0 AND role = 'user'").run()
  db.prepare("UPDATE users SET postponements_used = 1 WHERE id % 13 = 0 AND role = 'user'").run()
  db.prepare("UPDATE users SET disabled = 1 WHERE id % 101 = 0 AND role = 'user'").run()
  for (let i = 5; i < Math.min(USERS, 400); i += 40) for (let k = 0; k < 6; k++) await engine.auth.login(`user${i}`, 'wrong password guess', 'kiosk-2').catch(() => undefined)
  console.log(`built: users in every state in ${(ms(t0) / 1000).toFixed(1)} s`)
  // The rest of the audit log, from the engine's audit writer, as a year of logins would leave it.
  t0 = performance.now()
  const have = (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n
  const events = ['login', 'login.password-failed', 'login.second-factor-failed', 'logout', 'session.expired']
  for (let done = have; done < AUDIT; ) {
    const n = Math.min(10_000, AUDIT - done)
    db.transaction(() =>
      engine.audit.recordMany(Array.from({ length: n }, (_, k) => {
        const i = (done + k) % USERS
        return { event: events[(done + k) % events.length] as AuditEntry['event'], subject: { id: i + 2, username: `user${i}` }, workstation: `kiosk-${i % 40}`, details: { method: 'totp' } }
      }))
    ).immediate()
    done += n
  }
  console.log(`built: audit log to ${AUDIT.toLocaleString('en')} rows in ${(ms(t0) / 1000).toFixed(1)} s`)
  engine.close()
  renameSync(tmp, DIR)
}

function stats(samples: number[]): { p50: number; p99: number; max: number } {
  const s = [...samples].sort((a, b) => a - b)
  return { p50: s[Math.floor(s.length / 2)]!, p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))]!, max: s.at(-1)! }
}

const rows: string[][] = []
const f = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1))

/** A raw SQLite yardstick: the queries a person would write for the same answer (rows, order, totals). */
type Raw = [sql: string, params?: Record<string, unknown>][]

/**
 * One console call through the worker, beside its raw SQL on the same file: run in this thread on
 * its own connection, and sent through the same worker boundary (the engine's connection, one
 * message), so the ratio shows what the engine adds to the query rather than the thread hop.
 */
async function measure(label: string, host: EngineHost, channel: string, input: unknown, raw: Raw, runs = 40, settleMs = 0): Promise<void> {
  const timed = async (fn: () => unknown) => {
    const times: number[] = []
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now()
      await fn()
      times.push(ms(t0))
    }
    return stats(times)
  }
  await host.call('bench', 'bench', channel, input) // once to warm the page cache, not counted
  await new Promise((resolve) => setTimeout(resolve, settleMs)) // background work the call started (a sort's sampled ranks)
  const call = await timed(async () => {
    const r = await host.call('bench', 'bench', channel, input)
    if (!r.ok) throw new Error(`${channel}: ${r.code} ${r.message}`)
  })
  const inThread = await timed(() => raw.map(([sql, params]) => rawDb.prepare(sql).all(params ?? {})))
  const across = await timed(() => host.inspect('sql.batch', raw))
  const ratio = (b: number) => `${(call.p50 / Math.max(b, 0.001)).toFixed(1)}x`
  const ok = call.p99 <= 20 && call.p50 <= 3 * across.p50
  rows.push([label, f(call.p50), f(call.p99), f(call.max), f(inThread.p50), ratio(inThread.p50), f(across.p50), ratio(across.p50), ok ? 'yes' : 'NO'])
}

async function signIn(host: EngineHost, conn: string): Promise<void> {
  const r = await host.call(conn, 'bench', 'auth:login', { identifier: ADMIN.username, password: ADMIN.password })
  if (!r.ok) throw new Error(`login: ${r.code}`)
  const status = r.value as { stage: string }
  if (status.stage === 'enrol') {
    const step = (await host.call(conn, 'bench', 'enrol:start', { method: 'totp' })) as { ok: true; value: { uri: string } }
    const secret = new URL(step.value.uri).searchParams.get('secret')!
    await host.call(conn, 'bench', 'enrol:confirm', { code: totpAt(secret, Date.now()) })
    await host.call(conn, 'bench', 'enrol:complete', {})
  }
}

async function waitFor(host: EngineHost, job: JobView): Promise<JobView> {
  for (;;) {
    const r = (await host.call('bench', 'bench', 'jobs:get', { jobId: job.id })) as { ok: true; value: JobView }
    if (r.value.state !== 'running') return r.value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

if (!existsSync(DIR)) await build()
if (existsSync(join(DIR, 'bench-build.json'))) {
  const built = JSON.parse(readFileSync(join(DIR, 'bench-build.json'), 'utf8')) as { importMs: number; at: string }
  console.log(`import of ${USERS.toLocaleString('en')} users into an empty directory (when the data was built, ${built.at}): ${(built.importMs / 1000).toFixed(1)} s (target < 60 s)`)
}
console.log(`data: ${DIR} (${(statSync(join(DIR, 'tessera.db')).size / 2 ** 20).toFixed(0)} MiB); machine: ${cpus().length} x ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}`)
// Each run works on a scratch copy: it imports 100,000 more users and writes audit rows.
const work = `${DIR}.run`
rmSync(work, { recursive: true, force: true })
mkdirSync(work)
for (const name of ['tessera.db', 'data.key', 'audit-anchor.json']) {
  if (!existsSync(join(DIR, name))) continue
  copyFileSync(join(DIR, name), join(work, name))
  // On disk before the run: otherwise the engine's first checkpoint (an fsync) writes the 2 GiB copy, 0.6 s.
  const fd = openSync(join(work, name), 'r')
  fsyncSync(fd)
  closeSync(fd)
}

const host = await startEngineHost(WORKER, { databaseFile: join(work, 'tessera.db'), dataDir: work, testHooks: true })
const rawDb = new Database(join(work, 'tessera.db'), { readonly: true })
rawDb.pragma('cache_size = -65536')
cachePrepared(rawDb) // as the engine's connection: each statement prepared once
try {
  await signIn(host, 'bench')
  const mid = Math.floor(USERS / 2)
  const base = { search: '', status: 'all', role: 'all', sort: 'displayName', descending: false, offset: 0, limit: 100 }
  // What a list answer holds, written directly: the page's rows (with recovery codes left), its total, the counts.
  const ROW = 'SELECT u.*, (SELECT count(*) FROM recovery_codes rc WHERE rc.user_id = u.id AND rc.used_at IS NULL) AS codes_left FROM users u'
  const COUNTS: Raw[number] = ['SELECT status, sum(n) AS n FROM user_counts GROUP BY status']
  const page = (where: string, order: string, params: Record<string, unknown> = {}, total = 'SELECT sum(n) FROM user_counts'): Raw => [
    [`${ROW} ${where ? `WHERE ${where}` : ''} ORDER BY ${order} LIMIT 100`, params],
    [total, params],
    COUNTS
  ]
  const BY_NAME = 'u.display_name COLLATE NOCASE, u.id'
  // A keyset page starts from the key of the row before it (found once, outside the timing).
  const keyAt = (order: string, offset: number) => rawDb.prepare(`SELECT u.* FROM users u ORDER BY ${order} LIMIT 1 OFFSET ${offset}`).get() as { id: number; display_name: string; status: number }
  const middle = keyAt(BY_NAME, mid)
  const middleByStatus = keyAt(`u.status, ${BY_NAME}`, mid)
  // The index keeps no positions: rows holding every trigram of the term, each checked, sorted, counted.
  const trigrams = (term: string) => {
    const c = [...term.toLowerCase()]
    return [...new Set(c.slice(2).map((_, i) => c.slice(i, i + 3).join('')))].map((g) => `"${g}"`).join(' AND ')
  }
  // Past 2,000 matches the answer is the first 2,001 found, sorted (the engine's cap).
  const search = (term: string, cap = ''): Raw => [
    [`SELECT * FROM (SELECT u.*, count(*) OVER () AS total FROM (SELECT u.* FROM users_fts JOIN users u ON u.id = users_fts.rowid WHERE users_fts MATCH @m
      AND (u.display_name LIKE @l OR u.username LIKE @l OR u.email LIKE @l) ${cap}) u) u ORDER BY ${BY_NAME} LIMIT 100`, { m: trigrams(term), l: `%${term}%` }],
    COUNTS
  ]
  // Two characters: the first 2,001 of each prefix range (the engine's cap), merged, sorted.
  const range = (col: string) => `SELECT * FROM (SELECT id FROM users WHERE ${col} >= 'ad' AND ${col} < 'ae' LIMIT 2001)`
  const prefix = `SELECT id FROM (${range('display_name COLLATE NOCASE')} UNION ${range('username')} UNION ${range('email')}) LIMIT 2001`
  const status = (code: number) => page('u.status = @s', `u.status, ${BY_NAME}`, { s: code }, 'SELECT sum(n) FROM user_counts WHERE status = @s')
  const detail: Raw = [
    [`${ROW} WHERE u.id = @id`, { id: mid }],
    ["SELECT * FROM failure_counters WHERE scope = 'account' AND subject = @id", { id: String(mid) }],
    ['SELECT * FROM audit_log WHERE subject_id = @id ORDER BY id DESC LIMIT 20', { id: mid }],
    ['SELECT * FROM second_factors WHERE user_id = @id', { id: mid }],
    ["SELECT * FROM reset_requests WHERE user_id = @id AND status IN ('open', 'awaiting-approval')", { id: mid }],
    ['SELECT * FROM webauthn_credentials WHERE user_id = @id', { id: mid }],
    ['SELECT * FROM oath_tokens WHERE user_id = @id', { id: mid }]
  ]
  const requests: Raw = [
    [`SELECT r.*, u.username, u.display_name, u.email, u.phone, (SELECT json_group_array(n.display_name) FROM (SELECT user_id FROM reset_request_recipients
        WHERE request_id = r.id ORDER BY user_id LIMIT 5) x JOIN users n ON n.id = x.user_id) AS recipients
      FROM reset_requests r JOIN users u ON u.id = r.user_id WHERE r.status IN ('open', 'awaiting-approval') ORDER BY r.created_at DESC, r.id DESC LIMIT 51`],
    ["SELECT count(*) FROM reset_requests WHERE status IN ('open', 'awaiting-approval')"]
  ]
  await measure('directory first page, by name', host, 'users:list', base, page('', BY_NAME))
  // The first deep page of an order nobody has listed yet is read by offset while its sample is built.
  const unsampled: number[] = []
  for (const sort of ['username', 'email']) {
    const t0 = performance.now()
    await host.call('bench', 'bench', 'users:list', { ...base, sort, offset: mid })
    unsampled.push(ms(t0))
  }
  const middlePage = page(`(u.display_name, u.id) > (@k COLLATE NOCASE, @id)`, BY_NAME, { k: middle.display_name, id: middle.id })
  await measure('directory page in the middle, by name', host, 'users:list', { ...base, offset: mid }, middlePage, 40, 3_000)
  await host.inspect('sql.run', "UPDATE users SET display_name = display_name || ' (moved)' WHERE id % 3333 = 7") // 300 renames
  await measure('page in the middle, by name, after 300 renames', host, 'users:list', { ...base, offset: mid + 100 }, middlePage)
  await measure('sort by status, page in the middle', host, 'users:list', { ...base, sort: 'status', offset: mid }, page(`(u.status, u.display_name, u.id) > (@s, @k COLLATE NOCASE, @id)`, `u.status, ${BY_NAME}`, { s: middleByStatus.status, k: middleByStatus.display_name, id: middleByStatus.id }), 40, 3_000)
  await measure('directory last page, by name', host, 'users:list', { ...base, offset: USERS - 100 }, page('', 'u.display_name COLLATE NOCASE DESC, u.id DESC'))
  await measure('sort by status, first page', host, 'users:list', { ...base, sort: 'status' }, page('', `u.status, ${BY_NAME}`))
  await measure('sort by last login, descending', host, 'users:list', { ...base, sort: 'lastLogin', descending: true }, page('', 'u.last_login_at DESC, u.id DESC'))
  await measure('search "marti" (no match)', host, 'users:list', { ...base, search: 'marti' }, search('marti'))
  await measure('search "hamilton 99" (1,121 matches)', host, 'users:list', { ...base, search: 'hamilton 99' }, search('hamilton 99'))
  await measure('search "lovelace 1" (11,111 matches: 2,000 listed)', host, 'users:list', { ...base, search: 'lovelace 1' }, search('lovelace 1', 'LIMIT 2001'))
  await measure('search "ad" (2 characters: prefix)', host, 'users:list', { ...base, search: 'ad' }, [[`${ROW} WHERE u.id IN (${prefix}) ORDER BY ${BY_NAME} LIMIT 100`], COUNTS])
  await measure('filter reset requested', host, 'users:list', { ...base, status: 'reset-requested' }, status(2))
  await measure('filter locked', host, 'users:list', { ...base, status: 'locked' }, status(1))
  await measure('filter role = help desk', host, 'users:list', { ...base, role: 'helpdesk' }, page("u.role = 'helpdesk'", `u.role, ${BY_NAME}`, {}, "SELECT sum(n) FROM user_counts WHERE role = 'helpdesk'"))
  await measure('user detail', host, 'users:get', { userId: mid }, detail)
  await measure('open requests, first page', host, 'requests:list', { open: true }, requests)
  await measure('audit log, newest page', host, 'audit:list', { limit: 100 }, [['SELECT * FROM audit_log ORDER BY id DESC LIMIT 101']])
  await measure('audit log, event = logins', host, 'audit:list', { event: 'login.', limit: 100 }, [["SELECT * FROM audit_log WHERE event LIKE 'login.%' ORDER BY id DESC LIMIT 101"]])
  await measure('audit log, one subject', host, 'audit:list', { subject: `user${mid}`, limit: 100 }, [['SELECT * FROM audit_log WHERE subject = @s COLLATE NOCASE ORDER BY id DESC LIMIT 101', { s: `user${mid}` }]])
  await host.call('bench', 'bench', 'audit:verify', {}) // the first one walks everything and sets the checkpoint
  await measure('audit verify (since the checkpoint)', host, 'audit:verify', {}, [['SELECT * FROM audit_checkpoint'], ['SELECT * FROM audit_log WHERE id >= (SELECT id FROM audit_checkpoint)']])
  await measure('app status', host, 'app:status', {}, [['SELECT EXISTS (SELECT 1 FROM users)']])
  console.log(`\n${USERS.toLocaleString('en')} users, ${AUDIT.toLocaleString('en')} audit rows; times in ms (p50 / p99 / max) through the worker boundary, and the raw SQL for the same answer (p50) in this thread and sent through the boundary`)
  console.log('| call | p50 | p99 | max | raw, in thread | ratio | raw, through the worker | ratio | p99 <= 20 ms, within 3x |\n|---|---|---|---|---|---|---|---|---|')
  for (const r of rows) console.log(`| ${r.join(' | ')} |`)
  console.log(`\nthe first page in the middle of an order not listed before (read by offset while its sample is built, ~1 s): by username ${f(unsampled[0]!)} ms, by e-mail ${f(unsampled[1]!)} ms`)
  if (!CALLS_ONLY) await concurrentRun(host, base, work)
} finally {
  rawDb.close()
  await host.close()
  rmSync(work, { recursive: true, force: true })
}

/** Everything at once, while the main thread's event-loop delay is watched. */
async function concurrentRun(host: EngineHost, base: Record<string, unknown>, work: string): Promise<void> {
  const delay = monitorEventLoopDelay({ resolution: 5 })
  delay.enable()
  const t0 = performance.now()
  const rssBefore = process.memoryUsage().rss
  let rssPeak = rssBefore
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 200)
  const start = async (channel: string, input: unknown) => {
    const r = (await host.call('bench', 'bench', channel, input, { file: join(work, `${channel.replace(':', '-')}.csv`), download: null })) as { ok: boolean; value: JobView }
    if (!r.ok) throw new Error(`${channel} refused`)
    return r.value
  }
  const importJob = await start('users:import', { csv: usersCsv(100_000, USERS + 1) })
  const exportJob = await start('users:export', {})
  const verifyJob = await start('audit:verify-full', {})
  const logins = Array.from({ length: 20 }, (_, i) => {
    const t = performance.now()
    return host.call(`login-${i}`, 'kiosk', 'auth:login', { identifier: `user${i * 3 + 1}`, password: PASSWORD }).then(() => ms(t))
  })
  const typing: number[] = []
  for (const term of ['m', 'ma', 'mar', 'mart', 'marti', 'martin']) {
    const t = performance.now()
    await host.call('bench', 'bench', 'users:list', { ...base, search: term })
    typing.push(ms(t))
    await new Promise((r) => setTimeout(r, 120))
  }
  // A directory page every 100 ms until the jobs are done.
  let jobsDone = false
  const pages: number[] = []
  const paging = (async () => {
    for (let offset = 0; !jobsDone; offset += 100) {
      const t = performance.now()
      const r = await host.call('bench', 'bench', 'users:list', { ...base, offset })
      if (!r.ok) throw new Error(`users:list: ${r.code}`)
      pages.push(ms(t))
      await new Promise((r) => setTimeout(r, 100))
    }
  })()
  const loginTimes = await Promise.all(logins)
  const [imported, exported, verified] = [await waitFor(host, importJob), await waitFor(host, exportJob), await waitFor(host, verifyJob)]
  jobsDone = true
  await paging
  delay.disable()
  const took = (j: JobView) => `${j.state}, ${((j.finishedAt! - j.startedAt) / 1000).toFixed(1)} s`
  console.log(`\nconcurrent run (${(ms(t0) / 1000).toFixed(1)} s): main-thread event-loop delay max ${(delay.max / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms`)
  console.log(`  20 logins (unknown passwords, full scrypt): p50 ${f(stats(loginTimes).p50)} ms, max ${f(stats(loginTimes).max)} ms`)
  console.log(`  search typed letter by letter: ${typing.map(f).join(' / ')} ms`)
  const paged = stats(pages)
  console.log(`  a directory page every 100 ms while the jobs ran (${pages.length} pages): p50 ${f(paged.p50)} ms, p99 ${f(paged.p99)} ms, max ${f(paged.max)} ms`)
  console.log(`  import 100,000 rows: ${took(imported)}; users export: ${took(exported)} (${(exported.result as { rows: number }).rows.toLocaleString('en')} rows); full audit verify: ${took(verified)}`)
  clearInterval(sampler)
  console.log(`  process RSS (main thread and engine worker): ${(rssBefore / 2 ** 20).toFixed(0)} MiB before, peak ${(rssPeak / 2 ** 20).toFixed(0)} MiB during, ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB after`)
}
