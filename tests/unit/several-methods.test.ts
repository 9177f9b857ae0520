/**
 * Rules: a person holds several methods (authenticator apps by name, e-mail, keys, a token); one
 * more is added only after proving it is them, keeps their recovery codes, and logs them in like the
 * first; the default (chosen, else used last) is asked first; the last one never goes while 2FA is
 * mandatory, nor the last of the kind the role requires; the help desk removes one but never the
 * only one; a required method per role means "holds at least one of these".
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_POLICY, type Policy } from '../../src/shared/policy'
import { testEngine, type TestEngine } from '../helpers/engine'
import { addUser, code, enrolTotp, firstAdmin, login, secretOf, type Conn } from '../helpers/flows'
import { sixDigits, startSmtp } from '../helpers/smtp'

let t: TestEngine
let admin: Conn
let smtp: Awaited<ReturnType<typeof startSmtp>>
let policy: Policy
beforeEach(async () => {
  t = await testEngine()
  smtp = await startSmtp({ user: 'tessera', pass: 'mail-relay-password' })
  admin = await firstAdmin(t)
  await addUser(admin, 'grace')
  policy = {
    ...DEFAULT_POLICY,
    allowedMethods: ['totp', 'email', 'webauthn'],
    smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', username: 'tessera', from: 'tessera@example.org' }
  }
  await admin.ok('policy:save', { policy, smtpPassword: 'mail-relay-password' })
})
afterEach(async () => {
  await smtp.close()
  await t.dispose()
})

/** grace with an authenticator app, signed in; returns her connection and the app's secret. */
async function graceWithApp(): Promise<{ c: Conn; secret: string; codes: string[] }> {
  const c = await login(t, 'grace')
  const { secret, codes } = await enrolTotp(t, c)
  return { c, secret, codes }
}

/** Adds a second app named `name` (after proving it is them with `proof`); returns its secret. */
async function addApp(c: Conn, name: string, proof: string): Promise<string> {
  await c.ok('account:confirm-identity', { method: 'totp', code: proof })
  const step = await c.ok('enrol:start', { method: 'totp', name })
  if (step.step !== 'scan') throw new Error(step.step)
  const secret = secretOf(step.uri)
  expect(await c.ok('enrol:confirm', { code: code(t, secret) })).toEqual({ step: 'added', method: 'totp', name })
  await c.ok('enrol:complete', {})
  t.clock.advance(30_000)
  return secret
}

/** The code in the first message to grace at or after message number `after`. */
async function graceCode(after: number): Promise<string> {
  for (let i = after; ; i++) {
    const m = await smtp.next(i)
    if (m.to.includes('grace@example.org')) return sixDigits(m)
  }
}

const kinds = async (c: Conn) => (await c.ok('account:two-factor', {})).methods.map((m) => `${m.method}${m.name ? `:${m.name}` : ''}${m.isDefault ? '*' : ''}`)
const recoveryLeft = async (c: Conn) => (await c.ok('account:two-factor', {})).recoveryCodesLeft

describe('adding a method', () => {
  it('needs a current code first, keeps the recovery codes, and the new app logs in like the first', async () => {
    const { c, secret } = await graceWithApp()
    expect(await c.call('enrol:start', { method: 'totp', name: 'tablet' })).toMatchObject({ ok: false, code: 'CONFIRM_IT_IS_YOU' })
    expect(await c.call('account:confirm-identity', { method: 'totp', code: '000000' })).toMatchObject({ ok: false, code: 'INVALID_CODE' })
    expect(await c.call('enrol:start', { method: 'totp' })).toMatchObject({ ok: false, code: 'CONFIRM_IT_IS_YOU' })
    const before = await recoveryLeft(c)
    await c.ok('account:confirm-identity', { method: 'totp', code: code(t, secret) })
    expect(await c.call('enrol:start', { method: 'totp' })).toMatchObject({ ok: false, code: 'INVALID_INPUT', field: 'name' })
    await c.ok('enrol:cancel', {})
    t.clock.advance(30_000)
    const tablet = await addApp(c, 'tablet', code(t, secret))
    expect(await recoveryLeft(c)).toBe(before)
    expect(await kinds(c)).toEqual(['totp:tablet*', 'totp'])

    const first = await login(t, 'grace')
    expect((await first.ok('app:status', {})).secondFactor).toMatchObject({ method: 'totp', methods: ['totp'] })
    expect((await first.ok('auth:verify', { method: 'totp', code: code(t, secret) })).status.stage).toBe('full')
    expect(await kinds(first)).toEqual(['totp*', 'totp:tablet'])
    const second = await login(t, 'grace')
    expect((await second.ok('auth:verify', { method: 'totp', code: code(t, tablet) })).status.stage).toBe('full')
    // Each app's step is taken once: the tablet's code again is a replay, not a way in.
    const again = await login(t, 'grace')
    expect(await again.call('auth:verify', { method: 'totp', code: code(t, tablet) })).toMatchObject({ ok: false, code: 'CODE_ALREADY_USED' })
  })

  it('refuses a second app by a name taken, and a second e-mail method', async () => {
    const { c, secret } = await graceWithApp()
    await c.ok('account:confirm-identity', { method: 'totp', code: code(t, secret) })
    t.clock.advance(30_000)
    await addApp(c, 'tablet', code(t, secret))
    expect(await c.call('enrol:start', { method: 'totp', name: 'Tablet' })).toMatchObject({ ok: false, code: 'APP_NAME_TAKEN', field: 'name' })
    await c.ok('enrol:start', { method: 'email' })
    expect(await c.ok('enrol:confirm', { code: await graceCode(0) })).toMatchObject({ step: 'added', method: 'email' })
    await c.ok('enrol:complete', {})
    expect(await c.call('enrol:start', { method: 'email' })).toMatchObject({ ok: false, code: 'METHOD_HELD' })
    expect(await kinds(c)).toEqual(['email*', 'totp:tablet', 'totp'])
  })

  it('asks the chosen default first, whichever was used last', async () => {
    const { c, secret } = await graceWithApp()
    const tablet = await addApp(c, 'tablet', code(t, secret))
    const phone = (await c.ok('account:two-factor', {})).methods.find((m) => m.name === null)!
    expect((await c.ok('account:default-method', { id: phone.id })).methods[0]).toMatchObject({ id: phone.id, isDefault: true, chosen: true })
    const next = await login(t, 'grace')
    await next.ok('auth:verify', { method: 'totp', code: code(t, tablet) })
    expect(await kinds(next)).toEqual(['totp*', 'totp:tablet'])
    expect((await t.engine.store.get<{ method: string }>("SELECT method FROM users WHERE username = 'grace'"))!.method).toBe('totp')
  })
})

