/**
 * The call table of bench/scale.ts: every console call through the worker boundary (p50 / p99 /
 * max over 40 calls, after one warm-up call), beside the raw SQL for the same answer
 * (bench/scale-yardsticks.ts), p50: run on the benchmark's own connection in its own thread, and
 * sent through the same worker boundary in one message (`sql.batch`, on the engine's connection).
 */
import Database from 'better-sqlite3'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { cachePrepared } from '../src/main/db/open'
import { numberParameters } from '../src/main/store/postgres/sql'
import type { EngineHost } from '../src/main/worker/engine-host'
import { BASE_LIST, f, ms, sleep, stats } from './scale-flows'
import { postgresYardsticks, sqliteYardsticks, type CaseId, type Key, type Raw } from './scale-yardsticks'

/** The benchmark's own connection to the database the engine runs on. */
export type Yardstick = {
  kind: 'sqlite' | 'postgres'
  /** The raw queries of one answer, one after the other, in this thread. */
  inThread(raw: Raw): unknown
  keyAt(order: string, offset: number): Promise<Key>
  close(): Promise<void>
}

export function sqliteYardstick(file: string): Yardstick {
  const db = new Database(file, { readonly: true })
  db.pragma('cache_size = -65536')
  cachePrepared(db) // as the engine's connection: each statement prepared once
  return {
    kind: 'sqlite',
    inThread: (raw) => raw.map(([sql, params]) => db.prepare(sql).all(params ?? {})),
    keyAt: async (order, offset) => db.prepare(`SELECT u.* FROM users u ORDER BY ${order} LIMIT 1 OFFSET ${offset}`).get() as Key,
    close: async () => void db.close()
  }
}

