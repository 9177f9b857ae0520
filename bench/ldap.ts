/**
 * The directory sync at scale (README, "People from Active Directory or LDAP"): N people loaded
 * into a real slapd on loopback (tests/helpers/slapd.ts, slapadd), then through the engine's own
 * sync: the first full sync, a full re-sync with nothing changed, an incremental sync of 1,000
 * changes, and logins by bind; peak memory (RSS) and the engine thread's event-loop delay during
 * each sync; the raw paged read of the same entries beside it as the yardstick. During the full
 * re-sync, the users list asked every 100 ms at this seat, and on PostgreSQL during a second one at
 * another seat (a process of its own: bench/ldap-other-seat.ts).
 *
 *   npm run bench:ldap -- [N ...] [--postgres | --database-url postgres://...]     (default 100000)
 *
 * `--postgres` starts a PostgreSQL server of its own (tests/helpers/postgres.ts), `--database-url`
 * uses one that runs; either way each size gets a fresh database.
 */
import { spawn } from 'node:child_process'
import { copyFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Client } from 'ldapts'
import { PRESETS, type DirectorySource } from '../src/shared/directory-source'
import { createEngine, type Engine } from '../src/main/core/engine'
import { KEY_FILE } from '../src/main/core/secrets'
import { unattended } from '../src/main/core/jobs'
import { tempDir, TEST_SCRYPT } from '../tests/helpers/engine'
import { usersCsv } from './users-csv'
import { findUserByIdentifier } from '../src/main/db/queries/users'
import { bulkLoad, personDn, personPassword, startSlapd, type TestSlapd } from '../tests/helpers/slapd'
import { freshDatabase, startPostgres, stopAndRemove } from '../tests/helpers/postgres'

const { values, positionals } = parseArgs({ options: { 'database-url': { type: 'string' }, postgres: { type: 'boolean', default: false } }, allowPositionals: true })
const SIZES = positionals.length ? positionals.map(Number) : [100_000]
const CHANGES = 1_000
const LOGINS = 200
/** Local accounts beside the directory's people (break-glass, CSV imports), for the Source filter's pages. */
const LOCAL = 10_000

const sourceOf = (s: TestSlapd): DirectorySource => ({ ...PRESETS.openldap, urls: [s.url], caFile: s.caFile, bindDn: s.serviceDn, baseDn: `ou=people,${s.baseDn}`, groups: { helpdesk: null, admin: null } })

/** Runs `work` while sampling RSS and the event-loop delay; returns its time and both. */
async function measured<T>(work: () => Promise<T>): Promise<{ out: T; ms: number; rssMb: number; p99Ms: number; maxMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 10 })
  let rss = process.memoryUsage().rss
  const sampler = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 100)
  delay.enable()
  const t0 = performance.now()
  try {
    const out = await work()
    return { out, ms: performance.now() - t0, rssMb: rss / 2 ** 20, p99Ms: delay.percentile(99) / 1e6, maxMs: delay.max / 1e6 }
  } finally {
    clearInterval(sampler)
    delay.disable()
  }
}

/** The yardstick: the same entries read page by page with ldapts alone, nothing done with them. */
async function rawRead(s: TestSlapd): Promise<number> {
  const c = new Client({ url: s.url, timeout: 600_000 })
  const t0 = performance.now()
  try {
    await c.bind(s.serviceDn, s.servicePassword)
    let n = 0
    for await (const page of c.searchPaginated(`ou=people,${s.baseDn}`, { filter: '(objectClass=inetOrgPerson)', attributes: ['uid', 'mail', 'cn', 'telephoneNumber', 'entryUUID', 'pwdAccountLockedTime', 'modifyTimestamp'], paged: { pageSize: 500 } })) n += page.searchEntries.length
    return n && performance.now() - t0
  } finally {
    await c.unbind().catch(() => undefined)
  }
}

async function changeSome(s: TestSlapd, n: number, size: number): Promise<void> {
  const ldif = Array.from({ length: n }, (_, i) => `dn: ${personDn(`person${String(1 + ((i * 7) % size)).padStart(6, '0')}`)}\nchangetype: modify\nreplace: cn\ncn: Renamed ${i}\n`).join('\n')
  await s.modify(ldif)
}

