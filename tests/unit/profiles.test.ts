/**
 * Rule: staff edit a profile and delete an account from the console, within what their role may
 * touch; the audit keeps history readable (a rename records from and to; a deletion records who
 * the account was); a new account's temporary password must be replaced at the first login and
 * stops working after a day.
 */
import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ExportResult } from '../../src/shared/admin-dto'
import { eventSentence } from '../../src/shared/audit-events'
import { translator } from '../../src/shared/i18n/translate'
import { TEMPORARY_PASSWORD_LIFETIME_MS } from '../../src/main/core/helpdesk'
import { connect } from '../helpers/caller'
import { testEngine, type TestEngine } from '../helpers/engine'
import { addUser, enrolTotp, firstAdmin, login, PASSWORD, signIn, type Conn } from '../helpers/flows'

let t: TestEngine
let admin: Conn
let ids: Record<string, number>
beforeEach(async () => {
  t = await testEngine()
  admin = await firstAdmin(t)
  ids = { grace: await addUser(admin, 'grace'), hedy: await addUser(admin, 'hedy', 'helpdesk'), barbara: await addUser(admin, 'barbara', 'admin') }
})
afterEach(() => t.dispose())

const en = translator('en')
const time = (ms: number) => new Date(ms).toISOString()
const profile = (over: Partial<{ username: string; email: string; displayName: string; phone: string }> = {}) => ({ username: 'grace', email: 'grace@example.org', displayName: 'Grace', phone: '', ...over })

describe('a new account', () => {
  it('gets a temporary password that must be replaced at the first login and expires after a day', async () => {
    const { userId, temporaryPassword } = await admin.ok('users:create', { username: 'linus', email: 'linus@example.org', displayName: 'Linus', role: 'user', phone: '+358 9 123 4567' })
    expect(temporaryPassword.expiresAt).toBe(t.clock.now() + TEMPORARY_PASSWORD_LIFETIME_MS)
    const first = connect(t.engine)
    expect(await first.ok('auth:login', { identifier: 'linus', password: temporaryPassword.password })).toMatchObject({ stage: 'change-password' })
    expect(await first.call('users:list', {})).toMatchObject({ ok: false })
    await first.ok('auth:set-password', { password: PASSWORD })
    expect(await connect(t.engine).call('auth:login', { identifier: 'linus', password: temporaryPassword.password })).toMatchObject({ ok: false, code: 'INVALID_CREDENTIALS' })
    expect((await admin.ok('users:get', { userId })).phone).toBe('+358 9 123 4567')

    const late = await admin.ok('users:create', { username: 'alan', email: 'alan@example.org', displayName: 'Alan', role: 'user' })
    t.clock.advance(TEMPORARY_PASSWORD_LIFETIME_MS + 1)
    expect(await connect(t.engine).call('auth:login', { identifier: 'alan', password: late.temporaryPassword.password })).toMatchObject({ ok: false, code: 'PASSWORD_EXPIRED' })
  })
})

