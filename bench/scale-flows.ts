/**
 * What `npm run bench` (bench/scale.ts) and its seat processes (bench/scale-seat.ts) share: the
 * benchmark's administrator and password, timing statistics, and signing in through the worker
 * boundary.
 */
import { performance } from 'node:perf_hooks'
import { totpAt } from '../src/main/core/two-factor/totp'
import type { JobView } from '../src/shared/admin-dto'
import type { EngineHost } from '../src/main/worker/engine-host'

export const PASSWORD = 'correct horse battery staple'
export const ADMIN = { username: 'benchadmin', email: 'benchadmin@example.org', displayName: 'Bench Admin', password: 'analytical engine notes' }
/** The engine worker from source (tsx), as the harness and the tests start it. */
export const WORKER = new URL('../src/main/worker/dev-worker.mjs', import.meta.url)

export const ms = (t0: number) => performance.now() - t0
export const f = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1))
export const sleep = (n: number) => new Promise((resolve) => setTimeout(resolve, n))

export function stats(samples: number[]): { p50: number; p99: number; max: number } {
  const s = [...samples].sort((a, b) => a - b)
  return { p50: s[Math.floor(s.length / 2)]!, p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))]!, max: s.at(-1)! }
}

/**
 * Signs `conn` in (the administrator unless told), setting up the authenticator app when the account
 * has none yet (staff must); returns its secret when it set one up.
 */
export async function signIn(host: EngineHost, conn: string, identifier = ADMIN.username, password = ADMIN.password, ws = 'bench'): Promise<string | null> {
  const r = await host.call(conn, ws, 'auth:login', { identifier, password })
  if (!r.ok) throw new Error(`login: ${r.code}`)
  const status = r.value as { stage: string }
  if (status.stage !== 'enrol') return null
  const step = (await host.call(conn, ws, 'enrol:start', { method: 'totp' })) as { ok: true; value: { uri: string } }
  const secret = new URL(step.value.uri).searchParams.get('secret')!
  await host.call(conn, ws, 'enrol:confirm', { code: totpAt(secret, Date.now()) })
  await host.call(conn, ws, 'enrol:complete', {})
  return secret
}

export async function waitFor(host: EngineHost, job: JobView): Promise<JobView> {
  for (;;) {
    const r = (await host.call('bench', 'bench', 'jobs:get', { jobId: job.id })) as { ok: true; value: JobView }
    if (r.value.state !== 'running') return r.value
    await sleep(100)
  }
}

/** The directory's list query with nothing chosen: the first 100 rows by name. */
export const BASE_LIST = { search: '', status: 'all', role: 'all', source: 'all', sort: 'displayName', descending: false, offset: 0, limit: 100 }