async function logins(engine: Engine, n: number, size: number): Promise<{ p50: number; p99: number }> {
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const uid = `person${String(1 + ((i * 997) % size)).padStart(6, '0')}`
    const t0 = performance.now()
    await engine.auth.login(uid, personPassword(uid), 'bench')
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return { p50: times[Math.floor(n / 2)]!, p99: times[Math.floor(n * 0.99)]! }
}

/**
 * The console at this seat while `work` runs: a page of the users list (the first 50 by name, and a
 * search) every 100 ms, as the help desk would click, through the same engine the sync runs in (on
 * SQLite the app's one engine thread serves both). Returns each call's time.
 */
async function consoleDuring<T>(engine: Engine, work: () => Promise<T>): Promise<{ out: T; calls: number[] }> {
  const calls: number[] = []
  let done = false
  const page = { status: 'all', role: 'all', source: 'all', sort: 'displayName', descending: false, offset: 0, limit: 50 } as const
  const clicking = (async () => {
    for (let i = 0; !done; i++) {
      const t0 = performance.now()
      await engine.directory.list({ ...page, search: i % 2 ? `person${String(i % 1000).padStart(3, '0')}` : '' })
      calls.push(performance.now() - t0)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })()
  try {
    return { out: await work(), calls }
  } finally {
    done = true
    await clicking
  }
}

/**
 * The console at another seat while `work` runs (PostgreSQL only): a process of its own with an
 * engine of its own on the same database (bench/ldap-other-seat.ts), in a data directory holding
 * the organisation's data key. Returns each of its calls' times.
 */
async function otherSeatDuring<T>(url: string, dataDir: string, work: () => Promise<T>): Promise<{ out: T; calls: number[] }> {
  const seat = tempDir('tessera-bench-ldap-seat-')
  copyFileSync(join(dataDir, KEY_FILE), join(seat.dir, KEY_FILE))
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'ldap-other-seat.ts'), JSON.stringify({ url, dataDir: seat.dir })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const message = () => new Promise<{ type: string; calls?: number[] }>((resolve, reject) => {
    child.once('message', resolve)
    child.once('exit', (code) => reject(new Error(`the other seat exited (${code})`)))
  })
  try {
    await message() // ready
    const out = await work()
    const result = message()
    child.send({ type: 'stop' })
    return { out, calls: (await result).calls ?? [] }
  } finally {
    child.kill()
    seat.remove()
  }
}

const callsLine = (where: string, times: number[]) => {
  const calls = [...times].sort((a, b) => a - b)
  return `    the users list ${where} meanwhile, every 100 ms (${calls.length} pages and searches): p50 ${percentile(calls, 0.5).toFixed(1)} ms, p99 ${percentile(calls, 0.99).toFixed(1)} ms, max ${(calls.at(-1) ?? 0).toFixed(1)} ms`
}

/** p50 and p99 of `n` runs of `call`, after one warm-up run. */
async function timed(n: number, call: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  await call()
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    await call()
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) }
}

/**
 * The users list's Source filter among `size` directory people and LOCAL local accounts (imported
 * as a CSV, the app's path): its pages through the engine, beside the raw index range a person would
 * write for the same rows (ids, then their rows), on the engine's own store.
 */
