/**
 * Rules: enrolment is a state machine (2FA is on only after the recovery codes were acknowledged,
 * an abandoned setup leaves nothing); a TOTP step is accepted once per user, even by two
 * simultaneous logins, and a replay is audited; recovery codes are single use, hashed, and a new set
 * invalidates the old; one-time access codes replace the second factor once and force setup; no
 * secret is found in clear in the data directory.
 */
import { JUST_USED_MS } from '../../src/main/core/two-factor/access-codes'
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connect } from '../helpers/caller'
import { testEngine, type TestEngine } from '../helpers/engine'
import { addUser, code, enrolTotp, firstAdmin, login, PASSWORD, secretOf, wrongCode, type Conn } from '../helpers/flows'

let t: TestEngine
let admin: Conn
beforeEach(async () => {
  t = await testEngine()
  admin = await firstAdmin(t)
  await addUser(admin, 'grace')
})
afterEach(() => t.dispose())

const events = (name: string) => t.engine.store.all('SELECT * FROM audit_log WHERE event = ? ORDER BY id', [name])
const graceId = async () => (await t.engine.store.get<{ id: number }>("SELECT id FROM users WHERE username = 'grace'"))!.id

describe('enrolment', () => {
  it('shows a QR code that decodes to the otpauth URI, and the key grouped for typing', async () => {
    const c = await login(t, 'grace')
    const step = await c.ok('enrol:start', { method: 'totp' })
    if (step.step !== 'scan') throw new Error(step.step)
    expect(step.uri).toMatch(/^otpauth:\/\/totp\/Tessera:grace%40example\.org\?/)
    expect(step.key.replace(/ /g, '')).toBe(secretOf(step.uri))
    expect(step.key).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/)
    const png = join(t.dir, 'qr.png')
    writeFileSync(png, Buffer.from(step.qrDataUrl.split(',')[1]!, 'base64'))
    expect(execFileSync('zbarimg', ['--raw', '-q', png], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()).toBe(step.uri)
  })

  it('turns 2FA on only after the codes were acknowledged', async () => {
    const c = await login(t, 'grace')
    const step = await c.ok('enrol:start', { method: 'totp' })
    const secret = secretOf((step as { uri: string }).uri)
    expect(await c.call('enrol:complete', {})).toMatchObject({ ok: false, code: 'ENROLMENT_STEP' })
    expect(await c.call('enrol:confirm', { code: wrongCode(t, secret) })).toMatchObject({ ok: false, code: 'INVALID_CODE', field: 'code' })
    const codes = await c.ok('enrol:confirm', { code: code(t, secret) })
    expect(codes).toMatchObject({ step: 'recovery-codes', issuer: 'Tessera', account: 'grace@example.org' })
    expect((codes as { codes: string[] }).codes).toHaveLength(10)
    expect((await c.ok('account:two-factor', {})).active).toBe(false)
    await c.ok('enrol:complete', {})
    expect(await c.ok('account:two-factor', {})).toMatchObject({ active: true, method: 'totp', recoveryCodesLeft: 10 })
  })

  it('keeps nothing of an abandoned setup', async () => {
    const c = await login(t, 'grace')
    const step = await c.ok('enrol:start', { method: 'totp' })
    await c.ok('enrol:confirm', { code: code(t, secretOf((step as { uri: string }).uri)) })
    await c.ok('auth:logout', {})
    const id = await graceId()
    expect(await t.engine.store.all('SELECT * FROM second_factors WHERE user_id = ?', [id])).toEqual([])
    expect(await t.engine.store.all('SELECT * FROM recovery_codes WHERE user_id = ?', [id])).toEqual([])
    const again = await login(t, 'grace')
    expect((await again.ok('app:status', {})).stage).toBe('full')
  })

  it('cannot start over an active factor, nor add one without proving it is them first', async () => {
    const c = await login(t, 'grace')
    await enrolTotp(t, c)
    expect(await c.call('enrol:start', { method: 'totp' })).toMatchObject({ ok: false, code: 'CONFIRM_IT_IS_YOU' })
    expect(await c.call('enrol:start', { method: 'email' })).toMatchObject({ ok: false, code: 'CONFIRM_IT_IS_YOU' })
    expect((await c.ok('account:two-factor', {})).methods).toMatchObject([{ method: 'totp', isDefault: true }])
  })
})

