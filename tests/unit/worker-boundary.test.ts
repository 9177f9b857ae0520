/**
 * Rule: the engine runs in its own thread and a contract call crosses to it and back with the same
 * `Result` as in-process; long work there (a 100,000-row import) leaves the calling thread's event
 * loop free and a directory page still answers meanwhile.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { usersCsv } from '../../bench/users-csv'
import type { ExportResult, JobView } from '../../src/shared/admin-dto'
import { totpAt } from '../../src/main/core/two-factor/totp'
import { startEngineHost, type EngineHost } from '../../src/main/worker/engine-host'
import { ADMIN } from '../helpers/caller'
import { TEST_SCRYPT, tempDir } from '../helpers/engine'

const DEV_WORKER = new URL('../../src/main/worker/dev-worker.mjs', import.meta.url)
const tmp = tempDir()
let host: EngineHost
const call = (channel: string, input: unknown = {}) => host.call('window-1', 'ws-1', channel, input, { file: join(tmp.dir, 'export.csv'), download: null })
async function ok<T>(channel: string, input: unknown = {}): Promise<T> {
  const r = await call(channel, input)
  if (!r.ok) throw new Error(`${channel}: ${r.code} ${r.message}`)
  return r.value as T
}

beforeAll(async () => {
  host = await startEngineHost(DEV_WORKER, { databaseFile: join(tmp.dir, 'tessera.db'), dataDir: tmp.dir, passwordParams: TEST_SCRYPT })
  // The first administrator, through the boundary, up to a full session with an authenticator.
  await ok('setup:create-admin', ADMIN)
  const step = await ok<{ step: string; uri: string }>('enrol:start', { method: 'totp' })
  const secret = new URL(step.uri).searchParams.get('secret')!
  await ok('enrol:confirm', { code: totpAt(secret, Date.now()) })
  await ok('enrol:complete')
})
afterAll(async () => {
  await host.close()
  tmp.remove()
})

it('answers with the same Result shapes as in-process: values, refusals, bad input, unknown channels', async () => {
  expect(await call('app:status')).toMatchObject({ ok: true, value: { initialized: true, stage: 'full', session: { user: { username: 'ada' } } } })
  expect(await call('users:get', { userId: 999 })).toEqual({ ok: false, code: 'NOT_FOUND', message: 'No such user.', words: { id: 'staffRefusals.noSuchUser' } })
  expect(await call('users:list', { limit: 0 })).toMatchObject({ ok: false, code: 'INVALID_INPUT', field: 'limit' })
  expect(await call('no:such-channel')).toMatchObject({ ok: false, code: 'UNKNOWN_CHANNEL' })
  // Another window (connection) has no session.
  expect(await host.call('window-2', 'ws-1', 'users:list', {})).toMatchObject({ ok: false, code: 'NOT_AUTHENTICATED' })
})

it('runs a 100,000-row import as a job while this thread stays free and a directory page answers', async () => {
  const csv = usersCsv(100_000) // built before watching: it is the test's own work, not the engine's
  const delay = monitorEventLoopDelay({ resolution: 5 })
  delay.enable()
  const job = await ok<JobView>('users:import', { csv })
  const pageTimes: number[] = []
  let state = job.state
  while (state === 'running') {
    const t0 = performance.now()
    await ok('users:list', { search: 'hamilton', limit: 50 })
    pageTimes.push(performance.now() - t0)
    state = (await ok<JobView>('jobs:get', { jobId: job.id })).state
  }
  delay.disable()
  expect(state).toBe('done')
  expect((await ok<JobView>('jobs:get', { jobId: job.id })).result).toMatchObject({ ok: true, created: 100_000 })
  expect(pageTimes.length).toBeGreaterThan(5)
  // Generous bounds for a shared 2-core CI machine (`npm run bench` prints the real figures): the
  // thread answers within 20 ms 99 times in 100, and is never held for 100 ms. (One scheduling
  // hiccup of ~50 ms in a 10 s import happens here on a machine running other work.)
  console.log(`event-loop delay during the import: p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms`)
  expect(delay.percentile(99) / 1e6).toBeLessThan(20)
  expect(delay.max / 1e6).toBeLessThan(100)
  expect(pageTimes.sort((a, b) => a - b)[Math.floor(pageTimes.length / 2)]).toBeLessThan(100)
}, 60_000) // about 10 s on a quiet 2-core machine; CI's runs under other load took over 20

it('streams an export to the file the main process chose', async () => {
  const job = await ok<JobView>('users:export')
  let done = job
  while (done.state === 'running') done = await ok<JobView>('jobs:get', { jobId: job.id })
  const result = done.result as ExportResult
  expect(result.file).toBe(join(tmp.dir, 'export.csv'))
  expect(readFileSync(result.file, 'utf8').trim().split('\r\n')).toHaveLength(result.rows + 1)
})
