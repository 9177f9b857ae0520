/**
 * Long jobs killed with SIGKILL at chosen moments (tests/unit/jobs.kill.test.ts keeps a few points,
 * bench/kill-jobs.ts runs many): an organisation made with the real CLI, the job run in a child
 * process (the CLI itself, or the bulk runner), killed, then the next start (a real engine on the
 * same data directory and database) checked: nothing half done, the database sound, the audit
 * chain intact, and the job's input accepted again.
 */
import { spawn } from 'node:child_process'
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { main } from '../../src/main/cli/index'
import { createEngine, type Engine } from '../../src/main/core/engine'
import { openStore, type Store, type StoreKind } from '../../src/main/store'
import { tempDir } from './engine'
import { freshDatabase } from './postgres'
import { jobNoticeText } from '../../src/shared/job-notices'
import { translator } from '../../src/shared/i18n/translate'

const ROOT = join(import.meta.dirname, '..', '..')
const TESSERA = join(ROOT, 'bin', 'tessera.mjs')
const BULK_JOB = join(import.meta.dirname, 'children', 'bulk-job.ts')

export type Organisation = { kind: StoreKind; dir: string; url: string | null; remove(): Promise<void> }

/** A data directory (and, on PostgreSQL, a fresh database) with the administrator `ada`, made by `tessera init`. */
export async function organisation(kind: StoreKind, serverUrl: string | null): Promise<Organisation> {
  const tmp = tempDir('tessera-kill-')
  chmodSync(tmp.dir, 0o700)
  const pg = kind === 'postgres' ? await freshDatabase(serverUrl!) : null
  const org: Organisation = { kind, dir: tmp.dir, url: pg?.url ?? null, remove: async () => (await pg?.drop(), tmp.remove()) }
  const made = await cli(org, ['init', '--admin', 'ada', '--email', 'ada@example.org', '--name', 'Ada', '--password-stdin'], 'analytical engine notes\n')
  if (made.code !== 0) throw new Error(`init failed: ${made.err}`)
  return org
}

const where = (org: Organisation) => ['--data-dir', org.dir, ...(org.url ? ['--database-url', org.url] : [])]