describe('TOTP at login', () => {
  let secret: string
  beforeEach(async () => {
    secret = (await enrolTotp(t, await login(t, 'grace'))).secret
  })

  it('asks for the second factor after the password and lets nothing else through', async () => {
    const c = await login(t, 'grace')
    const status = await c.ok('app:status', {})
    expect(status).toMatchObject({ stage: 'second-factor', secondFactor: { method: 'totp', lockedUntil: null } })
    expect(await c.call('account:two-factor', {})).toMatchObject({ ok: false, code: 'NOT_AUTHENTICATED' })
    expect(await c.call('enrol:start', { method: 'totp' })).toMatchObject({ ok: false, code: 'NOT_AUTHENTICATED' })
    const done = await c.ok('auth:verify', { method: 'totp', code: code(t, secret).replace(/^(...)/, '$1 ') })
    expect(done.status.stage).toBe('full')
  })

  it('ends the pending login after five minutes', async () => {
    const c = await login(t, 'grace')
    t.clock.advance(5 * 60_000 + 1)
    expect(await c.call('auth:verify', { method: 'totp', code: code(t, secret) })).toMatchObject({ ok: false, code: 'NOT_AUTHENTICATED' })
  })

  it('accepts a time step once; the code that just succeeded is refused without counting, an older one is audited', async () => {
    const a = await login(t, 'grace')
    const older = code(t, secret)
    await a.ok('auth:verify', { method: 'totp', code: older })
    t.clock.advance(30_000)
    const used = code(t, secret)
    await (await login(t, 'grace')).ok('auth:verify', { method: 'totp', code: used })
    const b = await login(t, 'grace')
    expect(await b.call('auth:verify', { method: 'totp', code: used })).toMatchObject({ ok: false, code: 'CODE_ALREADY_USED' })
    expect(await events('login.code-replayed')).toHaveLength(0)
    expect(await b.call('auth:verify', { method: 'totp', code: older })).toMatchObject({ ok: false, code: 'CODE_ALREADY_USED' })
    expect(await events('login.code-replayed')).toHaveLength(1)
    expect(await events('login.second-factor-failed')).toHaveLength(1)
    t.clock.advance(30_000)
    expect((await b.ok('auth:verify', { method: 'totp', code: code(t, secret) })).status.stage).toBe('full')
  })

  it('lets only one of two simultaneous logins with the same code through', async () => {
    const sessions = await Promise.all([login(t, 'grace'), login(t, 'grace'), login(t, 'grace'), login(t, 'grace')])
    const c = code(t, secret)
    const results = await Promise.all(sessions.map((s) => s.call('auth:verify', { method: 'totp', code: c })))
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok && r.code === 'CODE_ALREADY_USED')).toHaveLength(3)
  })

  it('refuses the confirming code of the setup at login', async () => {
    const other = await addUser(admin, 'linus')
    const c = await login(t, 'linus')
    const step = await c.ok('enrol:start', { method: 'totp' })
    const s = secretOf((step as { uri: string }).uri)
    const confirming = code(t, s)
    await c.ok('enrol:confirm', { code: confirming })
    await c.ok('enrol:complete', {})
    const again = await login(t, 'linus')
    expect(await again.call('auth:verify', { method: 'totp', code: confirming })).toMatchObject({ ok: false, code: 'CODE_ALREADY_USED' })
    expect(other).toBeGreaterThan(0)
  })
})

