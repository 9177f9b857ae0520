/**
 * Every guess counted: the promises Tessera keeps around the second factor, each tested by the
 * attack that broke it before.
 *
 *  1. Every path that checks a secret has a yearly guess budget, and a scripted guesser that waits
 *     out every lock gets exactly that many guesses: passwords 160, second factor 80 (TOTP, e-mail,
 *     recovery, access and setup codes share one counter), password-reset codes 80 (their own),
 *     registration tokens 480 per workstation. Codes die after 5 wrong tries.
 *  2. Concurrent wrong passwords cannot get past the lock (the attempt is reserved before hashing).
 *  3. A valid code sent many times at once lets one through and locks nobody out.
 *  4. A flood of password-reset codes never touches the login, nor the live login code.
 *  5. Nothing tells who has an account: the same answers, and the same time.
 *  6. A name that matches nobody (a password typed in the wrong field) is never stored in clear.
 *  7. A password change, a reset, a 2FA reset, disabling and a role change end the other sessions.
 *  8. "Forgot password?" without e-mail ends in a new password, through the help desk.
 *  9. A help-desk reset or access code lifts the second-factor lock it is meant to solve.
 * 10. Staff never use the console on a password alone.
 * 11. Each user signs in with the method they set up; no code in an e-mail's subject.
 * 12. Help desk cannot decide about an administrator's reset; a user with no factor has nothing to reset.
 * 13. The database and its files are readable by their owner only.
 * 14. Refused attempts during a lock are audited in aggregate, not one row each.
 * 17. Imports are bounded: an absurd row is refused at once, and a report never echoes megabytes.
 * (15, the IPC sender check, is in main-bundle.test.ts; 16, codes never in CLI arguments, in
 * cli.test.ts; the audit chain's truncation and rewriting, in audit.test.ts.)
 */
import { translator } from '../../src/shared/i18n/translate'
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEngine } from '../../src/main/core/engine'
import { DEFAULT_POLICY, guessBudgets } from '../../src/shared/policy'
import type { ImportReport } from '../../src/shared/admin-dto'
import type { Result } from '../../src/shared/errors'
import { connect } from '../helpers/caller'
import { TEST_SCRYPT, tempDir, testEngine, type TestEngine } from '../helpers/engine'
import { addUser, code, enrolTotp, firstAdmin, login, PASSWORD, secretOf, signIn, wrongCode, type Conn } from '../helpers/flows'
import { startSmtp } from '../helpers/smtp'

const YEAR_MS = 365 * 24 * 3600_000
const LOCKS = ['ACCOUNT_LOCKED', 'LOGIN_BLOCKED', 'RESET_BLOCKED', 'WORKSTATION_LOCKED']
const budgets = guessBudgets(DEFAULT_POLICY.lockout)

let t: TestEngine
let admin: Conn
beforeEach(async () => {
  t = await testEngine()
  admin = await firstAdmin(t)
})
afterEach(() => t.dispose())

const idOf = async (username: string) => (await t.engine.store.get<{ id: number }>('SELECT id FROM users WHERE username = ?', [username]))!.id
const events = (name: string) => t.engine.store.all<{ details: string }>('SELECT * FROM audit_log WHERE event = ? ORDER BY id', [name])

/** The last 6-digit code written to the outbox (no SMTP configured). */
function lastMailedCode(): string {
  const outbox = join(t.dir, 'outbox')
  const eml = readFileSync(join(outbox, readdirSync(outbox).sort().at(-1)!), 'utf8')
  return /\n\s+(\d{6})\s*\n/.exec(eml.split(/\r?\n\r?\n/).slice(1).join('\n'))![1]!
}

/**
 * Guesses for a year, waiting out every lock; returns how many guesses were checked (every guess
 * made while no lock was in force). `renew` is called when there is nothing to guess against (the
 * code died after too many tries) and gets a new one.
 */
