/**
 * `npx tsx bench/import-postgres.ts [ROWS]` (default 100,000): imports a CSV of that many users
 * through the engine's import (the job the console starts) into a fresh database on a PostgreSQL
 * cluster of its own (tests/helpers/postgres.ts), then prints the time of each step, rows/s, the
 * main thread's event-loop delay during the import, and checks the audit chain.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { createEngine } from '../src/main/core/engine'
import { verifyAudit } from '../src/main/core/audit'
import type { JobControl } from '../src/main/core/jobs'
import { freshDatabase, startPostgres, stopAndRemove } from '../tests/helpers/postgres'
import { usersCsv } from './users-csv'

const ROWS = Number(process.argv[2] ?? 100_000)
const server = await startPostgres()
const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-import-pg-'))
try {
  const db = await freshDatabase(server.url)
  const engine = await createEngine({ databaseFile: join(dir, 'unused.db'), database: { url: db.url }, dataDir: dir })
  const admin = await engine.accounts.createFirstAdmin({ username: 'benchadmin', email: 'benchadmin@example.org', displayName: 'Bench Admin', password: 'analytical engine notes' })
  const csv = usersCsv(ROWS)
  const steps: [string, number][] = []
  let step = 'starting'
  let t0 = performance.now()
  const control: JobControl = {
    signal: new AbortController().signal,
    progress(_done, _total, next) {
      if (!next || next.label === step) return
      steps.push([step, performance.now() - t0])
      step = next.label
      t0 = performance.now()
    },
    pause: () => new Promise<void>((resolve) => setImmediate(resolve))
  }
  const delay = monitorEventLoopDelay({ resolution: 1 })
  delay.enable()
  // The longest gap between two 5 ms ticks, and the main thread's CPU time within it: on a busy
  // machine a gap is often the thread waiting for a core, not running.
  let longest = { gap: 0, cpu: 0 }
  let tick = { at: performance.now(), cpu: process.threadCpuUsage() }
  const watch = setInterval(() => {
    const now = { at: performance.now(), cpu: process.threadCpuUsage() }
    const gap = now.at - tick.at - 5
    if (gap > longest.gap) longest = { gap, cpu: (now.cpu.user + now.cpu.system - tick.cpu.user - tick.cpu.system) / 1000 }
    tick = now
  }, 5)
  const start = performance.now()
  const report = await engine.directory.importFrom(admin, { text: csv }, 'bench', control)
  const total = performance.now() - start
  delay.disable()
  clearInterval(watch)
  steps.push([step, performance.now() - t0])
  if (!report.ok) throw new Error(`refused: ${JSON.stringify(report.refused[0])}`)
  console.log(`imported ${report.created.toLocaleString('en')} users into PostgreSQL in ${(total / 1000).toFixed(1)} s: ${Math.round(report.created / (total / 1000)).toLocaleString('en')} rows/s (target for 1,000,000: < 120 s)`)
  for (const [name, ms] of steps.slice(1)) console.log(`  ${name}: ${(ms / 1000).toFixed(1)} s`)
  const ms = (ns: number) => (ns / 1e6).toFixed(1)
  console.log(`main-thread event-loop delay: max ${ms(delay.max)} ms, p99 ${ms(delay.percentile(99))} ms, mean ${ms(delay.mean)} ms; longest gap ${longest.gap.toFixed(0)} ms, of it running ${longest.cpu.toFixed(0)} ms`)
  const counts = await engine.store.get<{ users: number; audit: number; created: number }>(
    "SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM audit_log) AS audit, (SELECT count(*) FROM audit_log WHERE event = 'user.created') AS created"
  )
  const t1 = performance.now()
  await engine.audit.flush()
  const verdict = await verifyAudit(engine.store, engine.sealer, engine.anchor)
  console.log(`users ${counts!.users}, audit rows ${counts!.audit} (user.created ${counts!.created}); audit verify: ${verdict.ok ? `ok, ${verdict.rows} rows` : `BROKEN at ${verdict.brokenAt}: ${verdict.problem}`} (${((performance.now() - t1) / 1000).toFixed(1)} s)`)
  await engine.close()
  await db.drop()
  if (!verdict.ok) process.exitCode = 1
} finally {
  stopAndRemove(server)
  rmSync(dir, { recursive: true, force: true })
}