describe('recovery codes', () => {
  let codes: string[]
  beforeEach(async () => {
    codes = (await enrolTotp(t, await login(t, 'grace'))).codes
  })

  it('are 16 characters of base32 in groups of four (80 bits) and stored only as hashes', async () => {
    for (const c of codes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/)
    expect(new Set(codes).size).toBe(codes.length)
    const dump = JSON.stringify(await t.engine.store.all('SELECT * FROM recovery_codes'))
    for (const c of codes) {
      expect(dump).not.toContain(c)
      expect(dump).not.toContain(c.replace(/-/g, ''))
    }
  })

  it('work once each, typed loosely, and warn when few remain', async () => {
    const c = await login(t, 'grace')
    const typed = codes[0]!.toLowerCase().replace(/-/g, ' ')
    const first = await c.ok('auth:verify', { method: 'recovery', code: typed })
    expect(first.result).toEqual({ recoveryCodesLeft: 9, lowOnRecoveryCodes: false })
    // Sent again at once (a double click, another seat), it is refused without counting as a guess;
    // later, it is a wrong code like any other.
    const again = await login(t, 'grace')
    expect(await again.call('auth:verify', { method: 'recovery', code: codes[0]! })).toMatchObject({ ok: false, code: 'CODE_ALREADY_USED' })
    t.clock.advance(JUST_USED_MS + 1)
    expect(await (await login(t, 'grace')).call('auth:verify', { method: 'recovery', code: codes[0]! })).toMatchObject({ ok: false, code: 'INVALID_CODE' })
    for (const used of codes.slice(1, 7)) await (await login(t, 'grace')).ok('auth:verify', { method: 'recovery', code: used })
    const low = await (await login(t, 'grace')).ok('auth:verify', { method: 'recovery', code: codes[7]! })
    expect(low.result).toEqual({ recoveryCodesLeft: 2, lowOnRecoveryCodes: true })
    expect(await events('login.recovery-code-used')).toHaveLength(8)
  })

  it('a new set invalidates the old one', async () => {
    t.clock.advance(60_000)
    const c = await login(t, 'grace')
    await c.ok('auth:verify', { method: 'recovery', code: codes[0]! })
    expect(await c.call('account:reissue-codes', { password: 'wrong password here' })).toMatchObject({ ok: false, field: 'password' })
    const fresh = await c.ok('account:reissue-codes', { password: PASSWORD })
    const next = (fresh as { codes: string[] }).codes
    expect(await (await login(t, 'grace')).call('auth:verify', { method: 'recovery', code: codes[1]! })).toMatchObject({ ok: false, code: 'INVALID_CODE' })
    expect((await (await login(t, 'grace')).ok('auth:verify', { method: 'recovery', code: next[0]! })).result.recoveryCodesLeft).toBe(9)
  })
})

describe('self-service disable', () => {
  it('needs the password and a code, and is refused while 2FA is mandatory', async () => {
    const c = await login(t, 'grace')
    const { secret } = await enrolTotp(t, c)
    expect(await c.call('account:disable-2fa', { password: PASSWORD, method: 'totp', code: wrongCode(t, secret) })).toMatchObject({ ok: false, code: 'INVALID_CODE' })
    expect((await c.ok('account:two-factor', {})).active).toBe(true)
    await t.engine.policy.save({ ...t.engine.policy.get(), mandatory: true })
    expect(await c.call('account:disable-2fa', { password: PASSWORD, method: 'totp', code: code(t, secret) })).toMatchObject({ ok: false, code: 'TWO_FACTOR_REQUIRED' })
    await t.engine.policy.save({ ...t.engine.policy.get(), mandatory: false })
    expect((await c.ok('account:disable-2fa', { password: PASSWORD, method: 'totp', code: code(t, secret) })).active).toBe(false)
    expect(await events('two-factor.disabled')).toHaveLength(1)
  })
})

