/**
 * Rule: a seat survives its database server restarting mid-run. While the server is away every call
 * fails with DATABASE_UNAVAILABLE (a clear code, no stack, nothing half done); once it is back the
 * same engine answers again without a restart, with every acknowledged write still there, and the
 * session signed in before the restart still works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../src/main/core/engine'
import { TEST_SCRYPT, tempDir, testClock, type TestEngine } from '../helpers/engine'
import { addUser, firstAdmin } from '../helpers/flows'
import { startPostgres, stopAndRemove, type TestPostgres } from '../helpers/postgres'

describe('a seat whose PostgreSQL server restarts mid-run', () => {
  let server: TestPostgres
  let t: TestEngine
  let engine: Engine
  const dir = tempDir()
  beforeAll(async () => {
    server = await startPostgres()
    const clock = testClock()
    engine = await createEngine({ databaseFile: `${dir.dir}/unused.db`, database: { url: server.url }, dataDir: dir.dir, clock, passwordParams: TEST_SCRYPT })
    t = { engine, clock, dir: dir.dir, database: { file: '', url: server.url }, dispose: async () => {} }
  })
  afterAll(async () => {
    await engine.close()
    stopAndRemove(server)
    dir.remove()
  })

  it('refuses calls clearly while the server is away and carries on, with the same session, when it is back', async () => {
    const admin = await firstAdmin(t)
    await addUser(admin, 'grace')
    server.stop()
    const during = await admin.call('users:create', { username: 'hedy', email: 'hedy@example.org', displayName: 'Hedy', role: 'user' })
    expect(during).toEqual({ ok: false, code: 'DATABASE_UNAVAILABLE', message: 'The database server cannot be reached. Tessera keeps trying: try again in a moment.' })
    expect(await admin.call('users:list', { limit: 5 })).toMatchObject({ ok: false, code: 'DATABASE_UNAVAILABLE' })
    server.start()
    const after = await admin.ok('users:list', { limit: 10 })
    expect(after.rows.map((r) => r.username).sort()).toEqual(['ada', 'grace'])
    await admin.ok('users:create', { username: 'hedy', email: 'hedy@example.org', displayName: 'Hedy', role: 'user' })
    expect((await admin.ok('users:list', { limit: 10 })).rows).toHaveLength(3)
  }, 60_000)
})
