/**
 * `npm run bench [-- USERS [AUDIT_ROWS]]` (default 1,000,000 users and 5,000,000 audit rows).
 *
 * Builds (once; cached in .bench-data/) a data directory through the engine's own paths: the CSV
 * import (one audit row per user), users in every state (enrolled, locked, postponed, must set up,
 * disabled, with an open request), and audit rows from the engine's audit writer up to the size
 * asked. Then, through the worker boundary the app uses (EngineHost, the IPC handler table behind
 * it), it prints p50/p99/max of every console call beside the raw SQLite query on the same file,
 * and the main thread's event-loop delay while 20 logins, a search typed letter by letter, a
 * 100,000-row import, a users export and a full audit verify run at once.
 */
import Database from 'better-sqlite3'
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { createEngine } from '../src/main/core/engine'
import type { AuditEntry } from '../src/main/core/audit'
import { unattended } from '../src/main/core/jobs'
import { totpAt } from '../src/main/core/two-factor/totp'
import type { JobView } from '../src/shared/admin-dto'
import { startEngineHost, type EngineHost } from '../src/main/worker/engine-host'
import { usersCsv } from './users-csv'

const USERS = Number(process.argv[2] ?? 1_000_000)
const AUDIT = Number(process.argv[3] ?? 5_000_000)
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

/** One console call through the worker, and its raw SQLite yardstick on the same file. */
async function measure(label: string, host: EngineHost, channel: string, input: unknown, raw: () => unknown, runs = 40, settleMs = 0): Promise<void> {
  const times: number[] = []
  await host.call('bench', 'bench', channel, input) // once to warm the page cache, not counted
  await new Promise((resolve) => setTimeout(resolve, settleMs)) // background work the call started (a sort's sampled ranks)
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    const r = await host.call('bench', 'bench', channel, input)
    times.push(ms(t0))
    if (!r.ok) throw new Error(`${channel}: ${r.code} ${r.message}`)
  }
  const rawTimes: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    raw()
    rawTimes.push(ms(t0))
  }
  const a = stats(times)
  const b = stats(rawTimes)
  rows.push([label, f(a.p50), f(a.p99), f(a.max), f(b.p50), `${(a.p50 / Math.max(b.p50, 0.001)).toFixed(1)}x`, a.p99 <= 20 ? 'yes' : 'NO'])
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
for (const name of ['tessera.db', 'data.key', 'audit-anchor.json']) if (existsSync(join(DIR, name))) copyFileSync(join(DIR, name), join(work, name))