describe('editing a profile', () => {
  it('renames, re-addresses and sets a phone; search and the audit follow; nothing changed writes nothing', async () => {
    expect(await admin.ok('users:update', { userId: ids.grace!, ...profile({ username: 'ghopper', email: 'g.hopper@example.org', displayName: 'Grace Hopper', phone: '+1 (555) 010-0100' }) })).toEqual({
      changed: ['username', 'email', 'displayName', 'phone']
    })
    expect((await admin.ok('users:list', { search: 'hopper' })).rows.map((r) => r.username)).toEqual(['ghopper'])
    expect((await admin.ok('users:list', { search: 'grace@' })).total).toBe(0)
    const [row] = (await admin.ok('audit:list', { event: 'user.updated' })).rows
    expect(eventSentence(row!, en, time)).toBe("ada changed grace's username, e-mail, name, phone number (now ghopper) at ws-test")
    await signIn(t, 'ghopper') // the new username logs in
    const before = (await admin.ok('audit:list', {})).rows.length
    expect(await admin.ok('users:update', { userId: ids.grace!, ...profile({ username: 'ghopper', email: 'g.hopper@example.org', displayName: 'Grace Hopper', phone: '+1 (555) 010-0100' }) })).toEqual({ changed: [] })
    expect((await admin.ok('audit:list', {})).rows.length).toBe(before)
  })

  it('refuses a taken username or e-mail, a bad phone, and accounts the role may not touch', async () => {
    expect(await admin.call('users:update', { userId: ids.grace!, ...profile({ email: 'HEDY@example.org' }) })).toMatchObject({ ok: false, code: 'EMAIL_TAKEN', field: 'email' })
    expect(await admin.call('users:update', { userId: ids.grace!, ...profile({ username: 'hedy' }) })).toMatchObject({ ok: false, code: 'USERNAME_TAKEN', field: 'username' })
    expect(await admin.call('users:update', { userId: ids.grace!, ...profile({ phone: 'call me' }) })).toMatchObject({ ok: false, code: 'INVALID_INPUT', fields: { phone: expect.stringContaining('phone number') } })
    const hedy = await signIn(t, 'hedy')
    expect(await hedy.call('users:update', { userId: ids.barbara!, ...profile({ username: 'barbara', email: 'barbara@example.org' }) })).toMatchObject({ ok: false, code: 'ROLE_NOT_ALLOWED' })
    expect(await hedy.call('users:update', { userId: ids.hedy!, ...profile({ username: 'hedy', email: 'hedy@example.org' }) })).toMatchObject({ ok: false, code: 'OWN_ACCOUNT' })
    expect((await admin.ok('users:get', { userId: ids.grace! })).email).toBe('grace@example.org')
  })
})

