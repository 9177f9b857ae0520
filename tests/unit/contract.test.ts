/**
 * Rule: every contract channel has a handler; input is validated before anything runs; the first
 * administrator is created once; login answers the same for an unknown user and a wrong password;
 * sessions are held by the engine (the renderer holds no token) and end on logout.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CHANNELS, contract } from '../../src/shared/contract'
import { createHandlerTable } from '../../src/main/ipc/handlers'
import { ADMIN, connect } from '../helpers/caller'
import { testEngine, type TestEngine } from '../helpers/engine'

let t: TestEngine
beforeEach(async () => {
  t = await testEngine()
})
afterEach(() => t.dispose())

const userCount = async () => (await t.engine.store.get<{ n: number }>('SELECT count(*) AS n FROM users'))!.n

describe('the contract', () => {
  it('has exactly one handler per channel', () => {
    expect(Object.keys(createHandlerTable(t.engine)).sort()).toEqual([...CHANNELS].sort())
    expect(CHANNELS).toEqual(Object.keys(contract))
  })

  it('refuses unknown channels and invalid input without running anything', async () => {
    const c = connect(t.engine)
    expect(await c.raw('users:drop-all', {})).toMatchObject({ ok: false, code: 'UNKNOWN_CHANNEL' })
    expect(await c.raw('__proto__', {})).toMatchObject({ ok: false, code: 'UNKNOWN_CHANNEL' })
    const bad = await c.call('setup:create-admin', { ...ADMIN, email: 'not-an-email' })
    expect(bad).toMatchObject({ ok: false, code: 'INVALID_INPUT', field: 'email' })
    const short = await c.call('setup:create-admin', { ...ADMIN, password: 'short' })
    expect(short).toMatchObject({ ok: false, code: 'INVALID_INPUT', field: 'password' })
    expect(await c.raw('setup:create-admin', { ...ADMIN, role: 'user', extra: 1 })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await c.raw('auth:login', 'not an object')).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await userCount()).toBe(0)
  })
})

describe('first run', () => {
  it('creates the first administrator once and takes them straight to setting up a second factor', async () => {
    const c = connect(t.engine)
    expect(await c.ok('app:status', {})).toMatchObject({ initialized: false, stage: null, session: null })
    const status = await c.ok('setup:create-admin', ADMIN)
    expect(status.stage).toBe('enrol')
    expect(status.enrol).toMatchObject({ required: true, reason: 'staff', postponementsLeft: 0 })
    expect(await c.call('users:list', {})).toMatchObject({ ok: false, code: 'NOT_AUTHENTICATED' })
    expect(status.session?.user).toMatchObject({ username: 'ada', role: 'admin', displayName: 'Ada Lovelace' })
    expect(await c.ok('app:status', {})).toMatchObject({ initialized: true, session: { user: { username: 'ada' } } })

    const other = connect(t.engine)
    const again = await other.call('setup:create-admin', { ...ADMIN, username: 'mallory', email: 'm@example.org' })
    expect(again).toMatchObject({ ok: false, code: 'ALREADY_INITIALIZED' })
    expect(await userCount()).toBe(1)
  })

  it('lets only one of two simultaneous first-run requests through', async () => {
    const a = connect(t.engine)
    const b = connect(t.engine)
    const results = await Promise.all([
      a.call('setup:create-admin', ADMIN),
      b.call('setup:create-admin', { ...ADMIN, username: 'eve', email: 'eve@example.org' })
    ])
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.find((r) => !r.ok)).toMatchObject({ code: 'ALREADY_INITIALIZED' })
    expect(await userCount()).toBe(1)
  })

  it('never stores the password in clear', async () => {
    await connect(t.engine).ok('setup:create-admin', ADMIN)
    const dump = JSON.stringify(await t.engine.store.all('SELECT * FROM password_credentials'))
    expect(dump).not.toContain(ADMIN.password)
    expect(dump).toContain('$scrypt$')
  })
})

describe('password login', () => {
  beforeEach(async () => {
    const c = connect(t.engine)
    await c.ok('setup:create-admin', ADMIN)
  })

  it('logs in by username or e-mail, case-insensitively', async () => {
    for (const identifier of ['ada', 'ADA', 'ada@example.org', 'Ada@Example.ORG', '  ada  ']) {
      const c = connect(t.engine)
      expect((await c.ok('auth:login', { identifier, password: ADMIN.password })).session?.user.username).toBe('ada')
    }
  })

  it('gives one answer for an unknown user and a wrong password', async () => {
    const c = connect(t.engine)
    const wrong = await c.call('auth:login', { identifier: 'ada', password: 'not the password' })
    const unknown = await c.call('auth:login', { identifier: 'nobody', password: 'not the password' })
    expect(wrong).toEqual(unknown)
    expect(wrong).toMatchObject({ ok: false, code: 'INVALID_CREDENTIALS' })
    expect(await c.ok('app:status', {})).toMatchObject({ session: null })
  })

  it('keeps sessions apart per connection and ends them on logout', async () => {
    const a = connect(t.engine)
    const b = connect(t.engine)
    await a.ok('auth:login', { identifier: 'ada', password: ADMIN.password })
    expect((await b.ok('app:status', {})).session).toBeNull()
    expect(a.conn.sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/)
    await a.ok('auth:logout', {})
    expect(a.conn.sessionId).toBeNull()
    expect((await a.ok('app:status', {})).session).toBeNull()
  })

  it('ends a session idle for longer than the policy allows', async () => {
    const c = connect(t.engine)
    await c.ok('auth:login', { identifier: 'ada', password: ADMIN.password })
    t.clock.advance(9 * 60 * 1000)
    expect((await c.ok('app:status', {})).session).not.toBeNull()
    t.clock.advance(10 * 60 * 1000 + 1)
    expect((await c.ok('app:status', {})).session).toBeNull()
  })

  it('ends even an active session after 12 hours', async () => {
    const c = connect(t.engine)
    await c.ok('auth:login', { identifier: 'ada', password: ADMIN.password })
    for (let minutes = 0; minutes < 12 * 60; minutes += 5) {
      expect((await c.ok('app:status', {})).session, `after ${minutes} min`).not.toBeNull()
      t.clock.advance(5 * 60 * 1000)
    }
    t.clock.advance(1)
    expect((await c.ok('app:status', {})).session).toBeNull()
  })
})