async function guessForAYear(guess: (n: number) => Promise<Result<unknown>>, renew?: () => Promise<void>): Promise<number> {
  const end = t.clock.now() + YEAR_MS
  let checked = 0
  for (let n = 0; t.clock.now() < end; n++) {
    const r = await guess(n)
    if (r.ok) throw new Error(`guess ${n} succeeded`)
    if (r.code === 'NO_CODE_SENT' && renew) {
      await renew()
      continue
    }
    checked += 1
    if (LOCKS.includes(r.code)) t.clock.set((r.details!.lockedUntil as number) + 1)
    else expect(r.code).toMatch(/INVALID_CODE|INVALID_CREDENTIALS|INVALID_TOKEN|CODE_ALREADY_USED/)
    if (checked > 10_000) throw new Error('no budget')
  }
  return checked
}

describe('1. every path has a yearly guess budget, and a guesser gets exactly that', () => {
  it(`passwords: ${budgets.password} a year per account`, async () => {
    await addUser(admin, 'grace')
    expect(await guessForAYear((n) => connect(t.engine).call('auth:login', { identifier: 'grace', password: `guess number ${n}` }))).toBe(budgets.password)
  })

  it(`login TOTP codes: ${budgets.secondFactor} a year`, async () => {
    await addUser(admin, 'grace')
    const { secret } = await enrolTotp(t, await login(t, 'grace'))
    const checked = await guessForAYear(async () => (await login(t, 'grace')).call('auth:verify', { method: 'totp', code: wrongCode(t, secret) }))
    expect(checked).toBe(budgets.secondFactor)
    expect(await events('login.second-factor-failed')).toHaveLength(budgets.secondFactor)
  })

  it(`login e-mail codes: ${budgets.secondFactor} a year, each code dead after 5 wrong tries`, async () => {
    await addUser(admin, 'emil')
    const c = await login(t, 'emil')
    await c.ok('enrol:start', { method: 'email' })
    await c.ok('enrol:confirm', { code: lastMailedCode() })
    await c.ok('enrol:complete', {})
    let pending = await login(t, 'emil')
    await pending.ok('auth:send-email-code', {})
    const checked = await guessForAYear(
      async (n) => {
        pending = await login(t, 'emil')
        return pending.call('auth:verify', { method: 'email', code: String(n % 1_000_000).padStart(6, '0') })
      },
      async () => void (await pending.ok('auth:send-email-code', {}))
    )
    expect(checked).toBe(budgets.secondFactor)
  })

  it(`recovery and one-time access codes: the same ${budgets.secondFactor}, shared`, async () => {
    await addUser(admin, 'grace')
    await enrolTotp(t, await login(t, 'grace'))
    await admin.ok('users:issue-access-code', { userId: await idOf('grace') })
    const checked = await guessForAYear(async (n) =>
      (await login(t, 'grace')).call('auth:verify', n % 2 ? { method: 'recovery', code: 'AAAA-BBBB-CCCC-DDDD' } : { method: 'access-code', code: 'AAAA-BBBB-CCCC' })
    )
    expect(checked).toBe(budgets.secondFactor)
  })

  it(`the e-mail check before setup: ${budgets.secondFactor} a year (it was unlimited)`, async () => {
    await admin.ok('policy:save', { policy: { ...DEFAULT_POLICY, emailVerificationBeforeSetup: true } })
    await addUser(admin, 'grace')
    let c = await login(t, 'grace')
    await c.ok('enrol:start', { method: 'totp' })
    const checked = await guessForAYear(
      async (n) => {
        c = await login(t, 'grace')
        const r = await c.call('enrol:verify-email', { code: String(n).padStart(6, '0') })
        // After a lock, the interrupted setup starts again (a new code is sent).
        if (!r.ok && r.code === 'ENROLMENT_NOT_STARTED') return { ok: false, code: 'NO_CODE_SENT', message: '' }
        return r
      },
      async () => void (await c.ok('enrol:start', { method: 'totp' }))
    )
    expect(checked).toBe(budgets.secondFactor)
  })

  it(`the setup confirmation: ${budgets.secondFactor} a year`, async () => {
    await addUser(admin, 'grace')
    const step = await (await login(t, 'grace')).ok('enrol:start', { method: 'totp' })
    const secret = secretOf((step as { uri: string }).uri)
    // The setup under way survives the session: each guess comes back with the password.
    const guess = async () => (await login(t, 'grace')).call('enrol:confirm', { code: wrongCode(t, secret) })
    expect(await guessForAYear(guess)).toBe(budgets.secondFactor)
  })

  it(`password-reset codes: ${budgets.resetCode} a year, on their own counter`, async () => {
    await addUser(admin, 'grace')
    const guess = () => connect(t.engine).call('auth:reset-password', { identifier: 'grace', code: '123456', password: 'a new long passphrase' })
    expect(await guessForAYear(guess)).toBe(budgets.resetCode)
  })

  it(`registration tokens: ${budgets.tokenPerWorkstation} a year per workstation`, async () => {
    const kiosk = connect(t.engine, 'kiosk-1')
    expect(await guessForAYear((n) => kiosk.call('enrol:check-link', { token: `guessed-token-${n}-xxxxxxxxxxxx` }))).toBe(budgets.tokenPerWorkstation)
  })
})