describe('deleting an account', () => {
  it('needs the username typed, removes what is only theirs, and keeps the history readable', async () => {
    const grace = await signIn(t, 'grace')
    expect(await admin.call('users:delete', { userId: ids.grace!, confirm: 'grase' })).toMatchObject({ ok: false, code: 'INVALID_INPUT', field: 'confirm' })
    const counts = (await admin.ok('users:list', { limit: 1 })).counts
    await admin.ok('users:delete', { userId: ids.grace!, confirm: 'Grace' })
    expect(await grace.call('account:two-factor', {})).toMatchObject({ ok: false, code: 'NOT_AUTHENTICATED' }) // her sessions ended
    expect(await admin.call('users:get', { userId: ids.grace! })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect((await admin.ok('users:list', { search: 'grace' })).total).toBe(0)
    expect((await admin.ok('users:list', { limit: 1 })).counts.total).toBe(counts.total - 1)
    for (const table of ['second_factors', 'recovery_codes', 'password_credentials']) {
      expect(await t.engine.store.get(`SELECT count(*) AS n FROM ${table} WHERE user_id = ?`, [ids.grace!]), table).toEqual({ n: 0 })
    }
    const [row] = (await admin.ok('audit:list', { event: 'user.deleted' })).rows
    expect(eventSentence(row!, en, time)).toBe('ada deleted the account grace (Grace) at ws-test')
    expect((await admin.ok('audit:list', { subject: 'grace' })).rows.map((r) => r.event)).toEqual(expect.arrayContaining(['user.deleted', 'login.succeeded', 'user.created'])) // her history stays
    expect((await admin.ok('audit:verify', {})).ok).toBe(true)
  })

  it('of a staff member who handled requests keeps those requests; never the last administrator', async () => {
    await enrolTotp(t, await login(t, 'grace'))
    const grace = await login(t, 'grace')
    const { requestId } = await grace.ok('auth:lost-device', { recipients: 'all' })
    const hedy = await signIn(t, 'hedy')
    await hedy.ok('requests:decide', { requestId, decision: { action: 'reset', identityCheck: 'in-person', note: 'badge' } })
    await admin.ok('users:delete', { userId: ids.hedy!, confirm: 'hedy' })
    expect((await admin.ok('requests:list', { open: false })).rows).toMatchObject([{ id: requestId, status: 'reset', handledBy: null }])
    const barbara = await signIn(t, 'barbara')
    await barbara.ok('users:set-disabled', { userId: 1, disabled: true })
    expect(await barbara.call('users:delete', { userId: ids.barbara!, confirm: 'barbara' })).toMatchObject({ ok: false, code: 'OWN_ACCOUNT' })
    await expect(t.engine.profiles.delete(null, ids.barbara!, 'barbara', 'cli')).rejects.toThrow(/at least one active administrator/)
  })
})

describe('the CSV', () => {
  it('imports and exports the phone number', async () => {
    const csv = 'username,email,display_name,role,phone\nalan,alan@example.org,Alan Turing,user,+44 161 496 0000\nkatherine,kj@example.org,Katherine Johnson,user,\n'
    // A preview checks everything and writes nothing.
    const before = (await admin.ok('audit:list', {})).rows.length
    expect(await admin.jobResult('users:import', { csv, dryRun: true })).toEqual({
      ok: true, created: 0, refused: [], refusedCount: 0, wouldCreate: 2,
      preview: [
        { line: 2, username: 'alan', email: 'alan@example.org', displayName: 'Alan Turing', role: 'user', phone: '+44 161 496 0000' },
        { line: 3, username: 'katherine', email: 'kj@example.org', displayName: 'Katherine Johnson', role: 'user', phone: null }
      ]
    })
    expect((await admin.ok('users:list', { search: 'alan' })).total).toBe(0)
    expect((await admin.ok('audit:list', {})).rows.length).toBe(before)
    expect(await admin.jobResult('users:import', { csv })).toMatchObject({ ok: true, created: 2 })
    const bad = 'username,email,display_name,role,phone\nmary,mary@example.org,Mary,user,not a number\n'
    expect(await admin.jobResult('users:import', { csv: bad })).toMatchObject({ ok: false, refused: [{ line: 2, reason: expect.stringContaining('phone') }] })
    const { file } = await admin.jobResult<ExportResult>('users:export', {})
    const lines = readFileSync(file, 'utf8').trim().split('\r\n')
    expect(lines[0]).toBe('username,email,display_name,role,phone,status,method,recovery_codes_left,last_login')
    expect(lines.find((l) => l.startsWith('alan,'))).toContain(",'+44 161 496 0000,") // kept from running as a formula
    // ...and imported again as the number it is.
    const other = await testEngine()
    try {
      const otherAdmin = await firstAdmin(other)
      expect(await otherAdmin.jobResult('users:import', { csv: [lines[0], ...lines.filter((l) => l.startsWith('alan,'))].join('\n') })).toMatchObject({ ok: true, created: 1 })
      expect((await otherAdmin.ok('users:get', { userId: 2 })).phone).toBe('+44 161 496 0000')
    } finally {
      await other.dispose()
    }
  })
})

describe('sessions', () => {
  it('shows where a user is signed in; staff sign them out everywhere, and anyone their own other windows', async () => {
    await enrolTotp(t, await login(t, 'grace'))
    const kiosk = await signIn(t, 'grace', 'kiosk-3')
    const desk = await signIn(t, 'grace', 'desk-7')
    const sessions = (await admin.ok('users:get', { userId: ids.grace! })).sessions
    expect(sessions.map((s) => [s.workstation, s.stage, s.current])).toEqual([['ws-test', 'full', false], ['kiosk-3', 'full', false], ['desk-7', 'full', false]])

    // Her own "sign out everywhere else" keeps the window she is in.
    expect((await desk.ok('account:sessions', {})).map((s) => [s.workstation, s.current])).toEqual([['ws-test', false], ['kiosk-3', false], ['desk-7', true]])
    expect(await desk.ok('account:sign-out-everywhere', {})).toEqual({ ended: 2 })
    expect(await kiosk.call('account:sessions', {})).toMatchObject({ ok: false, code: 'NOT_AUTHENTICATED' })

    // The help desk ends the rest; they cannot do it to an administrator.
    const hedy = await signIn(t, 'hedy')
    expect(await hedy.ok('users:sign-out-everywhere', { userId: ids.grace! })).toEqual({ ended: 1 })
    expect(await desk.call('account:sessions', {})).toMatchObject({ ok: false, code: 'NOT_AUTHENTICATED' })
    expect((await admin.ok('users:get', { userId: ids.grace! })).sessions).toEqual([])
    expect(await hedy.call('users:sign-out-everywhere', { userId: ids.barbara! })).toMatchObject({ ok: false, code: 'ROLE_NOT_ALLOWED' })
    const rows = (await admin.ok('audit:list', { event: 'sessions.ended' })).rows
    expect(rows.map((r) => eventSentence(r, en, time))).toEqual(['hedy signed grace out everywhere (1 session ended)', 'grace signed out everywhere else (2 sessions ended)'])
  })
})
