/**
 * Rule: hardware OATH tokens give the codes RFC 4226 and RFC 6238 say (and oathtool computes),
 * HOTP accepts up to 10 presses ahead and resynchronises with two consecutive codes, each code and
 * counter value works once, and wrong codes count toward the same lockout as an app's. Seed files
 * are read whole or refused with the entry and the reason; encrypted PSKC needs the right key.
 */
import { randomBytes } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkHotp, checkTotpToken, tokenCode, type TokenParams } from '../../src/main/core/two-factor/oath-token/otp'
import { readPskc, readTokenCsv, SeedFileError, secretToBase32, type TokenSeed } from '../../src/main/core/two-factor/oath-token/seed-files'
import { testEngine, type TestEngine } from '../helpers/engine'
import { addUser, enrolTotp, firstAdmin, login, type Conn } from '../helpers/flows'
import { totpAt } from '../../src/main/core/two-factor/totp'
import { pskc } from '../helpers/pskc'

const RFC_SECRET = Buffer.from('12345678901234567890')
const params = (secret: Buffer, p: Partial<TokenParams> = {}): TokenParams => ({ kind: 'hotp', secret: secretToBase32(secret), digits: 6, period: null, algorithm: 'sha1', ...p })
const oathtool = (args: string[]) => execFileSync('oathtool', args, { encoding: 'utf8' }).trim()

describe('codes', () => {
  it('match RFC 4226 Appendix D (HOTP)', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489']
    expect(expected.map((_, c) => tokenCode(params(RFC_SECRET), c))).toEqual(expected)
  })

  it('match RFC 6238 Appendix B (TOTP, SHA-1 and SHA-256, 8 digits)', () => {
    const sha1 = params(RFC_SECRET, { kind: 'totp', digits: 8, period: 30 })
    const sha256 = params(Buffer.from('12345678901234567890123456789012'), { kind: 'totp', digits: 8, period: 30, algorithm: 'sha256' })
    const at = (p: TokenParams, seconds: number) => tokenCode(p, Math.floor(seconds / 30))
    expect([59, 1111111109, 1111111111, 1234567890, 2000000000, 20000000000].map((s) => [at(sha1, s), at(sha256, s)])).toEqual([
      ['94287082', '46119246'],
      ['07081804', '68084774'],
      ['14050471', '67062674'],
      ['89005924', '91819424'],
      ['69279037', '90698825'],
      ['65353130', '77737706']
    ])
  })

  it('match oathtool, an independent implementation', () => {
    const secret = randomBytes(20)
    const hex = secret.toString('hex')
    for (const c of [0, 1, 41, 9999]) expect(tokenCode(params(secret), c)).toBe(oathtool(['--hotp', '-d', '6', '-c', String(c), hex]))
    expect(tokenCode(params(secret, { digits: 8 }), 7)).toBe(oathtool(['--hotp', '-d', '8', '-c', '7', hex]))
    const now = Date.UTC(2026, 10, 24, 8, 0, 0)
    const totp60 = params(secret, { kind: 'totp', digits: 8, period: 60, algorithm: 'sha256' })
    const tool = oathtool(['--totp=sha256', '-d', '8', '-s', '60', `--now=${new Date(now).toISOString().replace('.000Z', ' UTC')}`, hex])
    expect(tokenCode(totp60, Math.floor(now / 60_000))).toBe(tool)
  })
})