const host = await startEngineHost(WORKER, { databaseFile: join(work, 'tessera.db'), dataDir: work })
const raw = new Database(join(work, 'tessera.db'), { readonly: true })
raw.pragma('cache_size = -65536')
try {
  await signIn(host, 'bench')
  const mid = Math.floor(USERS / 2)
  const base = { search: '', status: 'all', role: 'all', sort: 'displayName', descending: false, offset: 0, limit: 100 }
  const lastPage = raw.prepare('SELECT * FROM users ORDER BY display_name COLLATE NOCASE DESC, id DESC LIMIT 100')
  const keyset = raw.prepare('SELECT * FROM users WHERE display_name >= ? COLLATE NOCASE AND id > ? ORDER BY display_name COLLATE NOCASE, id LIMIT 100')
  // The index keeps no positions: rows holding every trigram of the term, each checked (as the engine does).
  const trigrams = (term: string) => {
    const c = [...term.toLowerCase()]
    return [...new Set(c.slice(2).map((_, i) => c.slice(i, i + 3).join('')))].map((g) => `"${g}"`).join(' AND ')
  }
  const ftsQuery = raw.prepare('SELECT u.* FROM users_fts JOIN users u ON u.id = users_fts.rowid WHERE users_fts MATCH ? AND (u.display_name LIKE ? OR u.username LIKE ? OR u.email LIKE ?) LIMIT 100')
  const fts = (term: string) => ftsQuery.all(trigrams(term), `%${term}%`, `%${term}%`, `%${term}%`)
  await measure('directory first page, by name', host, 'users:list', base, () => keyset.all('', 0))
  await measure('directory page in the middle, by name, first (by offset)', host, 'users:list', { ...base, offset: mid }, () => keyset.all('M', 0))
  await measure('directory page in the middle, by name, sampled ranks ready', host, 'users:list', { ...base, offset: mid + 100 }, () => keyset.all('M', 0), 40, 3_000)
  await measure('sort by status, page in the middle, sampled ranks ready', host, 'users:list', { ...base, sort: 'status', offset: mid }, () => keyset.all('M', 0), 40, 3_000)
  await measure('directory last page, by name', host, 'users:list', { ...base, offset: USERS - 100 }, () => lastPage.all())
  await measure('sort by status, first page', host, 'users:list', { ...base, sort: 'status' }, () => raw.prepare('SELECT * FROM users ORDER BY status, display_name COLLATE NOCASE, id LIMIT 100').all())
  await measure('sort by last login, descending', host, 'users:list', { ...base, sort: 'lastLogin', descending: true }, () => raw.prepare('SELECT * FROM users ORDER BY last_login_at DESC, id DESC LIMIT 100').all())
  await measure('search "marti" (common)', host, 'users:list', { ...base, search: 'marti' }, () => fts('marti'))
  await measure('search "hamilton 99" (many matches)', host, 'users:list', { ...base, search: 'hamilton 99' }, () => fts('hamilton 99'))
  await measure('search "zzqx" (no match)', host, 'users:list', { ...base, search: 'zzqx' }, () => fts('zzqx'))
  await measure('search "ad" (2 characters: prefix)', host, 'users:list', { ...base, search: 'ad' }, () => raw.prepare("SELECT * FROM users WHERE display_name >= 'ad' COLLATE NOCASE LIMIT 100").all())
  await measure('filter reset requested', host, 'users:list', { ...base, status: 'reset-requested' }, () => raw.prepare('SELECT * FROM users WHERE status = 2 LIMIT 100').all())
  await measure('filter locked', host, 'users:list', { ...base, status: 'locked' }, () => raw.prepare('SELECT * FROM users WHERE status = 1 LIMIT 100').all())
  await measure('filter role = help desk', host, 'users:list', { ...base, role: 'helpdesk' }, () => raw.prepare("SELECT * FROM users WHERE role = 'helpdesk' LIMIT 100").all())
  await measure('user detail', host, 'users:get', { userId: mid }, () => raw.prepare('SELECT * FROM users WHERE id = ?').get(mid))
  await measure('open requests, first page', host, 'requests:list', { open: true }, () => raw.prepare("SELECT * FROM reset_requests WHERE status = 'open' ORDER BY created_at DESC LIMIT 50").all())
  await measure('audit log, newest page', host, 'audit:list', { limit: 100 }, () => raw.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT 100').all())
  await measure('audit log, event = logins', host, 'audit:list', { event: 'login.', limit: 100 }, () => raw.prepare("SELECT * FROM audit_log WHERE event = 'login' ORDER BY id DESC LIMIT 100").all())
  await measure('audit log, one subject', host, 'audit:list', { subject: `user${mid}`, limit: 100 }, () => raw.prepare('SELECT * FROM audit_log WHERE subject = ? COLLATE NOCASE ORDER BY id DESC LIMIT 100').all(`user${mid}`))
  await host.call('bench', 'bench', 'audit:verify', {}) // the first one walks everything and sets the checkpoint
  await measure('audit verify (since the checkpoint)', host, 'audit:verify', {}, () => raw.prepare('SELECT max(id) FROM audit_log').get(), 10)
  await measure('app status', host, 'app:status', {}, () => raw.prepare('SELECT EXISTS (SELECT 1 FROM users)').get())
  console.log(`\n${USERS.toLocaleString('en')} users, ${AUDIT.toLocaleString('en')} audit rows; times in ms through the worker boundary (p50 / p99 / max) and the raw SQLite query (p50)`)
  console.log('| call | p50 | p99 | max | raw p50 | ratio | p99 <= 20 ms |\n|---|---|---|---|---|---|---|')
  for (const r of rows) console.log(`| ${r.join(' | ')} |`)

  // Everything at once, while the main thread's event-loop delay is watched.
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
  const loginTimes = await Promise.all(logins)
  const [imported, exported, verified] = [await waitFor(host, importJob), await waitFor(host, exportJob), await waitFor(host, verifyJob)]
  delay.disable()
  const took = (j: JobView) => `${j.state}, ${((j.finishedAt! - j.startedAt) / 1000).toFixed(1)} s`
  console.log(`\nconcurrent run (${(ms(t0) / 1000).toFixed(1)} s): main-thread event-loop delay max ${(delay.max / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms`)
  console.log(`  20 logins (unknown passwords, full scrypt): p50 ${f(stats(loginTimes).p50)} ms, max ${f(stats(loginTimes).max)} ms`)
  console.log(`  search typed letter by letter: ${typing.map(f).join(' / ')} ms`)
  console.log(`  import 100,000 rows: ${took(imported)}; users export: ${took(exported)} (${(exported.result as { rows: number }).rows.toLocaleString('en')} rows); full audit verify: ${took(verified)}`)
  clearInterval(sampler)
  console.log(`  process RSS (main thread and engine worker): ${(rssBefore / 2 ** 20).toFixed(0)} MiB before, peak ${(rssPeak / 2 ** 20).toFixed(0)} MiB during, ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB after`)
} finally {
  raw.close()
  await host.close()
  rmSync(work, { recursive: true, force: true })
}