describe('proving it is them', () => {
  it('does not change the method asked first', async () => {
    const { c, secret } = await graceWithApp()
    await addApp(c, 'tablet', code(t, secret))
    expect(await kinds(c)).toEqual(['totp:tablet*', 'totp'])
    await c.ok('account:confirm-identity', { method: 'totp', code: code(t, secret) })
    expect(await kinds(c)).toEqual(['totp:tablet*', 'totp'])
  })
})

describe('removing a method', () => {
  it('by the help desk: never the last key of someone who holds nothing else, even where 2FA is optional', async () => {
    const grace = (await t.engine.store.get<{ id: number }>("SELECT id FROM users WHERE username = 'grace'"))!.id
    await t.engine.store.run("INSERT INTO webauthn_credentials (id, user_id, name, public_key, counter, rp_id, created_at) VALUES ('cred-1', ?, 'blue', ?, 0, 'localhost', 0)", [grace, Buffer.from([0])])
    await t.engine.store.run("INSERT INTO second_factors (user_id, method, state, started_at, activated_at) VALUES (?, 'webauthn', 'active', 0, 0)", [grace])
    expect(await admin.call('users:remove-key', { userId: grace, keyId: 'cred-1' })).toMatchObject({ ok: false, code: 'LAST_METHOD' })
    expect((await admin.ok('users:get', { userId: grace })).keys).toHaveLength(1)
  })

  it('needs a current code, never takes the last one while 2FA is mandatory, and a removed app logs in no more', async () => {
    const { c, secret } = await graceWithApp()
    const tablet = await addApp(c, 'tablet', code(t, secret))
    await admin.ok('policy:save', { policy: { ...policy, mandatory: true } })
    const [first, second] = (await c.ok('account:two-factor', {})).methods
    const fresh = await login(t, 'grace')
    await fresh.ok('auth:verify', { method: 'totp', code: code(t, tablet) })
    expect(await fresh.call('account:remove-method', { id: first!.id })).toMatchObject({ ok: false, code: 'CONFIRM_IT_IS_YOU' })
    t.clock.advance(30_000)
    await fresh.ok('account:confirm-identity', { method: 'totp', code: code(t, tablet) })
    const phone = [first, second].find((m) => m!.name === null)!
    expect((await fresh.ok('account:remove-method', { id: phone.id })).methods).toMatchObject([{ name: 'tablet' }])
    const last = (await fresh.ok('account:two-factor', {})).methods[0]!
    expect(await fresh.call('account:remove-method', { id: last.id })).toMatchObject({ ok: false, code: 'LAST_METHOD' })
    t.clock.advance(30_000)
    const again = await login(t, 'grace')
    expect(await again.call('auth:verify', { method: 'totp', code: code(t, secret) })).toMatchObject({ ok: false, code: 'INVALID_CODE' })
    const removed = await t.engine.store.all<{ details: string }>("SELECT details FROM audit_log WHERE event = 'two-factor.method-removed'")
    expect(removed.map((r) => JSON.parse(r.details))).toEqual([{ method: 'totp', name: null, self: true }])
  })

  it('never the only one, even where 2FA is optional: that is "Disable 2FA", with the password', async () => {
    const { c, secret } = await graceWithApp()
    await c.ok('account:confirm-identity', { method: 'totp', code: code(t, secret) })
    const only = (await c.ok('account:two-factor', {})).methods[0]!
    expect(await c.call('account:remove-method', { id: only.id })).toMatchObject({ ok: false, code: 'LAST_METHOD', message: expect.stringContaining('turn off') })
    expect((await c.ok('account:two-factor', {})).active).toBe(true)
  })

  it('by the help desk: one of several, never the only one (that is a reset)', async () => {
    const { c, secret } = await graceWithApp()
    const graceId = (await c.ok('app:status', {})).session!.user.id
    const only = (await c.ok('account:two-factor', {})).methods[0]!
    expect(await admin.call('users:remove-method', { userId: graceId, methodId: only.id })).toMatchObject({ ok: false, code: 'LAST_METHOD' })
    await addApp(c, 'tablet', code(t, secret))
    expect((await admin.ok('users:get', { userId: graceId })).methods).toHaveLength(2)
    await admin.ok('users:remove-method', { userId: graceId, methodId: only.id })
    expect((await admin.ok('users:get', { userId: graceId })).methods).toMatchObject([{ method: 'totp', name: 'tablet', isDefault: true }])
  })
})

