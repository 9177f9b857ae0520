/**
 * Directory benchmark: imports N users (default 100,000) into a fresh database and times the
 * queries the console makes, printing the median and worst of repeated runs, and the memory used.
 *   npm run bench -- [N]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createEngine } from '../src/main/core/engine'
import { unattended } from '../src/main/core/jobs'
import type { ListQuery } from '../src/main/core/directory'
import { usersCsv } from './users-csv'

const n = Number(process.argv[2] ?? 100_000)
const RUNS = 15
const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-'))
const engine = createEngine({ databaseFile: join(dir, 'tessera.db'), passwordParams: { log2N: 10, r: 8, p: 1 } })

function time<T>(fn: () => T): number {
  const t0 = performance.now()
  fn()
  return performance.now() - t0
}

function measure(label: string, fn: () => unknown): void {
  const samples = Array.from({ length: RUNS }, () => time(fn)).sort((a, b) => a - b)
  const median = samples[Math.floor(RUNS / 2)]!
  console.log(`${label.padEnd(48)} median ${median.toFixed(1).padStart(7)} ms   worst ${samples.at(-1)!.toFixed(1).padStart(7)} ms`)
}

const base: ListQuery = { search: '', status: 'all', role: 'all', sort: 'displayName', descending: false, offset: 0, limit: 100 }

try {
  const csv = usersCsv(n)
  const started = performance.now()
  await engine.directory.importFrom(null, { text: csv }, 'bench', unattended())
  const importMs = performance.now() - started
  console.log(`users: ${n.toLocaleString('en')}`)
  console.log(`${'import CSV (one transaction)'.padEnd(48)} ${importMs.toFixed(0).padStart(14)} ms`)
  measure('first page, by name', () => engine.directory.list(base))
  measure('page at the end (offset n-100), by name', () => engine.directory.list({ ...base, offset: n - 100 }))
  measure('first page, by status', () => engine.directory.list({ ...base, sort: 'status' }))
  measure('search "hamilton 99" (substring, any column)', () => engine.directory.list({ ...base, search: 'hamilton 99' }))
  measure('search "zzz" (no match: full scan)', () => engine.directory.list({ ...base, search: 'zzz' }))
  measure('filter role = help desk', () => engine.directory.list({ ...base, role: 'helpdesk' }))
  measure('filter status = locked', () => engine.directory.list({ ...base, status: 'locked' }))
  measure('counts per status', () => engine.directory.counts())
  const exportStart = performance.now()
  await engine.directory.exportTo(null, join(dir, 'export.csv'), 'bench', unattended())
  console.log(`${'export CSV'.padEnd(48)} ${(performance.now() - exportStart).toFixed(0).padStart(14)} ms`)
  const m = process.memoryUsage()
  console.log(`memory: rss ${(m.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(m.heapUsed / 2 ** 20).toFixed(0)} MiB`)
} finally {
  engine.close()
  rmSync(dir, { recursive: true, force: true })
}
