/**
 * Rules: an administrator can make 2FA mandatory only once their own 2FA is set up; users without
 * 2FA are then sent to setup at login and may postpone the policy number of times (default 2);
 * every policy change is audited with old and new values; the preview states the effect.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_POLICY, lockoutArithmetic } from '../../src/shared/policy'
import { testEngine, type TestEngine } from '../helpers/engine'
import { addUser, enrolTotp, firstAdmin, login, type Conn } from '../helpers/flows'
import { translator } from '../../src/shared/i18n/translate'

let t: TestEngine
let admin: Conn
beforeEach(async () => {
  t = await testEngine()
  admin = await firstAdmin(t)
  await addUser(admin, 'grace')
})
afterEach(() => t.dispose())

const mandatory = { ...DEFAULT_POLICY, mandatory: true }

describe('mandatory 2FA', () => {
  it('cannot be set by an administrator without 2FA: no administrator reaches the console without it', async () => {
    await addUser(admin, 'barbara', 'admin')
    const barbara = await login(t, 'barbara')
    expect((await barbara.ok('app:status', {})).enrol).toMatchObject({ required: true, reason: 'staff', postponementsLeft: 0 })
    expect(await barbara.call('policy:save', { policy: mandatory })).toMatchObject({ ok: false, code: 'NOT_AUTHENTICATED' })
    expect(await barbara.call('enrol:postpone', {})).toMatchObject({ ok: false, code: 'NO_POSTPONEMENTS_LEFT' })
    expect(t.engine.policy.get().mandatory).toBe(false)
    expect((await admin.ok('policy:save', { policy: mandatory })).mandatory).toBe(true)
  })

  it('offline (CLI), is refused while no administrator has 2FA', async () => {
    const fresh = await testEngine()
    await fresh.engine.accounts.createFirstAdmin({ username: 'root', email: 'root@example.org', displayName: 'Root', password: 'correct horse battery staple' })
    await expect(fresh.engine.administration.save(null, mandatory, undefined, 'cli')).rejects.toThrow(/No administrator has two-factor authentication/)
    await fresh.dispose()
  })

  it('sends users without 2FA to setup, with two postponements, then no more', async () => {
    await admin.ok('policy:save', { policy: mandatory })
    for (const left of [2, 1]) {
      const c = await login(t, 'grace')
      const status = await c.ok('app:status', {})
      expect(status).toMatchObject({ stage: 'enrol', enrol: { required: true, reason: 'policy', postponementsLeft: left } })
      expect(await c.call('account:two-factor', {})).toMatchObject({ ok: false, code: 'NOT_AUTHENTICATED' })
      expect((await c.ok('enrol:postpone', {})).stage).toBe('full')
    }
    const c = await login(t, 'grace')
    expect((await c.ok('app:status', {})).enrol?.postponementsLeft).toBe(0)
    expect(await c.call('enrol:postpone', {})).toMatchObject({ ok: false, code: 'NO_POSTPONEMENTS_LEFT' })
    await enrolTotp(t, c)
    expect((await c.ok('app:status', {})).stage).toBe('full')
  })

  it('previews how many users are sent to setup and the attacker odds', async () => {
    await addUser(admin, 'linus')
    const preview = await admin.ok('policy:preview', { policy: mandatory })
    expect(preview).toMatchObject({ sentToSetup: 2, withPostponementsLeft: 2, guessesPerYear: 80 })
    expect(preview.successChance).toBeCloseTo(2.4e-4, 5)
    const weak = await admin.ok('policy:preview', { policy: { ...mandatory, lockout: { ...DEFAULT_POLICY.lockout, growthFactor: 1 } } })
    expect(weak.warnings.map((w) => translator('en').sayText(w)).join(' ')).toMatch(/175,200 codes a year/)
  })

  it('counts the users a required method per role would move, and refuses a required method not allowed', async () => {
    const keysForAdmins = { ...mandatory, allowedMethods: ['totp', 'webauthn'] as const, requiredMethod: { user: null, helpdesk: null, admin: 'webauthn' as const } }
    expect(await admin.ok('policy:preview', { policy: { ...keysForAdmins, allowedMethods: [...keysForAdmins.allowedMethods] } })).toMatchObject({ methodChanges: 1 })
    expect(await admin.ok('policy:preview', { policy: { ...mandatory } })).toMatchObject({ methodChanges: 0 })
    expect(await admin.call('policy:save', { policy: { ...keysForAdmins, allowedMethods: ['totp'] } })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
  })
})

describe('policy changes', () => {
  it('are audited with old and new values, never the SMTP password', async () => {
    await admin.ok('policy:save', { policy: { ...DEFAULT_POLICY, issuer: 'Acme', postponements: 1 }, smtpPassword: 'relay-secret-123' })
    const row = (await admin.ok('audit:list', { event: 'policy.changed' })).rows[0]!
    expect(row.actor).toBe('ada')
    expect(row.details).toEqual({
      issuer: { from: 'Tessera', to: 'Acme' },
      postponements: { from: 2, to: 1 },
      smtpPassword: { from: 'not set', to: 'set' }
    })
    expect(JSON.stringify(row)).not.toContain('relay-secret-123')
    expect(await admin.ok('policy:get', {})).toMatchObject({ issuer: 'Acme', smtpPasswordSet: true })
  })

  it('refuse bad values and change nothing', async () => {
    const bad = await admin.call('policy:save', { policy: { ...DEFAULT_POLICY, allowedMethods: [] } })
    expect(bad).toMatchObject({ ok: false, code: 'INVALID_INPUT', field: 'policy' })
    expect(await admin.call('policy:save', { policy: { ...DEFAULT_POLICY, issuer: 'a:b' } })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(t.engine.policy.get()).toEqual(DEFAULT_POLICY)
  })

  it('are for administrators only', async () => {
    const grace = await login(t, 'grace')
    expect(await grace.call('policy:save', { policy: DEFAULT_POLICY })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
  })

  it('set the issuer shown in authenticator apps and the recovery-code count', async () => {
    await admin.ok('policy:save', { policy: { ...DEFAULT_POLICY, issuer: 'Acme Corp', recoveryCodeCount: 8 } })
    const c = await login(t, 'grace')
    const step = await c.ok('enrol:start', { method: 'totp' })
    expect((step as { uri: string }).uri).toMatch(/^otpauth:\/\/totp\/Acme%20Corp:grace%40example\.org\?.*issuer=Acme(%20|\+)Corp/)
  })
})

describe('lockout arithmetic', () => {
  it('under the default policy: 80 guesses a year, a chance of about 1 in 4,200', () => {
    const m = lockoutArithmetic(DEFAULT_POLICY.lockout)
    expect(m.guessesPerYear).toBe(80)
    expect(m.locksPerYear).toBe(16)
    expect(Math.round(1 / m.successChance)).toBe(4167)
  })
})