describe('2. concurrent wrong passwords cannot get past the lock', () => {
  it('15 at once, then the right one: blocked (the lock is reserved before hashing)', async () => {
    await addUser(admin, 'grace')
    const wrong = await Promise.all(Array.from({ length: 15 }, (_, i) => connect(t.engine).call('auth:login', { identifier: 'grace', password: `wrong ${i}` })))
    expect(wrong.filter((r) => !r.ok && r.code === 'INVALID_CREDENTIALS').length).toBeLessThanOrEqual(DEFAULT_POLICY.lockout.passwordThreshold)
    expect(await connect(t.engine).call('auth:login', { identifier: 'grace', password: PASSWORD })).toMatchObject({ ok: false, code: 'LOGIN_BLOCKED' })
  })

  it('the same for the password re-check before a sensitive change', async () => {
    await addUser(admin, 'grace')
    const c = await login(t, 'grace')
    await enrolTotp(t, c)
    await Promise.all(Array.from({ length: 15 }, (_, i) => c.call('account:reissue-codes', { password: `wrong ${i}` })))
    expect(await c.call('account:reissue-codes', { password: PASSWORD })).toMatchObject({ ok: false, code: 'LOGIN_BLOCKED' })
  })
})

describe('3. a valid code sent many times at once', () => {
  it('lets one through, answers "already used" to the rest, and locks nobody out', async () => {
    await addUser(admin, 'grace')
    const { secret } = await enrolTotp(t, await login(t, 'grace'))
    const pending: Conn[] = []
    for (let i = 0; i < 50; i++) pending.push(await login(t, 'grace'))
    const one = code(t, secret)
    const results = await Promise.all(pending.map((c) => c.call('auth:verify', { method: 'totp', code: one })))
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok && r.code === 'CODE_ALREADY_USED')).toHaveLength(49)
    expect(await t.engine.store.all("SELECT failures FROM failure_counters WHERE scope = 'account' AND factor = 'second-factor'")).toEqual([])
    t.clock.advance(30_000)
    expect((await (await login(t, 'grace')).ok('auth:verify', { method: 'totp', code: code(t, secret) })).status.stage).toBe('full')
  })
})

