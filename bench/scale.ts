/**
 * `npm run bench -- [USERS [AUDIT_ROWS]] [--calls] [--database-url URL | --postgres]` (default
 * 1,000,000 users and 5,000,000 audit rows).
 *
 * Builds (once) the data: users in every state (enrolled, locked, postponed, must set up, disabled,
 * with an open request) and audit rows up to the size asked (bench/scale-data.ts). Then, through
 * the worker boundary the app uses (EngineHost, the IPC handler table behind it), it prints
 * p50/p99/max of every console call beside the raw SQL for the same answer on the same database
 * (on the benchmark's own connection in this thread, and sent through the boundary:
 * bench/scale-calls.ts), and (unless --calls) a run of everything at once:
 *
 * - SQLite (the default): the data directory built through the engine's own import and audit
 *   writer, cached in .bench-data/, each run on a scratch copy; then the main thread's event-loop
 *   delay while 20 logins, a search typed letter by letter, a directory page every 100 ms, a
 *   100,000-row import, a users export and a full audit verify run at once.
 * - PostgreSQL: `--database-url URL` uses an existing server (URL's user may create databases; the
 *   database it names is only connected to), `--postgres` starts a throwaway cluster of its own
 *   (tests/helpers/postgres.ts: Debian's binaries, loopback, fsync off) and removes it after. The
 *   data is written directly (bench/scale-data.ts) into a database kept on the server as a template,
 *   `tessera_bench_USERS_AUDIT` (reused by later runs on the same server: drop it to rebuild), and
 *   each run works on a fresh copy of it (bench/scale-postgres.ts). Then the multi-seat run: 4 seat
 *   processes at once, each with 5 logins, a search typed letter by letter and a directory page every
 *   100 ms, and one valid TOTP code sent 50 times at once across them (bench/scale-seats.ts).
 */
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { createEngine } from '../src/main/core/engine'
import type { JobView } from '../src/shared/admin-dto'
import { startEngineHost, type EngineHost } from '../src/main/worker/engine-host'
import { callTable, postgresYardstick, sqliteYardstick } from './scale-calls'
import { fillAudit, fillStates, importUsers } from './scale-data'
import { BASE_LIST, f, ms, PASSWORD, signIn, stats, waitFor, WORKER } from './scale-flows'
import { cachedTemplate, describeServer, openServer, runDatabase, seatDir } from './scale-postgres'
import { multiSeatRun } from './scale-seats'
import { usersCsv } from './users-csv'

const { values, positionals } = parseArgs({
  options: { calls: { type: 'boolean' }, 'database-url': { type: 'string' }, postgres: { type: 'boolean' } },
  allowPositionals: true
})
const USERS = Number(positionals[0] ?? 1_000_000)
const AUDIT = Number(positionals[1] ?? 5_000_000)
/** `--calls`: the table of calls only, without the run of everything at once. */
const CALLS_ONLY = values.calls === true
const DIR = resolve('.bench-data', `scale-${USERS}-${AUDIT}`)
const machine = () => `machine: ${cpus().length} x ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}, load average ${loadavg()[0]!.toFixed(2)}`

/** SQLite: builds the data directory through the engine, in a temporary folder renamed when complete. */
async function buildSqlite(): Promise<void> {
  const tmp = `${DIR}.building`
  rmSync(tmp, { recursive: true, force: true })
  mkdirSync(tmp, { recursive: true })
  const engine = await createEngine({ databaseFile: join(tmp, 'tessera.db'), dataDir: tmp })
  const importMs = await importUsers(engine, USERS)
  writeFileSync(join(tmp, 'bench-build.json'), JSON.stringify({ importMs, users: USERS, at: new Date().toISOString() }))
  await fillStates(engine, USERS)
  await fillAudit(engine, USERS, AUDIT)
  await engine.close()
  renameSync(tmp, DIR)
}

/** SQLite: a scratch copy of the data directory (each run imports 100,000 more users and writes audit rows). */
function scratchCopy(): string {
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
  return work
}

async function runSqlite(): Promise<void> {
  if (!existsSync(DIR)) await buildSqlite()
  if (existsSync(join(DIR, 'bench-build.json'))) {
    const built = JSON.parse(readFileSync(join(DIR, 'bench-build.json'), 'utf8')) as { importMs: number; at: string }
    console.log(`import of ${USERS.toLocaleString('en')} users into an empty directory (when the data was built, ${built.at}): ${(built.importMs / 1000).toFixed(1)} s (target < 60 s)`)
  }
  console.log(`data: ${DIR} (${(statSync(join(DIR, 'tessera.db')).size / 2 ** 20).toFixed(0)} MiB); ${machine()}`)
  const work = scratchCopy()
  const host = await startEngineHost(WORKER, { databaseFile: join(work, 'tessera.db'), dataDir: work, testHooks: true })
  const yard = sqliteYardstick(join(work, 'tessera.db'))
  try {
    await signIn(host, 'bench')
    await callTable(host, yard, USERS, AUDIT)
    if (!CALLS_ONLY) await concurrentRun(host, BASE_LIST, work)
  } finally {
    await yard.close()
    await host.close()
    rmSync(work, { recursive: true, force: true })
  }
}

/** PostgreSQL: the cached data on the server (built first when missing), a fresh copy of it, the table and the seats. */
async function runPostgres(url: string | undefined): Promise<void> {
  const server = await openServer(url)
  const root = resolve('.bench-data', `pg-${USERS}-${AUDIT}`)
  try {
    console.log(server.own ? 'server: a throwaway cluster of the benchmark\'s own (tests/helpers/postgres.ts)' : `server: ${new URL(server.url).host} (--database-url)`)
    const { name, built } = await cachedTemplate(server, USERS, AUDIT, join(root, 'building'))
    console.log(`data: database ${name}, built ${built.at} in ${(built.buildMs / 1000).toFixed(1)} s (written directly: bench/scale-data.ts)`)
    const run = await runDatabase(server, name)
    console.log(`run: on a fresh copy of it (${(run.copyMs / 1000).toFixed(1)} s): ${await describeServer(run.url)}; ${machine()}`)
    const work = seatDir(join(root, 'run'), built.key)
    const host = await startEngineHost(WORKER, { databaseFile: join(work, 'unused.db'), database: { url: run.url }, dataDir: work, testHooks: true })
    const yard = await postgresYardstick(run.url)
    try {
      await signIn(host, 'bench')
      const calls = await callTable(host, yard, USERS, AUDIT)
      const seats = CALLS_ONLY || (await multiSeatRun(host, run.url, built.key, root))
      console.log(`\ntargets on PostgreSQL: calls ${calls ? 'met' : 'NOT MET'}${CALLS_ONLY ? '' : `; multi-seat run ${seats ? 'met' : 'NOT MET'}`} (load average now ${loadavg()[0]!.toFixed(2)})`)
    } finally {
      await yard.close()
      await host.close()
      await run.drop()
      rmSync(root, { recursive: true, force: true })
    }
  } finally {
    server.stop()
  }
}

if (values['database-url'] !== undefined || values.postgres) await runPostgres(values['database-url'])
else await runSqlite()

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
