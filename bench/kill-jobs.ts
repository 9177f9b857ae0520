/**
 * The long kill test (the README's "Jobs that survive a crash"): each kind of long job that writes
 * is killed with SIGKILL at many random moments, in a child process, on a real file, on SQLite and
 * on a PostgreSQL server this script starts; after each kill the next start is checked (all or
 * nothing, integrity, the audit chain, the same input again: tests/helpers/kill-jobs.ts).
 *
 *   npx tsx bench/kill-jobs.ts [--points 20] [--rows 20000] [--bulk-rows 1000] [--stores sqlite,postgres] [--no-copy]
 *
 * Moments: half of the points are times, one drawn at random in each of equal stretches of the
 * job's run (timed once, uninterrupted, beforehand) from the moment a child has started (as long as
 * `tessera job list` takes, the CLI's own start) to its end; the other half are shares of the work
 * (users created, links sent), drawn the same way from 0 to 100 % and watched in the database, so
 * that the writing is hit however fast this machine runs today. Prints one line per point and a summary per job and store;
 * exits 1 if any point left a problem.
 */
import { parseArgs } from 'node:util'
import type { StoreKind } from '../src/main/store'
import type { Store } from '../src/main/store'
import { bulkKillPoint, cli, copyKillPoint, countOf, importKillPoint, organisation, runKilled, spreadMoments, storeOf, usersFile, type Organisation, type PointResult } from '../tests/helpers/kill-jobs'
import { startPostgres, stopAndRemove } from '../tests/helpers/postgres'

const { values } = parseArgs({
  options: { points: { type: 'string', default: '20' }, rows: { type: 'string', default: '20000' }, 'bulk-rows': { type: 'string', default: '1000' }, stores: { type: 'string', default: 'sqlite,postgres' }, 'no-copy': { type: 'boolean', default: false } }
})
const POINTS = Number(values.points)
const ROWS = Number(values.rows)
const BULK_ROWS = Number(values['bulk-rows'])

type Summary = { job: string; store: string; points: number; killed: number; undone: number; complete: number; problems: string[] }
const summaries: Summary[] = []

function report(job: string, store: string, results: PointResult[]): void {
  results.forEach((r, i) =>
    console.log(`  ${job} on ${store}, point ${i + 1}: ${r.killed ? `killed at ${Math.round(r.ms)} ms` : `finished in ${Math.round(r.ms)} ms`}; ${r.settled ?? 'nothing to settle'}${r.undone ? ` (${r.undone})` : ''}${r.problems.length ? `; PROBLEMS: ${r.problems.join('; ')}` : ''}`)
  )
  summaries.push({
    job,
    store,
    points: results.length,
    killed: results.filter((r) => r.killed).length,
    undone: results.filter((r) => r.killed && r.undone > 0).length,
    complete: results.filter((r) => r.settled === 'done' || !r.killed).length,
    problems: results.flatMap((r) => r.problems)
  })
}

/** How long a child takes to start and do nothing (`tessera job list`). */
let startup = 0

/** The moments to kill a job at: across its run, timed once uninterrupted, after the child's start. */
async function momentsOf(run: (ms: number) => Promise<PointResult>): Promise<number[]> {
  const whole = await run(10 * 60_000)
  if (whole.killed || whole.problems.length) throw new Error(`the uninterrupted run failed: ${whole.problems.join('; ')}`)
  return spreadMoments(POINTS, Math.min(startup, whole.ms * 0.8), whole.ms)
}

/** Half the points as times, half as shares of the work done (see above), shuffled together. */
const SHARES = () => spreadMoments(Math.floor(POINTS / 2), 0, 1000).map((m) => m / 1000)

async function importPoints(org: Organisation, kind: StoreKind, watcher: Store): Promise<void> {
  const times = (await momentsOf((ms) => importKillPoint(org, 'whole', ROWS, ms))).filter((_, i) => i < POINTS - Math.floor(POINTS / 2))
  const made = (prefix: string, share: number) => async (store: Store) => (await countOf(store, 'SELECT count(*) AS n FROM users WHERE username LIKE ?', [`${prefix}%`])) >= ROWS * share
  const results: PointResult[] = []
  for (const [i, ms] of times.entries()) results.push(await importKillPoint(org, `t${i}u`, ROWS, ms))
  for (const [i, share] of SHARES().entries()) results.push(await importKillPoint(org, `s${i}u`, ROWS, made(`s${i}u`, share), watcher))
  report(`import of ${ROWS.toLocaleString('en')} users`, kind, results)
}

async function bulkPoints(org: Organisation, kind: StoreKind, watcher: Store): Promise<void> {
  if ((await cli(org, ['user', 'import', usersFile(org, 'bk', BULK_ROWS)])).code !== 0) throw new Error('could not import the bulk action\'s accounts')
  const times = (await momentsOf((ms) => bulkKillPoint(org, 'bk', BULK_ROWS, ms))).filter((_, i) => i < POINTS - Math.floor(POINTS / 2))
  const linked = (share: number) => async (store: Store, since: number) =>
    (await countOf(store, "SELECT count(*) AS n FROM enrolment_tokens t JOIN users u ON u.id = t.user_id WHERE u.username LIKE 'bk%' AND t.created_at >= ?", [since])) >= BULK_ROWS * share
  const results: PointResult[] = []
  for (const ms of times) results.push(await bulkKillPoint(org, 'bk', BULK_ROWS, ms))
  for (const share of SHARES()) results.push(await bulkKillPoint(org, 'bk', BULK_ROWS, linked(share), watcher))
  report(`bulk registration links to ${BULK_ROWS.toLocaleString('en')} accounts`, kind, results)
}

async function copyPoints(serverUrl: string): Promise<void> {
  const org = await organisation('sqlite', null)
  try {
    if ((await cli(org, ['user', 'import', usersFile(org, 'cp', ROWS)])).code !== 0) throw new Error('could not import the users to copy')
    const moments = await momentsOf((ms) => copyKillPoint(org, serverUrl, ms))
    const results: PointResult[] = []
    for (const ms of moments) results.push(await copyKillPoint(org, serverUrl, ms))
    report(`copy of ${ROWS.toLocaleString('en')} users to PostgreSQL`, 'sqlite → postgres', results)
  } finally {
    await org.remove()
  }
}

const server = await startPostgres()
try {
  // The kill helper tells a killed child from a finished one.
  const probe = await organisation('sqlite', null)
  if (!(await runKilled(probe, { cli: ['job', 'list'] }, 1)).killed) throw new Error('the kill helper did not kill')
  startup = (await runKilled(probe, { cli: ['job', 'list'] }, 60_000)).ms
  console.log(`a child starts and exits in ${Math.round(startup)} ms`)
  await probe.remove()
  for (const kind of values.stores.split(',') as StoreKind[]) {
    const org = await organisation(kind, server.url)
    const watcher = await storeOf(org)
    try {
      await importPoints(org, kind, watcher)
      await bulkPoints(org, kind, watcher)
    } finally {
      await watcher.close()
      await org.remove()
    }
  }
  if (!values['no-copy']) await copyPoints(server.url)
} finally {
  stopAndRemove(server)
}

console.log('\njob | store | kill points | killed | killed after writing (rolled back / reported) | complete | problems')
for (const s of summaries) console.log(`${s.job} | ${s.store} | ${s.points} | ${s.killed} | ${s.undone} | ${s.complete} | ${s.problems.length}`)
process.exitCode = summaries.some((s) => s.problems.length) ? 1 : 0