/** A `pg` client of the benchmark's own (int8 read as a number, as the engine's store reads it). */
export async function postgresYardstick(url: string): Promise<Yardstick> {
  const types = { getTypeParser: ((oid: number, format?: 'text') => (oid === 20 ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser }
  const client = new pg.Client({ connectionString: url, types })
  await client.connect()
  return {
    kind: 'postgres',
    async inThread(raw) {
      const out: unknown[] = []
      for (const [sql, params] of raw) out.push((await client.query(numberParameters(sql), (params ?? []) as unknown[])).rows)
      return out
    },
    keyAt: async (order, offset) => (await client.query<Key>(`SELECT u.* FROM users u ORDER BY ${order} LIMIT 1 OFFSET ${offset}`)).rows[0]!,
    close: () => client.end()
  }
}

/** One row of the table: label, p50, p99, max, raw in thread and ratio, raw through the worker and ratio, target met. */
type TableRow = string[]

/** One console call through the worker, beside its raw SQL in this thread and through the same boundary. */
async function measure(host: EngineHost, yard: Yardstick, label: string, channel: string, input: unknown, raw: Raw, settleMs = 0): Promise<TableRow> {
  const timed = async (fn: () => unknown, runs = 40) => {
    const times: number[] = []
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now()
      await fn()
      times.push(ms(t0))
    }
    return stats(times)
  }
  await host.call('bench', 'bench', channel, input) // once to warm the page cache, not counted
  await sleep(settleMs) // background work the call started (a sort's sampled ranks)
  const call = await timed(async () => {
    const r = await host.call('bench', 'bench', channel, input)
    if (!r.ok) throw new Error(`${channel}: ${r.code} ${r.message}`)
  })
  const inThread = await timed(() => yard.inThread(raw))
  const across = await timed(() => host.inspect('sql.batch', raw))
  const ratio = (b: number) => `${(call.p50 / Math.max(b, 0.001)).toFixed(1)}x`
  const ok = call.p99 <= 20 && call.p50 <= 3 * across.p50
  return [label, f(call.p50), f(call.p99), f(call.max), f(inThread.p50), ratio(inThread.p50), f(across.p50), ratio(across.p50), ok ? 'yes' : 'NO']
}

/** Times every call of the table in order; returns the rows, and the first deep pages of two orders not listed before. */
async function measureAll(host: EngineHost, yard: Yardstick, users: number): Promise<{ rows: TableRow[]; unsampled: number[]; verified: string }> {
  const mid = Math.floor(users / 2)
  const raws = await (yard.kind === 'sqlite' ? sqliteYardsticks : postgresYardsticks)({ mid, keyAt: yard.keyAt })
  // Each store builds a sort's sampled ranks in the background the first time it is listed.
  const settle = 3_000
  const base = BASE_LIST
  const rows: TableRow[] = []
  const m = async (id: CaseId, label: string, channel: string, input: unknown, settleMs = 0) => void rows.push(await measure(host, yard, label, channel, input, raws[id], settleMs))
  await m('firstPage', 'directory first page, by name', 'users:list', base)
  // The first deep page of an order nobody has listed yet is read by offset, while its sample is built.
  const unsampled: number[] = []
  for (const sort of ['username', 'email']) {
    const t0 = performance.now()
    await host.call('bench', 'bench', 'users:list', { ...base, sort, offset: mid })
    unsampled.push(ms(t0))
  }
  await m('middle', 'directory page in the middle, by name', 'users:list', { ...base, offset: mid }, settle)
  await host.inspect('sql.run', "UPDATE users SET display_name = display_name || ' (moved)' WHERE id % 3333 = 7") // 300 renames
  await m('middleRenamed', 'page in the middle, by name, after 300 renames', 'users:list', { ...base, offset: mid + 100 })
  await m('statusMiddle', 'sort by status, page in the middle', 'users:list', { ...base, sort: 'status', offset: mid }, settle)
  await m('lastPage', 'directory last page, by name', 'users:list', { ...base, offset: users - 100 })
  await m('statusFirst', 'sort by status, first page', 'users:list', { ...base, sort: 'status' })
  await m('lastLogin', 'sort by last login, descending', 'users:list', { ...base, sort: 'lastLogin', descending: true })
  await m('searchNone', 'search "marti" (no match)', 'users:list', { ...base, search: 'marti' })
  await m('searchSome', 'search "hamilton 99" (1,121 matches)', 'users:list', { ...base, search: 'hamilton 99' })
  await m('searchCapped', 'search "lovelace 1" (11,111 matches: 2,000 listed)', 'users:list', { ...base, search: 'lovelace 1' })
  await m('searchPrefix', 'search "ad" (2 characters: prefix)', 'users:list', { ...base, search: 'ad' })
  await m('filterReset', 'filter reset requested', 'users:list', { ...base, status: 'reset-requested' })
  await m('filterLocked', 'filter locked', 'users:list', { ...base, status: 'locked' })
  await m('filterHelpdesk', 'filter role = help desk', 'users:list', { ...base, role: 'helpdesk' })
  await m('detail', 'user detail', 'users:get', { userId: mid })
  await m('requests', 'open requests, first page', 'requests:list', { open: true })
  await m('auditNewest', 'audit log, newest page', 'audit:list', { limit: 100 })
  await m('auditLogins', 'audit log, event = logins', 'audit:list', { event: 'login.', limit: 100 })
  await m('auditSubject', 'audit log, one subject', 'audit:list', { subject: `user${mid}`, limit: 100 })
  const t0 = performance.now()
  const first = (await host.call('bench', 'bench', 'audit:verify', {})) as { ok: boolean; value?: { ok: boolean; rows: number; problem?: string } } // the first one walks everything and sets the checkpoint
  const verified = `${first.value?.ok ? 'ok' : `BROKEN (${first.value?.problem ?? JSON.stringify(first)})`}, ${first.value?.rows.toLocaleString('en')} rows in ${(ms(t0) / 1000).toFixed(1)} s`
  await m('auditVerify', 'audit verify (since the checkpoint)', 'audit:verify', {})
  await m('status', 'app status', 'app:status', {})
  return { rows, unsampled, verified }
}

/** Measures and prints the table; returns whether every call met its target. */
export async function callTable(host: EngineHost, yard: Yardstick, users: number, audit: number): Promise<boolean> {
  const { rows, unsampled, verified } = await measureAll(host, yard, users)
  const where = yard.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'
  const own = yard.kind === 'sqlite' ? 'its own connection' : "the benchmark's own pg client"
  console.log(`\n${users.toLocaleString('en')} users, ${audit.toLocaleString('en')} audit rows on ${where}; times in ms (p50 / p99 / max) through the worker boundary, and the raw SQL for the same answer (p50) in this thread (${own}) and sent through the boundary`)
  console.log('| call | p50 | p99 | max | raw, in thread | ratio | raw, through the worker | ratio | p99 <= 20 ms, within 3x |\n|---|---|---|---|---|---|---|---|---|')
  for (const r of rows) console.log(`| ${r.join(' | ')} |`)
  console.log(`\nthe first page in the middle of an order not listed before (read by offset while its sample is built): by username ${f(unsampled[0]!)} ms, by e-mail ${f(unsampled[1]!)} ms`)
  console.log(`the first audit verify (the whole chain, before the checkpoint): ${verified}`)
  const missed = rows.filter((r) => r.at(-1) !== 'yes').map((r) => r[0])
  console.log(`targets (every call p99 <= 20 ms and within 3x of the raw query through the worker): ${missed.length === 0 ? 'met' : 'NOT MET'}, met by ${rows.length - missed.length} of ${rows.length} calls${missed.length ? `; not met: ${missed.join('; ')}` : ''}`)
  return missed.length === 0
}