describe('HOTP counter', () => {
  const p = params(RFC_SECRET)
  it('accepts up to 10 presses ahead, never a value already used', () => {
    expect(checkHotp(p, tokenCode(p, 7), 0, null)).toEqual({ result: 'ok', next: 8 })
    expect(checkHotp(p, tokenCode(p, 5), 8, null)).toEqual({ result: 'wrong' })
    expect(checkHotp(p, tokenCode(p, 18), 8, null)).toEqual({ result: 'ok', next: 19 })
  })
  it('resynchronises with two consecutive codes far ahead', () => {
    expect(checkHotp(p, tokenCode(p, 300), 0, null)).toEqual({ result: 'resync-started', expect: 301 })
    expect(checkHotp(p, tokenCode(p, 302), 0, 301)).toEqual({ result: 'resync-started', expect: 303 }) // not consecutive
    expect(checkHotp(p, tokenCode(p, 301), 0, 301)).toEqual({ result: 'ok', next: 302 })
  })
  it('TOTP tokens: the steps around now, each once', () => {
    const t = params(RFC_SECRET, { kind: 'totp', period: 60 })
    const now = 1_800_000_000_000
    const step = Math.floor(now / 60_000)
    expect(checkTotpToken(t, tokenCode(t, step - 1), now, -1)).toEqual({ result: 'ok', step: step - 1 })
    expect(checkTotpToken(t, tokenCode(t, step - 1), now, step - 1)).toEqual({ result: 'replayed', step: step - 1 })
    expect(checkTotpToken(t, tokenCode(t, step + 2), now, -1)).toEqual({ result: 'wrong' })
  })
})

describe('seed files', () => {
  const a = randomBytes(20)
  const b = randomBytes(32)
  it('reads plain PSKC (HOTP and TOTP entries)', () => {
    const seeds = readPskc(pskc([{ serial: 'HW-0001', kind: 'hotp', secret: a, counter: 5 }, { serial: 'HW-0002', kind: 'totp', secret: b, digits: 8, period: 60, suite: 'HMAC-SHA256' }]), null)
    expect(seeds).toEqual<TokenSeed[]>([
      { serial: 'HW-0001', kind: 'hotp', secret: a, digits: 6, period: null, algorithm: 'sha1', counter: 5 },
      { serial: 'HW-0002', kind: 'totp', secret: b, digits: 8, period: 60, algorithm: 'sha256', counter: 0 }
    ])
  })

  it('decrypts PSKC with the pre-shared key, and refuses a wrong key, a missing key and an altered value', () => {
    const psk = randomBytes(16)
    const xml = pskc([{ serial: '987654321', kind: 'hotp', secret: a }], psk)
    expect(readPskc(xml, psk.toString('hex'))[0]!.secret).toEqual(a)
    expect(() => readPskc(xml, randomBytes(16).toString('hex'))).toThrow(SeedFileError)
    expect(() => readPskc(xml, null)).toThrow(/entry 1 \(serial 987654321\): the secret is encrypted: give the pre-shared key/)
    const altered = xml.replace(/(<xenc:CipherValue>)([A-Za-z0-9+/]{4})/g, (m, tag: string, first: string) => (m.includes('MACKey') ? m : tag + (first === 'AAAA' ? 'BBBB' : 'AAAA')))
    expect(() => readPskc(altered, psk.toString('hex'))).toThrow(SeedFileError)
  })

  it('refuses malformed files with the entry and the reason', () => {
    expect(() => readPskc('<KeyContainer><KeyPackage>', null)).toThrow(SeedFileError)
    expect(() => readPskc('<html/>', null)).toThrow(/not PSKC/)
    expect(() => readPskc(pskc([{ serial: 'X1', kind: 'hotp', secret: a, digits: 7 }]), null)).toThrow(/entry 1 \(serial X1\): 7 digits/)
    expect(() => readPskc(pskc([{ serial: 'X1', kind: 'totp', secret: a, period: 45 }]), null)).toThrow(/45-second/)
  })

  it('reads the simple CSV, hexadecimal or base32 secrets', () => {
    const csv = `serial,secret,type,digits,period\nC-1,${a.toString('hex')},hotp,6,\nC-2,${secretToBase32(b)},totp,8,60\n`
    expect(readTokenCsv(csv).map((s) => [s.serial, s.kind, s.secret.equals(s.serial === 'C-1' ? a : b), s.digits, s.period])).toEqual([
      ['C-1', 'hotp', true, 6, null],
      ['C-2', 'totp', true, 8, 60]
    ])
    expect(() => readTokenCsv('serial,secret,type,digits,period\nC-3,zz!!,hotp,6,\n')).toThrow(/line 2 \(serial C-3\)/)
  })
})