describe('one-time access codes', () => {
  it('replace the second factor once and lead straight to setup', async () => {
    const grace = await login(t, 'grace')
    await enrolTotp(t, grace)
    const id = await graceId()
    const { code: access, expiresAt } = await admin.ok('users:issue-access-code', { userId: id })
    expect(access).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    expect(expiresAt - t.clock.now()).toBe(60 * 60_000)
    const c = await login(t, 'grace')
    const done = await c.ok('auth:verify', { method: 'access-code', code: access })
    expect(done.status).toMatchObject({ stage: 'enrol', enrol: { required: true, reason: 'reset', postponementsLeft: 0 } })
    expect(await c.call('enrol:postpone', {})).toMatchObject({ ok: false, code: 'NO_POSTPONEMENTS_LEFT' })
    const again = await login(t, 'grace')
    expect((await again.ok('app:status', {})).stage).toBe('enrol')
    expect(await again.call('auth:verify', { method: 'access-code', code: access })).toMatchObject({ ok: false, code: 'NOT_AUTHENTICATED' })
  })

  it('expire', async () => {
    const grace = await login(t, 'grace')
    await enrolTotp(t, grace)
    const id = await graceId()
    const { code: access } = await admin.ok('users:issue-access-code', { userId: id })
    t.clock.advance(60 * 60_000 + 1)
    expect(await (await login(t, 'grace')).call('auth:verify', { method: 'access-code', code: access })).toMatchObject({ ok: false, code: 'INVALID_CODE' })
  })
})

/** Every table of the PostgreSQL database as text (blobs as their bytes), by name. */
async function everyTable(): Promise<[string, string][]> {
  const tables = await t.engine.store.all<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name")
  expect(tables.map((r) => r.name)).toContain('recovery_codes')
  const out: [string, string][] = []
  for (const { name } of tables) {
    const rows = await t.engine.store.all(`SELECT * FROM "${name}"`)
    out.push([name, JSON.stringify(rows, (_, v: unknown) => (v && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer' ? Buffer.from((v as { data: number[] }).data).toString('latin1') : v))])
  }
  return out
}

describe('secrets at rest', () => {
  it('leaves no TOTP secret, recovery code or password in clear in the data directory', async () => {
    const c = await login(t, 'grace')
    const { secret, codes } = await enrolTotp(t, c)
    await t.engine.policy.save({ ...t.engine.policy.get(), smtp: { host: '127.0.0.1', port: 2525, security: 'none', username: 'mailer', from: 'tessera@example.org' } }, 'smtp-secret-password-42')
    const needles = [secret, PASSWORD, 'smtp-secret-password-42', ...codes, ...codes.map((x) => x.replace(/-/g, ''))]
    // On SQLite the database is a file of the data directory (its WAL folded in first); PostgreSQL's
    // files belong to its server, so there every row of every table is read instead.
    if (t.engine.store.kind === 'sqlite') t.engine.db.pragma('wal_checkpoint(TRUNCATE)')
    else {
      for (const [table, content] of await everyTable()) for (const n of needles) expect(content.includes(n), `${n} found in table ${table}`).toBe(false)
    }
    const files = readdirSync(t.dir, { recursive: true }).map(String).filter((f) => statSync(join(t.dir, f)).isFile())
    expect(files).toContain('data.key')
    if (t.engine.store.kind === 'sqlite') expect(files).toContain('tessera.db')
    expect(statSync(join(t.dir, 'data.key')).mode & 0o777).toBe(0o600)
    for (const f of files) {
      const content = readFileSync(join(t.dir, f)).toString('latin1')
      for (const n of needles) expect(content.includes(n), `${n} found in ${f}`).toBe(false)
    }
    expect(t.engine.policy.smtpPassword()).toBe('smtp-secret-password-42')
  })

  it('cannot read a secret sealed for another user', async () => {
    const sealed = t.engine.sealer.seal('JBSWY3DPEHPK3PXP', 'totp:1')
    expect(t.engine.sealer.open(sealed, 'totp:1')).toBe('JBSWY3DPEHPK3PXP')
    expect(() => t.engine.sealer.open(sealed, 'totp:2')).toThrow(/cannot be decrypted/)
  })
})

it('the contract refuses a second factor from a connection that has not passed the password', async () => {
  const c = connect(t.engine)
  expect(await c.call('auth:verify', { method: 'totp', code: '123456' })).toMatchObject({ ok: false, code: 'NOT_AUTHENTICATED' })
})