async function sourcePages(engine: Engine, size: number): Promise<void> {
  const actor = (await findUserByIdentifier(engine.store, 'person000001'))!
  const control = { signal: new AbortController().signal, progress: () => {}, pause: () => new Promise<void>((resolve) => setImmediate(resolve)) }
  const report = await engine.directory.importFrom(actor, { text: usersCsv(LOCAL) }, 'bench', control)
  if (!report.ok) throw new Error(`import refused: ${JSON.stringify(report.refused[0])}`)
  const base = { search: '', status: 'all', role: 'all', sort: 'displayName', descending: false, limit: 50 } as const
  const cases: [string, 'directory' | 'local', number, number][] = [
    ['from the directory, first page', 'directory', 0, 0],
    ['from the directory, middle page', 'directory', Math.floor(size / 2), Math.floor(size / 2)],
    ['from the directory, last page', 'directory', size - 50, 0],
    ['local only, first page', 'local', 0, 0],
    ['local only, middle page', 'local', LOCAL / 2, LOCAL / 2]
  ]
  for (const [label, source, offset, rawOffset] of cases) {
    const call = await timed(20, () => engine.directory.list({ ...base, source, offset }))
    // The yardstick: the page's ids from the index of (source, name), from its nearer end, then their rows.
    const descending = offset > size / 2 || (source === 'local' && offset > LOCAL / 2)
    const order = engine.store.kind === 'postgres' ? `lower(display_name) ${descending ? 'DESC' : 'ASC'}, id ${descending ? 'DESC' : 'ASC'}` : `display_name COLLATE NOCASE ${descending ? 'DESC' : 'ASC'}, id ${descending ? 'DESC' : 'ASC'}`
    const raw = await timed(20, () => engine.store.all(`SELECT u.* FROM (SELECT id FROM users WHERE source = ? ORDER BY ${order} LIMIT 50 OFFSET ?) p JOIN users u ON u.id = p.id`, [source === 'directory' ? 1 : 0, rawOffset]))
    console.log(`    ${label.padEnd(34)} p50 ${call.p50.toFixed(2)} ms, p99 ${call.p99.toFixed(2)} ms   (raw query p50 ${raw.p50.toFixed(2)} ms)`)
  }
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0

const line = (label: string, m: { ms: number; rssMb: number; p99Ms: number; maxMs: number }, target?: string) =>
  console.log(`  ${label.padEnd(34)} ${(m.ms / 1000).toFixed(1).padStart(7)} s   peak RSS ${m.rssMb.toFixed(0).padStart(5)} MB   event-loop delay p99 ${m.p99Ms.toFixed(1)} ms, max ${m.maxMs.toFixed(0)} ms${target ? `   (target ${target})` : ''}`)

const ownServer = values.postgres ? await startPostgres() : null
const serverUrl = ownServer?.url ?? values['database-url'] ?? null

for (const size of SIZES) {
  const server = await startSlapd()
  const dir = tempDir('tessera-bench-ldap-')
  const pg = serverUrl ? await freshDatabase(serverUrl) : null
  try {
    const loaded = performance.now()
    await bulkLoad(server, size)
    console.log(`${size.toLocaleString('en')} people in slapd (slapadd ${((performance.now() - loaded) / 1000).toFixed(1)} s), Tessera on ${pg ? 'PostgreSQL' : 'SQLite'}`)
    const engine = await createEngine({ databaseFile: join(dir.dir, 'tessera.db'), database: pg ? { url: pg.url } : undefined, dataDir: dir.dir, passwordParams: TEST_SCRYPT })
    try {
      await engine.directorySource.save(null, sourceOf(server), server.servicePassword, 'bench')
      console.log(`  raw paged read (ldapts, the yardstick) ${((await rawRead(server)) / 1000).toFixed(1)} s`)
      const sync = (request: { full: boolean }) => engine.directorySource.sync({ dryRun: false, confirm: false, ...request }, { ownerId: null, actor: null, workstation: 'bench' }, unattended())
      const first = await measured(() => sync({ full: true }))
      line(`first sync (${first.out.counts.created.toLocaleString('en')} created)`, first, size >= 1_000_000 ? '< 5 min' : undefined)
      const again = await measured(() => consoleDuring(engine, () => sync({ full: true })))
      line(`full re-sync, nothing changed (${again.out.out.counts.updated} updated)`, again, size >= 1_000_000 ? '< 2 min' : undefined)
      console.log(callsLine('at this seat', again.out.calls))
      if (pg) {
        const elsewhere = await measured(() => otherSeatDuring(pg.url, dir.dir, () => sync({ full: true })))
        line(`full re-sync again (${elsewhere.out.out.counts.updated} updated)`, elsewhere)
        console.log(callsLine('at another seat (a process of its own)', elsewhere.out.calls))
      }
      await changeSome(server, CHANGES, size)
      const changes = await measured(() => sync({ full: false }))
      line(`incremental, ${CHANGES.toLocaleString('en')} changed (${changes.out.counts.updated} updated)`, changes, '< 10 s')
      const binds = await logins(engine, LOGINS, size)
      console.log(`  login by bind, ${LOGINS} logins one after another: p50 ${binds.p50.toFixed(1)} ms, p99 ${binds.p99.toFixed(1)} ms`)
      console.log(`  the users list's Source filter, ${LOCAL.toLocaleString('en')} local accounts imported beside them (20 calls each):`)
      await sourcePages(engine, size)
    } finally {
      await engine.close()
    }
  } finally {
    await server.stop()
    await pg?.drop()
    dir.remove()
  }
}
if (ownServer) stopAndRemove(ownServer)
