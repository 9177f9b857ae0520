/**
 * `npm run bench:import [-- ROWS]` (default 1,000,000): imports a CSV of that many users into a new
 * data directory through the engine's import (the job the console starts), and prints the time of
 * each of its steps: reading and checking the file, comparing it with the directory, creating users.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createEngine } from '../src/main/core/engine'
import type { JobControl } from '../src/main/core/jobs'
import { usersCsv } from './users-csv'

const ROWS = Number(process.argv[2] ?? 1_000_000)
const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-import-'))
try {
  const engine = await createEngine({ databaseFile: join(dir, 'tessera.db'), dataDir: dir })
  const admin = await engine.accounts.createFirstAdmin({ username: 'benchadmin', email: 'benchadmin@example.org', displayName: 'Bench Admin', password: 'analytical engine notes' })
  const csv = usersCsv(ROWS)
  const steps: [string, number][] = []
  let step = 'starting'
  let t0 = performance.now()
  const start = t0
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
  const report = await engine.directory.importFrom(admin, { text: csv }, 'bench', control)
  steps.push([step, performance.now() - t0])
  await engine.close()
  if (!report.ok) throw new Error(`refused: ${JSON.stringify(report.refused[0])}`)
  console.log(`imported ${report.created.toLocaleString('en')} users in ${((performance.now() - start) / 1000).toFixed(1)} s (target for 1,000,000: < 60 s)`)
  for (const [name, ms] of steps.slice(1)) console.log(`  ${name}: ${(ms / 1000).toFixed(1)} s`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