describe('4. a flood of password-reset codes never touches the login', () => {
  it('locks only the reset, leaves the live login code alone, and the user logs in elsewhere', async () => {
    const smtp = await startSmtp()
    try {
      await admin.ok('policy:save', { policy: { ...DEFAULT_POLICY, emailFallback: true, smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', username: '', from: 'tessera@example.org' } } })
      await addUser(admin, 'grace')
      const { secret } = await enrolTotp(t, await login(t, 'grace'))
      const victim = await login(t, 'grace', PASSWORD, 'ws-grace')
      await victim.ok('auth:send-email-code', {})
      const attacker = connect(t.engine, 'ws-attacker')
      for (let round = 0; round < 4; round++) {
        await attacker.ok('auth:forgot-password', { identifier: 'grace' })
        for (let i = 0; i < 5; i++) await attacker.call('auth:reset-password', { identifier: 'grace', code: '000000', password: 'attacker passphrase!' })
        t.clock.advance(31_000)
      }
      await t.engine.background.idle()
      expect(await attacker.call('auth:reset-password', { identifier: 'grace', code: '000000', password: 'attacker passphrase!' })).toMatchObject({ code: 'RESET_BLOCKED' })
      expect(await t.engine.store.all('SELECT purpose FROM email_codes WHERE user_id = ? ORDER BY purpose', [await idOf('grace')])).toEqual([{ purpose: 'login' }, { purpose: 'password-reset' }])
      const c = await login(t, 'grace', PASSWORD, 'ws-grace-2')
      expect((await c.ok('auth:verify', { method: 'totp', code: code(t, secret) })).status.stage).toBe('full')
    } finally {
      await t.engine.background.idle()
      await smtp.close()
    }
  })
})

describe('5. nothing tells who has an account', () => {
  it('the reset answer is the same for a known name, a wrong code and an unknown name', async () => {
    await addUser(admin, 'grace')
    const ask = (identifier: string) => connect(t.engine).call('auth:reset-password', { identifier, code: '123456', password: 'a new long passphrase' })
    const [known, unknown] = [await ask('grace'), await ask('nobody-at-all')]
    expect(known).toEqual(unknown)
  })

  it('"Forgot password?" takes the same time for a known and an unknown name, with SMTP (median of 40, within 2x)', async () => {
    const smtp = await startSmtp()
    try {
      await admin.ok('policy:save', { policy: { ...DEFAULT_POLICY, smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', username: '', from: 'tessera@example.org' } } })
      await addUser(admin, 'grace')
      const c = connect(t.engine)
      const times: Record<string, number[]> = { grace: [], 'nobody-at-all': [] }
      for (let i = 0; i < 40; i++) {
        for (const identifier of ['grace', 'nobody-at-all']) {
          const start = performance.now()
          expect(await c.ok('auth:forgot-password', { identifier })).toEqual({ via: 'email' })
          times[identifier]!.push(performance.now() - start)
          await t.engine.background.idle() // the mail goes out after the answer, outside the timing
          t.clock.advance(31_000)
        }
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[20]!
      const [known, unknown] = [median(times.grace!), median(times['nobody-at-all']!)]
      expect(Math.max(known, unknown) / Math.min(known, unknown)).toBeLessThan(2)
      expect(smtp.messages.length).toBeGreaterThan(0)
    } finally {
      await t.engine.background.idle()
      await smtp.close()
    }
  })
})

describe('6. a name that matches nobody is never stored in clear', () => {
  it('counters and audit rows keep a keyed hash and the length', async () => {
    await connect(t.engine).call('auth:login', { identifier: 'my-secret-passphrase-2026!', password: 'x' })
    const subjects = await t.engine.store.all<{ subject: string }>("SELECT subject FROM failure_counters WHERE scope = 'account'")
    expect(subjects).toEqual([{ subject: expect.stringMatching(/^name:[A-Za-z0-9_-]{22}$/) }])
    const row = await t.engine.store.get<{ details: string }>("SELECT details FROM audit_log WHERE event = 'login.password-failed'")
    expect(JSON.parse(row!.details)).toEqual({ nameHash: subjects[0]!.subject.slice(5), nameLength: 26 })
    expect(JSON.stringify(await t.engine.store.all('SELECT * FROM audit_log'))).not.toContain('secret-passphrase')
  })
})

describe('7. other sessions end when the account changes', () => {
  it('on a password change (not the one making it), a reset, a 2FA reset and disabling, with an audit row', async () => {
    await addUser(admin, 'grace')
    await enrolTotp(t, await login(t, 'grace'))
    const sessions = async (n: number) => Promise.all(Array.from({ length: n }, () => signIn(t, 'grace')))
    const [mine, other] = await sessions(2)
    await mine!.ok('account:change-password', { current: PASSWORD, next: 'another long passphrase' })
    expect((await mine!.call('account:two-factor', {})).ok).toBe(true)
    expect(await other!.call('account:two-factor', {})).toMatchObject({ ok: false, code: 'NOT_AUTHENTICATED' })
    await mine!.ok('account:change-password', { current: 'another long passphrase', next: PASSWORD })

    const [a] = await sessions(1)
    await admin.ok('users:reset-2fa', { userId: await idOf('grace'), reason: 'lost phone' })
    expect(await a!.call('account:two-factor', {})).toMatchObject({ ok: false, code: 'NOT_AUTHENTICATED' })
    const b = await login(t, 'grace')
    await admin.ok('users:set-disabled', { userId: await idOf('grace'), disabled: true })
    expect(await b.call('app:status', {})).toMatchObject({ ok: true, value: { session: null } })
    expect((await events('sessions.ended')).map((e) => JSON.parse(e.details).reason)).toEqual(['password-changed', 'two-factor-reset', 'disabled'])
  })

  it('on a password reset by e-mail code', async () => {
    const smtp = await startSmtp()
    try {
      await admin.ok('policy:save', { policy: { ...DEFAULT_POLICY, smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', username: '', from: 'tessera@example.org' } } })
      await addUser(admin, 'grace')
      const open = await login(t, 'grace')
      await connect(t.engine).ok('auth:forgot-password', { identifier: 'grace' })
      const mail = await smtp.next(0)
      await connect(t.engine).ok('auth:reset-password', { identifier: 'grace', code: /\b(\d{6})\b/.exec(mail.body)![1]!, password: 'a brand new passphrase' })
      expect(await open.call('app:status', {})).toMatchObject({ ok: true, value: { session: null } })
    } finally {
      await t.engine.background.idle()
      await smtp.close()
    }
  })
})

describe('8. "Forgot password?" without e-mail ends in a new password', () => {
  it('help desk checks identity and sets a temporary password; the user replaces it after their second factor', async () => {
    await addUser(admin, 'grace')
    const { secret } = await enrolTotp(t, await login(t, 'grace'))
    await (await login(t, 'grace')).ok('auth:lost-device', { recipients: 'all', message: 'also forgot the password' })
    expect(await connect(t.engine).ok('auth:forgot-password', { identifier: 'grace' })).toEqual({ via: 'helpdesk' })
    await t.engine.background.idle()
    const requests = (await admin.ok('requests:list', {})).rows
    expect(requests.map((r) => r.kind).sort()).toEqual(['lost-device', 'password'])
    const request = requests.find((r) => r.kind === 'password')!
    expect(await admin.call('requests:decide', { requestId: request.id, decision: { action: 'reset', identityCheck: 'in-person', note: '' } })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    const done = await admin.ok('requests:decide', { requestId: request.id, decision: { action: 'temporary-password', identityCheck: 'in-person', note: 'badge checked' } })
    const temporary = done.temporaryPassword!.password
    expect(temporary).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/)

    const c = await login(t, 'grace', temporary)
    const after2fa = await c.ok('auth:verify', { method: 'totp', code: code(t, secret) })
    expect(after2fa.status.stage).toBe('change-password')
    expect(await c.call('account:two-factor', {})).toMatchObject({ ok: false, code: 'NOT_AUTHENTICATED' })
    expect(await c.call('auth:set-password', { password: temporary })).toMatchObject({ ok: false, code: 'WEAK_PASSWORD' })
    expect((await c.ok('auth:set-password', { password: 'my very own passphrase' })).stage).toBe('full')
    t.clock.advance(30_000)
    expect((await (await login(t, 'grace', 'my very own passphrase')).ok('auth:verify', { method: 'totp', code: code(t, secret) })).status.stage).toBe('full')
  })

  it('a temporary password expires after a day', async () => {
    const grace = await addUser(admin, 'grace')
    const { password } = await admin.ok('users:set-temporary-password', { userId: grace })
    t.clock.advance(24 * 3600_000 + 1)
    expect(await connect(t.engine).call('auth:login', { identifier: 'grace', password })).toMatchObject({ ok: false, code: 'PASSWORD_EXPIRED' })
  })
})

describe('9. a help-desk reset lifts the second-factor lock it solves', () => {
  it('locked by 5 wrong codes, reset from the queue, the user sets up a new app and is in', async () => {
    await addUser(admin, 'grace')
    const { secret } = await enrolTotp(t, await login(t, 'grace'))
    const c = await login(t, 'grace')
    for (let i = 0; i < 5; i++) await c.call('auth:verify', { method: 'totp', code: wrongCode(t, secret) })
    const { requestId } = await c.ok('auth:lost-device', { recipients: 'all' })
    await admin.ok('requests:decide', { requestId, decision: { action: 'reset', identityCheck: 'manager', note: '' } })
    expect(JSON.parse((await events('two-factor.reset'))[0]!.details)).toMatchObject({ unlocked: true })
    const next = await login(t, 'grace')
    const { secret: fresh } = await enrolTotp(t, next)
    expect((await (await login(t, 'grace')).ok('auth:verify', { method: 'totp', code: code(t, fresh) })).status.stage).toBe('full')
  })

  it('and so does a one-time access code', async () => {
    await addUser(admin, 'grace')
    const { secret } = await enrolTotp(t, await login(t, 'grace'))
    const c = await login(t, 'grace')
    for (let i = 0; i < 5; i++) await c.call('auth:verify', { method: 'totp', code: wrongCode(t, secret) })
    const access = await admin.ok('users:issue-access-code', { userId: await idOf('grace') })
    expect((await (await login(t, 'grace')).ok('auth:verify', { method: 'access-code', code: access.code })).status.stage).toBe('enrol')
  })
})

describe('10. staff never use the console on a password alone', () => {
  it('the first administrator made offline (CLI init) must set up 2FA at first login, with no postponing', async () => {
    const fresh = await testEngine()
    try {
      const user = await fresh.engine.accounts.createFirstAdmin({ username: 'root', email: 'root@example.org', displayName: 'Root', password: PASSWORD })
      expect((await fresh.engine.auth.login('root', PASSWORD, 'ws')).stage).toBe('enrol')
      expect(await fresh.engine.auth.enrolRequirement(user)).toMatchObject({ required: true, reason: 'staff', postponementsLeft: 0 })
    } finally {
      await fresh.dispose()
    }
  })

  it('a user made help desk is sent to setup at their next login, whatever the policy', async () => {
    const hedy = await addUser(admin, 'hedy')
    expect((await (await login(t, 'hedy')).ok('app:status', {})).stage).toBe('full')
    await admin.ok('users:set-role', { userId: hedy, role: 'helpdesk' })
    const c = await login(t, 'hedy')
    expect(await c.ok('app:status', {})).toMatchObject({ stage: 'enrol', enrol: { reason: 'staff' } })
    expect(await c.call('users:list', {})).toMatchObject({ ok: false, code: 'NOT_AUTHENTICATED' })
  })
})

describe('11. each user signs in with the method they set up', () => {
  it('an authenticator user gets no e-mail code unless the policy allows falling back; no code in a subject line', async () => {
    await addUser(admin, 'grace')
    await enrolTotp(t, await login(t, 'grace'))
    const c = await login(t, 'grace')
    expect((await c.ok('app:status', {})).secondFactor?.emailAllowed).toBe(false)
    expect(await c.call('auth:send-email-code', {})).toMatchObject({ ok: false, code: 'METHOD_NOT_ALLOWED' })
    expect(await c.call('auth:verify', { method: 'email', code: '123456' })).toMatchObject({ ok: false, code: 'METHOD_NOT_ALLOWED' })
    await admin.ok('policy:save', { policy: { ...DEFAULT_POLICY, emailFallback: true } })
    await c.ok('auth:send-email-code', {})
    const outbox = join(t.dir, 'outbox')
    const eml = readFileSync(join(outbox, readdirSync(outbox)[0]!), 'utf8')
    const subject = /^Subject: (.*)$/m.exec(eml)![1]!
    expect(subject).toBe('Tessera: your verification code')
    expect((await c.ok('auth:verify', { method: 'email', code: lastMailedCode() })).status.stage).toBe('full')
  })
})

describe('12. decisions the help desk cannot take', () => {
  it("help desk cannot reject an administrator's four-eyes reset proposal", async () => {
    await addUser(admin, 'barbara', 'admin')
    await addUser(admin, 'hedy', 'helpdesk')
    await signIn(t, 'barbara')
    await admin.ok('users:reset-2fa', { userId: await idOf('barbara'), reason: 'lost phone' })
    const [proposal] = (await admin.ok('requests:list', {})).rows
    const hedy = await signIn(t, 'hedy')
    expect(await hedy.call('requests:decide', { requestId: proposal!.id, decision: { action: 'reject', reason: 'no' } })).toMatchObject({ ok: false, code: 'ROLE_NOT_ALLOWED' })
    expect((await admin.ok('requests:list', {})).rows[0]!.status).toBe('awaiting-approval')
  })

  it('a user with no second factor has nothing to reset', async () => {
    const grace = await addUser(admin, 'grace')
    expect(await admin.call('users:reset-2fa', { userId: grace, reason: 'lost phone' })).toMatchObject({ ok: false, code: 'NOT_ENROLLED' })
    expect((await admin.ok('users:get', { userId: grace })).hasFactor).toBe(false)
    expect(await events('two-factor.reset')).toHaveLength(0)
  })
})

// On an engine of its own on a SQLite file in a new folder, whichever store the run's other cases use:
// the modes are those of the SQLite file, its WAL and SHM (PostgreSQL's files belong to its server).
describe('13. the data files are their owner’s alone', () => {
  it('makes the database, WAL and SHM 0600 in a directory that already existed, and warns about the directory', async () => {
    const tmp = tempDir()
    try {
      const dir = join(tmp.dir, 'shared-data')
      mkdirSync(dir, { mode: 0o755 })
      chmodSync(dir, 0o755)
      const engine = await createEngine({ databaseFile: join(dir, 'tessera.db'), passwordParams: TEST_SCRYPT })
      try {
        await engine.accounts.createFirstAdmin({ username: 'root', email: 'root@example.org', displayName: 'Root', password: PASSWORD })
        await engine.audit.record({ event: 'setup.first-admin' })
        await engine.audit.flush()
        for (const f of ['tessera.db', 'tessera.db-wal', 'tessera.db-shm', 'data.key', 'audit-anchor.json']) {
          expect(statSync(join(dir, f)).mode & 0o777, f).toBe(0o600)
        }
        expect(engine.warnings.map((w) => translator('en').sayText(w)).join(' ')).toMatch(/can be read by other users.*chmod 700/)
      } finally {
        await engine.close()
      }
    } finally {
      tmp.remove()
    }
  })
})

describe('14. refusals during a lock are audited in aggregate', () => {
  it('300 attempts at a blocked workstation write two rows, not 300', async () => {
    const kiosk = connect(t.engine, 'kiosk-9')
    for (let i = 0; i < 30; i++) await kiosk.call('auth:login', { identifier: `someone${i}`, password: 'guess guess' })
    const before = (await events('login.blocked')).length
    for (let i = 0; i < 300; i++) {
      expect(await kiosk.call('auth:login', { identifier: 'anyone', password: 'guess' })).toMatchObject({ code: 'WORKSTATION_LOCKED' })
      if (i === 150) t.clock.advance(61_000)
    }
    const rows = (await events('login.blocked')).slice(before)
    expect(rows).toHaveLength(2)
    expect(JSON.parse(rows[1]!.details)).toMatchObject({ factor: 'password', scope: 'workstation', refused: 151 })
  })
})

describe('17. imports are bounded', () => {
  it('refuses a 20 MB row at once, and echoes no more than a line of what was typed', async () => {
    const huge = 'username,email,display_name,role\n' + 'a'.repeat(20_000_000) + ',x@example.org,X,user\n'
    const start = performance.now()
    const refused = await admin.jobResult<ImportReport>('users:import', { csv: huge.slice(0, 49_000_000) })
    expect(refused.ok).toBe(false)
    expect(translator('en').sayText(refused.refused[0]!.reason)).toMatch(/longer than 2,000 characters/) // a message, worded where it is read
    expect(performance.now() - start).toBeLessThan(2_000)
    const long = await admin.jobResult<ImportReport>('users:import', { csv: 'username,email,display_name,role\n' + 'b'.repeat(1_500) + ',x@example.org,X,user\n' })
    expect(long.refused[0]!.username.length).toBeLessThan(100)
  })
})

it('the budgets above are what the README states', () => {
  expect(budgets).toEqual({ password: 160, secondFactor: 80, resetCode: 80, tokenPerWorkstation: 480 })
})
