/**
 * Rule: a user moves their authenticator app to a new phone without the help desk, even where 2FA
 * is mandatory: a code from the old phone proves it is them (a wrong one counts like any wrong
 * code), the new phone's first code confirms it, and only then do the old phone's codes stop
 * working. Nothing else changes (recovery codes stay), and the audit says what happened.
 */
import { afterEach, beforeEach, expect, it } from 'vitest'
import { totpAt } from '../../src/main/core/two-factor/totp'
import { REPLACEMENT_MS } from '../../src/main/core/two-factor'
import { testEngine, type TestEngine } from '../helpers/engine'
import { addUser, enrolTotp, firstAdmin, login, secretOf, type Conn } from '../helpers/flows'

let t: TestEngine
let admin: Conn
let grace: Conn
let oldSecret: string
let recovery: string[]
beforeEach(async () => {
  t = await testEngine()
  admin = await firstAdmin(t)
  await addUser(admin, 'grace')
  grace = await login(t, 'grace')
  ;({ secret: oldSecret, codes: recovery } = await enrolTotp(t, grace))
  const { smtpPasswordSet: _set, ...policy } = await admin.ok('policy:get', {})
  await admin.ok('policy:save', { policy: { ...policy, mandatory: true, idleTimeoutMinutes: 60 } })
})
afterEach(() => t.dispose())

const next = () => t.clock.advance(30_000) // each code is accepted once

it('moves to the new phone only once its first code is confirmed', async () => {
  expect(await grace.call('account:replace-device-start', { code: '000000' === totpAt(oldSecret, t.clock.now()) ? '111111' : '000000' })).toMatchObject({ ok: false, code: 'INVALID_CODE' })
  next()
  const scan = await grace.ok('account:replace-device-start', { code: totpAt(oldSecret, t.clock.now()) })
  if (scan.step !== 'scan') throw new Error('expected the scan step')
  const newSecret = secretOf(scan.uri)
  expect(newSecret).not.toBe(oldSecret)

  // Until the new phone is confirmed, the old one still logs in; another window cannot confirm.
  next()
  const elsewhere = await login(t, 'grace', undefined, 'ws-other')
  await elsewhere.ok('auth:verify', { method: 'totp', code: totpAt(oldSecret, t.clock.now()) })
  expect(await elsewhere.call('account:replace-device-confirm', { code: totpAt(newSecret, t.clock.now()) })).toMatchObject({ ok: false, code: 'ENROLMENT_NOT_STARTED' })
  expect(await grace.call('account:replace-device-confirm', { code: totpAt(oldSecret, t.clock.now()) })).toMatchObject({ ok: false, code: 'INVALID_CODE', field: 'code' })
  await grace.ok('account:replace-device-confirm', { code: totpAt(newSecret, t.clock.now()) })

  next()
  const after = await login(t, 'grace')
  expect(await after.call('auth:verify', { method: 'totp', code: totpAt(oldSecret, t.clock.now()) })).toMatchObject({ ok: false, code: 'INVALID_CODE' })
  await after.ok('auth:verify', { method: 'totp', code: totpAt(newSecret, t.clock.now()) })
  expect((await after.ok('account:two-factor', {})).recoveryCodesLeft).toBe(recovery.length)
  const events = (await admin.ok('audit:list', { subject: 'grace', limit: 20 })).rows.map((r) => r.event)
  expect(events).toContain('two-factor.device-replaced')
  expect(events.filter((e) => e === 'login.second-factor-failed' || e === 'enrol.code-failed').length).toBe(3) // every wrong code counted
})

it('lapses if the new phone is not confirmed in time, leaving the old one', async () => {
  next()
  const scan = await grace.ok('account:replace-device-start', { code: totpAt(oldSecret, t.clock.now()) })
  if (scan.step !== 'scan') throw new Error('expected the scan step')
  t.clock.advance(REPLACEMENT_MS + 1)
  expect(await grace.call('account:replace-device-confirm', { code: totpAt(secretOf(scan.uri), t.clock.now()) })).toMatchObject({ ok: false, code: 'ENROLMENT_NOT_STARTED' })
  const again = await login(t, 'grace')
  await again.ok('auth:verify', { method: 'totp', code: totpAt(oldSecret, t.clock.now()) })
})
