/**
 * Rules: 5 wrong second-factor codes lock the account (default policy) until the lock expires, each
 * further lock lasting longer, or until a help-desk unlock; password and second-factor failures
 * are counted apart; each workstation has counters too; a locked account says so only after the
 * right password; a refused attempt spends nothing; simultaneous wrong codes are all counted.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connect } from '../helpers/caller'
import { testEngine, type TestEngine } from '../helpers/engine'
import { addUser, code, enrolTotp, firstAdmin, login, PASSWORD, wrongCode, type Conn } from '../helpers/flows'

const MIN = 60_000
let t: TestEngine
let admin: Conn
let secret: string
let recovery: string[]
let graceId: number
beforeEach(async () => {
  t = await testEngine()
  admin = await firstAdmin(t)
  graceId = await addUser(admin, 'grace')
  ;({ secret, codes: recovery } = await enrolTotp(t, await login(t, 'grace')))
})
afterEach(() => t.dispose())

async function failCodes(n: number, ws = 'ws-test'): Promise<void> {
  const c = await login(t, 'grace', PASSWORD, ws)
  for (let i = 0; i < n; i++) await c.call('auth:verify', { method: 'totp', code: wrongCode(t, secret) })
}

describe('second-factor lockout', () => {
  it('locks after 5 wrong codes, tells when it ends, and disables the field until then', async () => {
    await failCodes(4)
    const c = await login(t, 'grace')
    const fifth = await c.call('auth:verify', { method: 'totp', code: wrongCode(t, secret) })
    expect(fifth).toMatchObject({ ok: false, code: 'ACCOUNT_LOCKED', details: { lockedUntil: t.clock.now() + 15 * MIN } })
    // The right code is refused while locked, and so is the right password's second step.
    expect(await c.call('auth:verify', { method: 'totp', code: code(t, secret) })).toMatchObject({ ok: false, code: 'ACCOUNT_LOCKED' })
    const status = await (await login(t, 'grace')).ok('app:status', {})
    expect(status.secondFactor?.lockedUntil).toBe(t.clock.now() + 15 * MIN)
    expect(await t.engine.store.all("SELECT * FROM audit_log WHERE event = 'lock.account'")).toHaveLength(1)
  })

  it('lets the lock expire, and makes the next one twice as long', async () => {
    await failCodes(5)
    t.clock.advance(15 * MIN + 1)
    await failCodes(5)
    const c = await login(t, 'grace')
    expect(await c.call('auth:verify', { method: 'totp', code: code(t, secret) })).toMatchObject({ details: { lockedUntil: t.clock.now() + 30 * MIN } })
    t.clock.advance(30 * MIN + 1)
    expect((await (await login(t, 'grace')).ok('auth:verify', { method: 'totp', code: code(t, secret) })).status.stage).toBe('full')
  })

  it('is lifted by a help-desk unlock', async () => {
    await failCodes(5)
    await admin.ok('users:unlock', { userId: graceId })
    const c = await login(t, 'grace')
    expect((await c.ok('auth:verify', { method: 'totp', code: code(t, secret) })).status.stage).toBe('full')
    expect(await t.engine.store.all("SELECT * FROM audit_log WHERE event = 'unlock'")).toHaveLength(1)
  })

  it('counts simultaneous wrong codes, all of them', async () => {
    const sessions = await Promise.all([1, 2, 3, 4, 5, 6, 7].map(() => login(t, 'grace')))
    const results = await Promise.all(sessions.map((s) => s.call('auth:verify', { method: 'totp', code: wrongCode(t, secret) })))
    expect(results.filter((r) => !r.ok && r.code === 'INVALID_CODE')).toHaveLength(4)
    expect(results.filter((r) => !r.ok && r.code === 'ACCOUNT_LOCKED')).toHaveLength(3)
  })

  it('spends nothing on a refused attempt: a recovery code offered to a locked account stays valid', async () => {
    await failCodes(5)
    const c = await login(t, 'grace')
    expect(await c.call('auth:verify', { method: 'recovery', code: recovery[0]! })).toMatchObject({ ok: false, code: 'ACCOUNT_LOCKED' })
    t.clock.advance(15 * MIN + 1)
    const later = await login(t, 'grace')
    expect((await later.ok('auth:verify', { method: 'recovery', code: recovery[0]! })).result.recoveryCodesLeft).toBe(9)
  })
})

describe('password lockout, kept apart', () => {
  it('wrong passwords do not lock the second factor, and wrong codes do not block passwords', async () => {
    const c = connect(t.engine)
    for (let i = 0; i < 9; i++) await c.call('auth:login', { identifier: 'grace', password: 'wrong password ' + i })
    expect((await (await login(t, 'grace')).ok('auth:verify', { method: 'totp', code: code(t, secret) })).status.stage).toBe('full')
    t.clock.advance(30_000)
    await failCodes(5)
    expect((await connect(t.engine).ok('auth:login', { identifier: 'grace', password: PASSWORD })).stage).toBe('second-factor')
  })

  it('blocks password attempts after 10 failures, whatever the password, and for unknown names alike', async () => {
    for (const name of ['grace', 'nobody-here']) {
      const c = connect(t.engine, `ws-${name}`)
      for (let i = 0; i < 9; i++) expect(await c.call('auth:login', { identifier: name, password: 'wrong password ' + i })).toMatchObject({ code: 'INVALID_CREDENTIALS' })
      // The 10th failure locks, and says so.
      expect(await c.call('auth:login', { identifier: name, password: 'wrong password 9' })).toMatchObject({ code: 'LOGIN_BLOCKED' })
      const blocked = await c.call('auth:login', { identifier: name, password: name === 'grace' ? PASSWORD : 'x' })
      expect(blocked).toMatchObject({ ok: false, code: 'LOGIN_BLOCKED', details: { lockedUntil: t.clock.now() + 15 * MIN } })
    }
  })

  it('a recovery code offered with a wrong password is never looked at', async () => {
    const r = await connect(t.engine).call('auth:login', { identifier: 'grace', password: 'not my password' })
    expect(r).toMatchObject({ ok: false, code: 'INVALID_CREDENTIALS' })
    const c = await login(t, 'grace')
    expect((await c.ok('auth:verify', { method: 'recovery', code: recovery[0]! })).result.recoveryCodesLeft).toBe(9)
  })
})

describe('per-workstation counters', () => {
  it('stop one kiosk that tries many accounts', async () => {
    const names = Array.from({ length: 31 }, (_, i) => `target${i}`)
    const c = connect(t.engine, 'kiosk-7')
    for (const name of names.slice(0, 30)) await c.call('auth:login', { identifier: name, password: 'guess guess guess' })
    expect(await c.call('auth:login', { identifier: names[30]!, password: 'guess guess guess' })).toMatchObject({ ok: false, code: 'WORKSTATION_LOCKED' })
    // Another workstation is not affected.
    expect((await connect(t.engine, 'kiosk-8').ok('auth:login', { identifier: 'grace', password: PASSWORD })).stage).toBe('second-factor')
  })
})