describe('a lost device', () => {
  it('"I lost my phone": the help desk removes that app only; the e-mail method still lets her in', async () => {
    const { c, secret } = await graceWithApp()
    await c.ok('account:confirm-identity', { method: 'totp', code: code(t, secret) })
    await c.ok('enrol:start', { method: 'email' })
    await c.ok('enrol:confirm', { code: await graceCode(0) })
    await c.ok('enrol:complete', {})
    const app = (await c.ok('account:two-factor', {})).methods.find((m) => m.method === 'totp')!
    const kiosk = await login(t, 'grace')
    const { requestId } = await kiosk.ok('auth:lost-device', { recipients: 'all', message: 'Phone fell in the lake' })
    const decided = await admin.ok('requests:decide', { requestId, decision: { action: 'remove-method', identityCheck: 'in-person', note: 'Badge checked', methodId: app.id } })
    expect(decided).toEqual({ status: 'reset', removedMethod: true })
    expect(await c.call('account:two-factor', {})).toMatchObject({ ok: false, code: 'NOT_AUTHENTICATED' }) // signed out everywhere
    const back = await login(t, 'grace')
    expect((await back.ok('app:status', {})).secondFactor).toMatchObject({ method: 'email', methods: ['email'] })
    const sent = smtp.messages.length
    await back.ok('auth:send-email-code', {})
    expect((await back.ok('auth:verify', { method: 'email', code: await graceCode(sent) })).status.stage).toBe('full')
    const removed = await t.engine.store.get<{ actor_name: string; details: string }>("SELECT * FROM audit_log WHERE event = 'two-factor.method-removed'")
    expect(JSON.parse(removed!.details)).toMatchObject({ request: requestId, identityCheck: 'in-person', method: 'totp', self: false })
  })
})

describe('a method required for a role', () => {
  it('means holding at least one: a person with an app adds e-mail, keeps the app, and the preview counts who holds none', async () => {
    const { secret } = await graceWithApp()
    const emailForUsers = { ...policy, requiredMethod: { user: 'email' as const, helpdesk: null, admin: null } }
    expect(await admin.ok('policy:preview', { policy: emailForUsers })).toMatchObject({ methodChanges: 1 })
    await admin.ok('policy:save', { policy: emailForUsers })
    const c = await login(t, 'grace')
    await c.ok('auth:verify', { method: 'totp', code: code(t, secret) })
    const status = await c.ok('app:status', {})
    expect(status.stage).toBe('enrol')
    expect(status.enrol).toMatchObject({ reason: 'method-required', allowedMethods: ['email'] })
    expect(await c.call('enrol:start', { method: 'totp', name: 'tablet' })).toMatchObject({ ok: false, code: 'METHOD_NOT_ALLOWED' })
    await c.ok('enrol:start', { method: 'email' })
    expect(await c.ok('enrol:confirm', { code: await graceCode(0) })).toMatchObject({ step: 'added', method: 'email' })
    expect((await c.ok('enrol:complete', {})).stage).toBe('full')
    expect(await kinds(c)).toEqual(['email*', 'totp'])
    expect(await admin.ok('policy:preview', { policy: emailForUsers })).toMatchObject({ methodChanges: 0 })
    // The app may go; the e-mail method, the last of the kind required, may not.
    t.clock.advance(30_000)
    await c.ok('account:confirm-identity', { method: 'totp', code: code(t, secret) })
    const email = (await c.ok('account:two-factor', {})).methods.find((m) => m.method === 'email')!
    expect(await c.call('account:remove-method', { id: email.id })).toMatchObject({ ok: false, code: 'LAST_REQUIRED_METHOD' })
  })
})
