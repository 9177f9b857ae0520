/**
 * Rules: e-mail codes are 6 digits, live 5 minutes, work once, one live code per user and purpose,
 * re-sending is throttled, the code is never in the subject line, and wrong codes count toward the
 * same lockout as TOTP. Delivery is SMTP from the
 * policy (a real server on loopback here), or .eml files in the data directory without SMTP.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_POLICY } from '../../src/shared/policy'
import type { UserRow } from '../../src/main/db/queries/users'
import { testEngine, type TestEngine } from '../helpers/engine'
import { addUser, enrolTotp, firstAdmin, login, type Conn } from '../helpers/flows'
import { sixDigits, startSmtp } from '../helpers/smtp'

let t: TestEngine
let admin: Conn
let smtp: Awaited<ReturnType<typeof startSmtp>>
beforeEach(async () => {
  t = await testEngine()
  smtp = await startSmtp({ user: 'tessera', pass: 'mail-relay-password' })
  admin = await firstAdmin(t)
  await addUser(admin, 'grace')
  await enrolTotp(t, await login(t, 'grace'))
  // grace set up an authenticator app; these tests let her fall back to e-mail codes (off by default).
  await admin.ok('policy:save', {
    policy: { ...DEFAULT_POLICY, emailFallback: true, smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', username: 'tessera', from: 'tessera@example.org' } },
    smtpPassword: 'mail-relay-password'
  })
})
afterEach(async () => {
  await smtp.close()
  await t.dispose()
})

describe('e-mail codes at login', () => {
  it('sends a 6-digit code by SMTP that logs in once', async () => {
    const c = await login(t, 'grace')
    const sent = await c.ok('auth:send-email-code', {})
    expect(sent).toEqual({ maskedEmail: 'g••••@example.org', expiresAt: t.clock.now() + 5 * 60_000 })
    const mail = await smtp.next(0)
    expect(mail.to).toEqual(['grace@example.org'])
    expect(mail.from).toBe('tessera@example.org')
    expect(mail.subject).toBe('Tessera: your verification code')
    const code = sixDigits(mail)
    expect((await c.ok('auth:verify', { method: 'email', code })).status.stage).toBe('full')
    const again = await login(t, 'grace')
    expect(await again.call('auth:verify', { method: 'email', code })).toMatchObject({ ok: false, code: 'NO_CODE_SENT' })
  })

  it('expires after 5 minutes', async () => {
    const c = await login(t, 'grace')
    await c.ok('auth:send-email-code', {})
    const code = sixDigits(await smtp.next(0))
    t.clock.advance(4 * 60_000)
    const d = await login(t, 'grace')
    t.clock.advance(60_000 + 1)
    expect(await d.call('auth:verify', { method: 'email', code })).toMatchObject({ ok: false, code: 'CODE_EXPIRED' })
  })

  it('throttles re-sending, and a new code replaces the old one', async () => {
    const c = await login(t, 'grace')
    await c.ok('auth:send-email-code', {})
    const first = sixDigits(await smtp.next(0))
    expect(await c.call('auth:send-email-code', {})).toMatchObject({ ok: false, code: 'RESEND_TOO_SOON', details: { retryAt: t.clock.now() + 30_000 } })
    t.clock.advance(30_000)
    await c.ok('auth:send-email-code', {})
    const second = sixDigits(await smtp.next(1))
    if (first !== second) expect(await c.call('auth:verify', { method: 'email', code: first })).toMatchObject({ ok: false, code: 'INVALID_CODE' })
    expect((await c.ok('auth:verify', { method: 'email', code: second })).status.stage).toBe('full')
    expect(await t.engine.store.get('SELECT count(*) AS n FROM email_codes')).toEqual({ n: 0 })
  })

  it('counts wrong codes toward the lockout', async () => {
    const c = await login(t, 'grace')
    await c.ok('auth:send-email-code', {})
    const right = sixDigits(await smtp.next(0))
    const wrong = right === '000000' ? '000001' : '000000'
    for (let i = 0; i < 4; i++) expect(await c.call('auth:verify', { method: 'email', code: wrong })).toMatchObject({ code: 'INVALID_CODE' })
    expect(await c.call('auth:verify', { method: 'email', code: wrong })).toMatchObject({ code: 'ACCOUNT_LOCKED' })
    expect(await c.call('auth:verify', { method: 'email', code: right })).toMatchObject({ code: 'ACCOUNT_LOCKED' })
  })

  it('is refused when the policy does not allow e-mail codes', async () => {
    await admin.ok('policy:save', { policy: { ...t.engine.policy.get(), allowedMethods: ['totp'] } })
    const c = await login(t, 'grace')
    expect((await c.ok('app:status', {})).secondFactor?.emailAllowed).toBe(false)
    expect(await c.call('auth:send-email-code', {})).toMatchObject({ ok: false, code: 'METHOD_NOT_ALLOWED' })
  })

  it('says so when the SMTP server refuses, and keeps no code', async () => {
    await admin.ok('policy:save', { policy: t.engine.policy.get(), smtpPassword: 'wrong relay password' })
    const c = await login(t, 'grace')
    expect(await c.call('auth:send-email-code', {})).toMatchObject({ ok: false, code: 'MAIL_FAILED' })
    expect(await t.engine.store.get('SELECT count(*) AS n FROM email_codes')).toEqual({ n: 0 })
  })
})

describe('lost-device requests', () => {
  it('are e-mailed to the chosen staff when SMTP is configured', async () => {
    const hedy = await addUser(admin, 'hedy', 'helpdesk')
    const c = await login(t, 'grace')
    await c.ok('auth:lost-device', { recipients: [hedy], message: 'Phone in the lake' })
    const mail = await smtp.next(0)
    expect(mail.to).toEqual(['hedy@example.org'])
    expect(mail.subject).toBe('Tessera: Grace lost their second factor')
  })
})

describe('in the recipient\'s language', () => {
  it('writes to each person in their own language, else the organisation\'s default, else English', async () => {
    const hedy = await addUser(admin, 'hedy', 'helpdesk')
    const grace = (await t.engine.store.get<UserRow>('SELECT * FROM users WHERE username = ?', ['grace']))!
    await t.engine.selfService.setLanguage(grace, 'ko', 'ws-test')
    const c = await login(t, 'grace')
    await c.ok('auth:send-email-code', {})
    const code = await smtp.next(0)
    expect(code.subject).toBe('Tessera: 인증 코드')
    expect(code.text).toMatch(/^Grace 님, 안녕하세요\.\n\nTessera 인증 코드는 다음과 같습니다\.\n\n {4}\d{6}\n\n이 코드는 한 번만, 5분 동안/)
    // Hedy chose no language: the organisation's default, Japanese, for the staff notice.
    await admin.ok('policy:save', {
      policy: { ...DEFAULT_POLICY, emailFallback: true, defaultLanguage: 'ja', smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', username: 'tessera', from: 'tessera@example.org' } },
      smtpPassword: 'mail-relay-password'
    })
    await c.ok('auth:lost-device', { recipients: [hedy], message: 'Phone in the lake' })
    const notice = await smtp.next(1)
    expect(notice.to).toEqual(['hedy@example.org'])
    expect(notice.subject).toBe('Tessera: Grace さんが認証方法を紛失しました')
    expect(notice.text).toContain('申請 #')
  })
})

describe('e-mail as the enrolment method, with the policy test message', () => {
  it('enrols by e-mail code and sends the test message', async () => {
    await addUser(admin, 'linus')
    const c = await login(t, 'linus')
    expect(await c.ok('enrol:start', { method: 'email' })).toEqual({ step: 'email-code', maskedEmail: 'l••••@example.org' })
    const codes = await c.ok('enrol:confirm', { code: sixDigits(await smtp.next(0)) })
    expect(codes.step).toBe('recovery-codes')
    await c.ok('enrol:complete', {})
    expect((await c.ok('account:two-factor', {})).method).toBe('email')
    await admin.ok('policy:test-smtp', { policy: t.engine.policy.get(), to: 'ops@example.org' })
    expect((await smtp.next(1)).subject).toBe('Tessera: test e-mail')
  })

  it('verifies the e-mail address before showing the QR code when the policy asks', async () => {
    await admin.ok('policy:save', { policy: { ...t.engine.policy.get(), emailVerificationBeforeSetup: true } })
    await addUser(admin, 'linus')
    const c = await login(t, 'linus')
    expect(await c.ok('enrol:start', { method: 'totp' })).toMatchObject({ step: 'verify-email' })
    expect(await c.call('enrol:confirm', { code: '123456' })).toMatchObject({ ok: false, code: 'ENROLMENT_STEP' })
    const scan = await c.ok('enrol:verify-email', { code: sixDigits(await smtp.next(0)) })
    expect(scan.step).toBe('scan')
  })
})

describe('without SMTP', () => {
  it('writes .eml files to the outbox in the data directory', async () => {
    await admin.ok('policy:save', { policy: { ...t.engine.policy.get(), smtp: null } })
    const c = await login(t, 'grace')
    await c.ok('auth:send-email-code', {})
    const outbox = join(t.dir, 'outbox')
    const files = readdirSync(outbox)
    expect(files).toHaveLength(1)
    expect(files[0]).toMatch(/\.eml$/)
    expect(statSync(join(outbox, files[0]!)).mode & 0o777).toBe(0o600)
    const eml = readFileSync(join(outbox, files[0]!), 'utf8')
    expect(eml).toMatch(/^To: grace@example\.org$/m)
    const code = /\b(\d{6})\b/.exec(eml.split('\n\n').slice(1).join('\n'))![1]!
    expect((await c.ok('auth:verify', { method: 'email', code })).status.stage).toBe('full')
    expect(smtp.messages).toHaveLength(0)
  })
})
