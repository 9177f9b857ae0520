/**
 * Rules: "Forgot password?" sends a reset code by e-mail when SMTP is configured and otherwise files
 * a help-desk request, answering the same whether the account exists or not; a registration link
 * works once, before it expires, and leads to setup.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_POLICY } from '../../src/shared/policy'
import { connect } from '../helpers/caller'
import { testEngine, type TestEngine } from '../helpers/engine'
import { addUser, firstAdmin, login, type Conn } from '../helpers/flows'
import { sixDigits, startSmtp } from '../helpers/smtp'

let t: TestEngine
let admin: Conn
let grace: number
beforeEach(async () => {
  t = await testEngine()
  admin = await firstAdmin(t)
  grace = await addUser(admin, 'grace')
})
afterEach(() => t.dispose())

describe('forgot password', () => {
  it('with SMTP: e-mails a code that sets a new password once', async () => {
    const smtp = await startSmtp()
    try {
      await admin.ok('policy:save', { policy: { ...DEFAULT_POLICY, smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', username: '', from: 'tessera@example.org' } } })
      const c = connect(t.engine)
      expect(await c.ok('auth:forgot-password', { identifier: 'grace' })).toEqual({ via: 'email' })
      expect(await c.ok('auth:forgot-password', { identifier: 'nobody' })).toEqual({ via: 'email' })
      const code = sixDigits(await smtp.next(0))
      expect(smtp.messages).toHaveLength(1)
      const fresh = 'a brand new long passphrase'
      expect(await c.call('auth:reset-password', { identifier: 'grace', code: code === '000000' ? '111111' : '000000', password: fresh })).toMatchObject({ ok: false, code: 'INVALID_CODE' })
      await c.ok('auth:reset-password', { identifier: 'grace', code, password: fresh })
      expect(await c.call('auth:reset-password', { identifier: 'grace', code, password: fresh })).toMatchObject({ ok: false, code: 'INVALID_CODE' })
      expect((await login(t, 'grace', fresh)).conn.sessionId).not.toBeNull()
    } finally {
      await smtp.close()
    }
  })

  it('without SMTP: files a help-desk request, and says the same for an unknown name', async () => {
    const c = connect(t.engine)
    expect(await c.ok('auth:forgot-password', { identifier: 'grace' })).toEqual({ via: 'helpdesk' })
    expect(await c.ok('auth:forgot-password', { identifier: 'nobody' })).toEqual({ via: 'helpdesk' })
    await t.engine.background.idle()
    expect((await admin.ok('requests:list', {})).rows).toMatchObject([{ kind: 'password', user: { username: 'grace' }, toAll: true }])
  })
})

describe('registration links', () => {
  async function sendLink(): Promise<string> {
    const sent = await admin.ok('users:send-enrolment-link', { userId: grace })
    expect(sent.via).toBe('pickup')
    const outbox = join(t.dir, 'outbox')
    const eml = readFileSync(join(outbox, readdirSync(outbox).sort().at(-1)!), 'utf8')
    const link = /tessera:\/\/enroll\?token=([A-Za-z0-9_-]+)/.exec(eml.replace(/=\r?\n/g, '').replace(/=3D/g, '='))
    if (!link) throw new Error('no link in the message')
    return link[0]
  }

  it('open setup once for the right user, pasted as a link or as the bare token', async () => {
    const link = await sendLink()
    const c = connect(t.engine)
    expect(await c.ok('enrol:check-link', { token: link })).toEqual({ displayName: 'Grace', hasPassword: true })
    expect(await c.call('enrol:redeem-link', { token: link, password: 'not her password' })).toMatchObject({ ok: false, code: 'INVALID_CREDENTIALS', field: 'password' })
    const status = await c.ok('enrol:redeem-link', { token: new URL(link).searchParams.get('token')!, password: 'correct horse battery staple' })
    expect(status).toMatchObject({ stage: 'enrol', enrol: { required: true, reason: 'reset' } })
    expect(await connect(t.engine).call('enrol:check-link', { token: link })).toMatchObject({ ok: false, code: 'INVALID_TOKEN', field: 'token' })
  })

  it('expire after 7 days, and a new link replaces the old one', async () => {
    const first = await sendLink()
    t.clock.advance(1000)
    const second = await sendLink()
    expect(await connect(t.engine).call('enrol:check-link', { token: first })).toMatchObject({ ok: false, code: 'INVALID_TOKEN' })
    t.clock.advance(7 * 24 * 3600_000 + 1)
    expect(await connect(t.engine).call('enrol:check-link', { token: second })).toMatchObject({ ok: false, code: 'INVALID_TOKEN' })
  })
})

describe('change password', () => {
  it('needs the current password, and the new one works at the next login', async () => {
    const c = await login(t, 'grace')
    expect(await c.call('account:change-password', { current: 'not the password', next: 'a whole new passphrase' })).toMatchObject({ ok: false, code: 'INVALID_CREDENTIALS', field: 'password' })
    expect(await c.call('account:change-password', { current: 'correct horse battery staple', next: 'short' })).toMatchObject({ ok: false, code: 'INVALID_INPUT', field: 'next' })
    await c.ok('account:change-password', { current: 'correct horse battery staple', next: 'a whole new passphrase' })
    expect(await connect(t.engine).call('auth:login', { identifier: 'grace', password: 'correct horse battery staple' })).toMatchObject({ ok: false, code: 'INVALID_CREDENTIALS' })
    expect((await login(t, 'grace', 'a whole new passphrase')).conn.sessionId).not.toBeNull()
    expect(await t.engine.store.get("SELECT count(*) AS n FROM audit_log WHERE event = 'password.changed'")).toEqual({ n: 1 })
  })
})