describe('a token from the help desk', () => {
  let t: TestEngine
  let admin: Conn
  const secret = randomBytes(20)
  const p = params(secret)
  beforeEach(async () => {
    t = await testEngine()
    admin = await firstAdmin(t)
    await admin.ok('policy:save', { policy: { ...t.engine.policy.get(), allowedMethods: ['totp', 'email', 'token'] } })
    await addUser(admin, 'grace')
    await t.engine.twoFactor.tokens.importSeeds(null, readPskc(pskc([{ serial: 'HW-0001', kind: 'hotp', secret }]), null), 'ws-test')
  })
  afterEach(() => t.dispose())
  type UserRow = Parameters<typeof t.engine.twoFactor.assignToken>[2]
  const userRow = async (username: string) => (await t.engine.store.get<UserRow>('SELECT * FROM users WHERE username = ?', [username]))!
  const grace = () => userRow('grace')

  it('is confirmed with its first code at the next login, then logs in with each code once', async () => {
    await expect(t.engine.twoFactor.tokens.importSeeds(null, readPskc(pskc([{ serial: 'hw-0001', kind: 'hotp', secret }]), null), 'ws-test')).rejects.toThrow(/already imported/)
    await t.engine.twoFactor.assignToken(null, 'HW-0001', await grace(), 'ws-test')
    const c = await login(t, 'grace')
    expect(await c.ok('app:status', {})).toMatchObject({ stage: 'enrol', enrol: { reason: 'token', tokenSerial: 'HW-0001' } })
    expect(await c.ok('enrol:start', { method: 'token' })).toEqual({ step: 'token-code', serial: 'HW-0001', digits: 6 })
    expect(await c.ok('enrol:confirm', { code: tokenCode(p, 0) })).toMatchObject({ step: 'recovery-codes' })
    await c.ok('enrol:complete', {})
    const again = await login(t, 'grace')
    expect(await again.call('auth:verify', { method: 'token', code: tokenCode(p, 0) })).toMatchObject({ ok: false, code: 'INVALID_CODE' })
    expect(await again.ok('auth:verify', { method: 'token', code: tokenCode(p, 3) })).toMatchObject({ status: { stage: 'full' } })
    expect((await admin.ok('users:list', { search: 'grace' })).rows[0]).toMatchObject({ method: 'token', status: 'enrolled' })
  })

  it('is given beside an authenticator app: confirmed from My account after logging in with the app, then either logs in', async () => {
    const { secret: app } = await enrolTotp(t, await login(t, 'grace'))
    const graceId = (await grace()).id
    await admin.ok('users:assign-token', { userId: graceId, serial: 'HW-0001' })
    const c = await login(t, 'grace')
    expect((await c.ok('app:status', {})).secondFactor).toMatchObject({ methods: ['totp'] })
    expect((await c.ok('auth:verify', { method: 'totp', code: totpAt(app, t.clock.now()) })).status.stage).toBe('full')
    expect(await c.ok('account:two-factor', {})).toMatchObject({ pendingToken: 'HW-0001' })
    await c.ok('enrol:start', { method: 'token' })
    expect(await c.ok('enrol:confirm', { code: tokenCode(p, 0) })).toEqual({ step: 'added', method: 'token', name: null })
    expect((await c.ok('enrol:complete', {})).stage).toBe('full')
    expect(await c.ok('account:two-factor', {})).toMatchObject({ pendingToken: null })
    expect((await c.ok('account:two-factor', {})).methods.map((m) => m.method)).toEqual(['token', 'totp'])
    const again = await login(t, 'grace')
    expect(await again.ok('auth:verify', { method: 'token', code: tokenCode(p, 1) })).toMatchObject({ status: { stage: 'full' } })
    // Taken back: the app still lets her in, nothing to set up.
    await t.engine.twoFactor.releaseToken(null, 'HW-0001', false, 'ws-test')
    t.clock.advance(30_000)
    expect((await (await login(t, 'grace')).ok('auth:verify', { method: 'totp', code: totpAt(app, t.clock.now()) })).status.stage).toBe('full')
  })

  it('counts wrong codes toward the lockout, and resynchronises a token pressed far ahead', async () => {
    await t.engine.twoFactor.assignToken(null, 'HW-0001', await grace(), 'ws-test')
    const c = await login(t, 'grace')
    await c.ok('enrol:start', { method: 'token' })
    await c.ok('enrol:confirm', { code: tokenCode(p, 0) })
    await c.ok('enrol:complete', {})
    const far = await login(t, 'grace')
    expect(await far.call('auth:verify', { method: 'token', code: tokenCode(p, 200) })).toMatchObject({ ok: false, code: 'TOKEN_RESYNC' })
    expect(await far.ok('auth:verify', { method: 'token', code: tokenCode(p, 201) })).toMatchObject({ status: { stage: 'full' } })
    const guesser = await login(t, 'grace')
    const threshold = t.engine.policy.get().lockout.secondFactorThreshold
    for (let i = 0; i < threshold; i++) await guesser.call('auth:verify', { method: 'token', code: '000000' })
    expect(await guesser.call('auth:verify', { method: 'token', code: tokenCode(p, 202) })).toMatchObject({ ok: false, code: 'ACCOUNT_LOCKED' })
  })

  it('belongs to one user at a time; unassigned or lost, its user must set up again', async () => {
    await addUser(admin, 'linus')
    const linus = await userRow('linus')
    await t.engine.twoFactor.assignToken(null, 'HW-0001', await grace(), 'ws-test')
    await expect(t.engine.twoFactor.assignToken(null, 'HW-0001', linus, 'ws-test')).rejects.toThrow(/already belongs/)
    await t.engine.twoFactor.releaseToken(null, 'HW-0001', true, 'ws-test')
    expect(await t.engine.twoFactor.tokens.list()).toMatchObject([{ serial: 'HW-0001', state: 'lost', user: null }])
    await expect(t.engine.twoFactor.assignToken(null, 'HW-0001', linus, 'ws-test')).rejects.toThrow(/marked lost/)
    expect(await (await login(t, 'grace')).ok('app:status', {})).toMatchObject({ stage: 'enrol', enrol: { reason: 'reset', tokenSerial: null } })
    const audit = await admin.ok('audit:list', { event: 'token.' })
    expect(audit.rows.map((r) => r.event)).toEqual(['token.lost', 'token.assigned'])
  })

  it('is given as a spare from a lost-device request, after the identity check', async () => {
    await admin.ok('policy:save', { policy: { ...t.engine.policy.get(), mandatory: true } })
    const c = await login(t, 'grace') // sent to setup: she may still ask the help desk
    const { requestId } = await c.ok('auth:lost-device', { recipients: 'all', message: 'No phone at work' })
    const decided = await admin.ok('requests:decide', { requestId, decision: { action: 'token', serial: 'HW-0001', identityCheck: 'in-person', note: 'Badge checked' } })
    expect(decided).toMatchObject({ status: 'reset', token: 'HW-0001' })
    expect(await (await login(t, 'grace')).ok('app:status', {})).toMatchObject({ stage: 'enrol', enrol: { reason: 'token', tokenSerial: 'HW-0001' } })
    expect((await admin.ok('audit:list', { event: 'lost-device.token-given' })).rows[0]).toMatchObject({ actor: 'ada', subject: 'grace', details: { serial: 'HW-0001', identityCheck: 'in-person' } })
  })

  it('cannot be set up by the user alone, and is assigned only where the policy allows tokens', async () => {
    const c = await login(t, 'grace')
    expect(await c.call('enrol:start', { method: 'token' })).toMatchObject({ ok: false, code: 'TOKEN_FROM_HELP_DESK' })
    await admin.ok('policy:save', { policy: { ...t.engine.policy.get(), allowedMethods: ['totp'] } })
    await expect(t.engine.twoFactor.assignToken(null, 'HW-0001', await grace(), 'ws-test')).rejects.toThrow(/Allow hardware tokens/)
  })
})