/** The CLI in this process (a start of its own: it settles interrupted jobs and says so on standard error). */
export async function cli(org: Organisation, args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await main([...where(org), ...args], { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => stdin })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

/** A CSV of `n` users named PREFIX00000...; returns its path. */
export function usersFile(org: Organisation, prefix: string, n: number): string {
  const file = join(org.dir, `${prefix}.csv`)
  const lines = ['username,email,display_name,role']
  for (let i = 0; i < n; i++) lines.push(`${prefix}${String(i).padStart(5, '0')},${prefix}${i}@example.org,${prefix.toUpperCase()} ${i},user`)
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}

export type Killed = { killed: boolean; code: number | null; ms: number; out: string }

/**
 * Runs a child (`tessera ARGS`, or the bulk runner) and kills it with SIGKILL once `when` says so:
 * a time in ms after the start, or a check polled every few ms (e.g. a count in the database).
 */
export function runKilled(org: Organisation, child: { cli: string[] } | { bulk: string }, when: number | (() => Promise<boolean>)): Promise<Killed> {
  const args = 'cli' in child ? [TESSERA, ...where(org), ...child.cli] : ['--import', 'tsx', BULK_JOB, org.dir, org.url ?? '-', child.bulk]
  const started = performance.now()
  const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  proc.stdout.on('data', (d: Buffer) => (out += d))
  proc.stderr.on('data', (d: Buffer) => (out += d))
  let exited = false
  const kill = () => void (exited || proc.kill('SIGKILL'))
  if (typeof when === 'number') setTimeout(kill, when)
  else {
    const poll = async () => {
      while (!exited && !(await when().catch(() => false))) await new Promise((r) => setTimeout(r, 3))
      kill()
    }
    void poll()
  }
  return new Promise((resolve, reject) => {
    proc.on('error', reject)
    proc.on('exit', (code, signal) => {
      exited = true
      resolve({ killed: signal === 'SIGKILL', code, ms: performance.now() - started, out })
    })
  })
}

/** A store of the test's own on the organisation's database, for counting while a child writes. */
export function storeOf(org: Organisation): Promise<Store> {
  return openStore(org.url ? { databaseUrl: org.url } : { databaseFile: join(org.dir, 'tessera.db') })
}

export const countOf = async (store: Store, sql: string, params: (string | number)[] = []) => Number((await store.get<{ n: number }>(sql, params))!.n)

/** The next start: a real engine on the organisation (it settles what the kill interrupted). */
export function nextStart(org: Organisation): Promise<Engine> {
  return createEngine({ databaseFile: join(org.dir, 'tessera.db'), database: org.url ? { url: org.url } : undefined, dataDir: org.dir, operator: 'cli:test@kill' })
}

/** What is wrong with the database after a start (empty: nothing). */
export async function problemsOf(engine: Engine): Promise<string[]> {
  const problems: string[] = []
  const { store } = engine
  if (store.kind === 'sqlite') {
    const integrity = engine.db.pragma('integrity_check', { simple: true })
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`)
    const keys = engine.db.pragma('foreign_key_check') as unknown[]
    if (keys.length) problems.push(`foreign_key_check: ${keys.length} rows`)
  }
  if (await countOf(store, "SELECT count(*) AS n FROM jobs WHERE state = 'running'")) problems.push('a job is still running')
  if (await countOf(store, 'SELECT count(*) AS n FROM job_ranges')) problems.push('a settled job still lists created users')
  if (await countOf(store, 'SELECT count(*) AS n FROM job_items')) problems.push('a settled job still lists accounts')
  const listed = (await engine.directory.list({ search: '', status: 'all', role: 'all', source: 'all', sort: 'username', descending: false, offset: 0, limit: 1 })).total
  const counted = await countOf(store, 'SELECT count(*) AS n FROM users')
  if (listed !== counted) problems.push(`the directory counts ${listed} users, the table holds ${counted}`)
  await engine.audit.flush()
  const chain = await engine.administration.verify(true)
  if (!chain.ok) problems.push(`audit chain: ${chain.problem}`)
  return problems
}

/** `n` moments spread over [from, to] ms, one at random in each of n equal stretches. */
export function spreadMoments(n: number, from: number, to: number): number[] {
  const step = (to - from) / n
  return Array.from({ length: n }, (_, i) => Math.round(from + step * (i + Math.random())))
}

/** One kill point: how the job was stopped, what the next start said and found, and how its input fared again. */
export type PointResult = { killed: boolean; ms: number; notice: string | null; settled: string | null; undone: number; problems: string[] }

const noticeOf = (engine: Engine) => engine.recovered.map((n) => ({ text: jobNoticeText(n, translator('en'), (ms) => new Date(ms).toISOString()), n }))[0] ?? null

/**
 * `tessera user import FILE` of `n` new users, killed when `when` says; then: all of them or none
 * left, the database sound, and the same file again imports them (or says it was already imported).
 */
export async function importKillPoint(org: Organisation, prefix: string, n: number, when: number | ((store: Store) => Promise<boolean>), watcher?: Store): Promise<PointResult> {
  const file = usersFile(org, prefix, n)
  const named = (store: Store) => countOf(store, 'SELECT count(*) AS n FROM users WHERE username LIKE ?', [`${prefix}%`])
  const killed = await runKilled(org, { cli: ['user', 'import', file] }, typeof when === 'number' ? when : () => when(watcher!))
  const engine = await nextStart(org)
  const result: PointResult = { killed: killed.killed, ms: killed.ms, notice: null, settled: null, undone: 0, problems: [] }
  let left: number
  try {
    const notice = noticeOf(engine)
    result.notice = notice?.text ?? null
    result.settled = notice?.n.state ?? null
    result.undone = Number(notice?.n.outcome['removed'] ?? 0)
    left = await named(engine.store)
    result.problems.push(...(await problemsOf(engine)))
  } finally {
    await engine.close()
  }
  if (left !== 0 && left !== n) result.problems.push(`${left} of ${n} users left: half an import`)
  if (!killed.killed && killed.code !== 0) result.problems.push(`the import exited ${killed.code}: ${killed.out}`)
  const again = await cli(org, ['user', 'import', file])
  const expected = left === 0 ? again.code === 0 && again.out === `imported ${n.toLocaleString('en')} users` : again.code === 1 && /already imported/.test(again.err)
  if (!expected) result.problems.push(`the same file again: exit ${again.code}, ${again.out} ${again.err}`)
  const store = await storeOf(org)
  try {
    if ((await named(store)) !== n) result.problems.push(`after the file again: ${await named(store)} of ${n} users`)
  } finally {
    await store.close()
  }
  return result
}

/**
 * A bulk "send a registration link" to the `n` accounts named PREFIX..., killed when `when` says;
 * then the next start reports exactly the accounts it had done: as many as got a link.
 */
export async function bulkKillPoint(org: Organisation, prefix: string, n: number, when: number | ((store: Store, since: number) => Promise<boolean>), watcher?: Store): Promise<PointResult> {
  const since = Date.now()
  const linked = (store: Store) =>
    countOf(store, 'SELECT count(*) AS n FROM enrolment_tokens t JOIN users u ON u.id = t.user_id WHERE u.username LIKE ? AND t.created_at >= ?', [`${prefix}%`, since])
  const killed = await runKilled(org, { bulk: prefix }, typeof when === 'number' ? when : () => when(watcher!, since))
  const engine = await nextStart(org)
  const result: PointResult = { killed: killed.killed, ms: killed.ms, notice: null, settled: null, undone: 0, problems: [] }
  try {
    const notice = noticeOf(engine)
    result.notice = notice?.text ?? null
    result.settled = notice?.n.state ?? null
    const links = await linked(engine.store)
    // No notice: killed before the job began (nothing done), or after it had ended (its record says what it did).
    const finished = !killed.killed && killed.code === 0
    const ended = await engine.journal.newest('users-bulk')
    const recorded = ended && ended.started_at >= since && ended.state === 'done' ? Number((JSON.parse(ended.outcome ?? '{}') as { done?: number }).done ?? 0) : 0
    const done = notice ? Number(notice.n.outcome['done']) : recorded
    result.undone = done
    if (links !== done) result.problems.push(`${links} accounts got a link; the next start reported ${done} done`)
    if (finished && done !== n) result.problems.push(`the bulk action finished with ${done} of ${n} accounts done`)
    if (!killed.killed && !finished) result.problems.push(`the bulk action exited ${killed.code}: ${killed.out}`)
    result.problems.push(...(await problemsOf(engine)))
  } finally {
    await engine.close()
  }
  return result
}

/**
 * `tessera db copy-to-postgres` of this SQLite organisation into a fresh database, killed at `ms`;
 * then the target holds all of it or nothing, and the copy again succeeds (or is refused as done).
 */
export async function copyKillPoint(org: Organisation, serverUrl: string, ms: number): Promise<PointResult> {
  const target = await freshDatabase(serverUrl)
  const result: PointResult = { killed: false, ms: 0, notice: null, settled: null, undone: 0, problems: [] }
  try {
    const killed = await runKilled(org, { cli: ['db', 'copy-to-postgres', '--database-url', target.url] }, ms)
    Object.assign(result, { killed: killed.killed, ms: killed.ms })
    const source = await storeOf(org)
    const copy = await openStore({ databaseUrl: target.url })
    let copied: number
    let users: number
    try {
      users = await countOf(source, 'SELECT count(*) AS n FROM users')
      copied = await countOf(copy, 'SELECT count(*) AS n FROM users')
      const audit = await countOf(copy, 'SELECT count(*) AS n FROM audit_log')
      if (copied === 0 && audit !== 0) result.problems.push(`no users copied but ${audit} audit rows`)
      if (copied !== 0 && copied !== users) result.problems.push(`${copied} of ${users} users copied: half a copy`)
    } finally {
      await copy.close()
      await source.close()
    }
    result.settled = copied === 0 ? 'nothing copied' : 'all copied'
    const again = await cli(org, ['db', 'copy-to-postgres', '--database-url', target.url])
    const expected = copied === 0 ? again.code === 0 : again.code === 1 && /already holds/.test(again.err)
    if (!expected) result.problems.push(`the copy again: exit ${again.code}, ${again.out} ${again.err}`)
  } finally {
    await target.drop()
  }
  return result
}
