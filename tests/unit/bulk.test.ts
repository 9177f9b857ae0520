/**
 * Rule: a bulk action does to each account exactly what the same action done by hand does, under
 * the same rules (an account it does not fit is skipped, with the reason), on the ticked rows or on
 * everyone a filter matches, as a job.
 */
import { afterEach, beforeEach, expect, it } from 'vitest'
import type { BulkReport } from '../../src/shared/admin-dto'
import { testEngine, type TestEngine } from '../helpers/engine'
import { addUser, code, enrolTotp, firstAdmin, login, signIn, type Conn } from '../helpers/flows'

let t: TestEngine
let admin: Conn
let ids: Record<string, number>
beforeEach(async () => {
  t = await testEngine()
  admin = await firstAdmin(t)
  ids = { grace: await addUser(admin, 'grace'), linus: await addUser(admin, 'linus'), hedy: await addUser(admin, 'hedy', 'helpdesk'), barbara: await addUser(admin, 'barbara', 'admin') }
  for (let i = 0; i < 30; i++) await admin.ok('users:create', { username: `new${i}`, email: `new${i}@example.org`, displayName: `New ${i}`, role: 'user' })
})
afterEach(() => t.dispose())

it('sends a registration link to everyone a filter matches', async () => {
  const report = await admin.jobResult<BulkReport>('users:bulk', { target: { filter: { search: 'new', status: 'not-enrolled', role: 'user' } }, action: 'enrolment-link' })
  expect(report).toEqual({ action: 'enrolment-link', done: 30, skipped: [], skippedCount: 0 })
  expect((await admin.ok('audit:list', { event: 'enrolment-link.sent', limit: 100 })).rows).toHaveLength(30)
})

it('unlocks the ticked rows, skipping one that is not locked, with the reason', async () => {
  const { secret } = await enrolTotp(t, await login(t, 'grace'))
  const grace = await login(t, 'grace')
  const wrong = code(t, secret) === '000000' ? '111111' : '000000'
  for (let i = 0; i < 5; i++) await grace.call('auth:verify', { method: 'totp', code: wrong })
  expect((await admin.ok('users:get', { userId: ids.grace! })).status).toBe('locked')
  const report = await admin.jobResult<BulkReport>('users:bulk', { target: { ids: [ids.grace!, ids.linus!] }, action: 'unlock' })
  expect(report).toEqual({ action: 'unlock', done: 1, skipped: [{ username: 'linus', reason: 'This account is not locked.' }], skippedCount: 1 })
  expect((await admin.ok('users:get', { userId: ids.grace! })).status).toBe('enrolled')
})

it('resets 2FA only with a reason, and only where the role may act', async () => {
  expect(await admin.call('users:bulk', { target: { ids: [ids.grace!] }, action: 'reset-2fa' })).toMatchObject({ ok: false, code: 'INVALID_INPUT', fields: { reason: expect.stringContaining('reason') } })
  await enrolTotp(t, await login(t, 'grace'))
  const hedy = await signIn(t, 'hedy')
  const report = await hedy.jobResult<BulkReport>('users:bulk', { target: { ids: [ids.grace!, ids.barbara!, ids.linus!] }, action: 'reset-2fa', reason: 'phones replaced' })
  expect(report.done).toBe(1)
  expect(report.skipped).toEqual([
    { username: 'barbara', reason: 'Help-desk staff can act on user accounts only; ask an administrator.' },
    { username: 'linus', reason: 'This user has no second factor to reset.' }
  ])
  expect((await admin.ok('audit:list', { event: 'two-factor.reset' })).rows).toMatchObject([{ actor: 'hedy', subject: 'grace', details: { reason: 'phones replaced' } }])
})
