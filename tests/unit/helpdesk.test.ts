/**
 * Rules: every console action is checked for the caller's role in the main process; help desk acts
 * on plain users only, nobody on their own account; a lost-device request reaches the chosen staff
 * (or all) and is handled with a recorded identity check; resetting an administrator needs a second
 * administrator; the directory is paged, searchable and filterable; a CSV import is all or nothing.
 */
import { readFileSync } from 'node:fs'
import { translator } from '../../src/shared/i18n/translate'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ExportResult, ImportReport } from '../../src/shared/admin-dto'
import { piecesOf } from '../../src/main/core/directory/import'
import { testEngine, type TestEngine } from '../helpers/engine'
import { addUser, code, enrolTotp, firstAdmin, login, signIn, type Conn } from '../helpers/flows'

let t: TestEngine
let admin: Conn
let ids: Record<string, number>
beforeEach(async () => {
  t = await testEngine()
  admin = await firstAdmin(t)
  ids = {
    ada: 1,
    grace: await addUser(admin, 'grace'),
    hedy: await addUser(admin, 'hedy', 'helpdesk'),
    barbara: await addUser(admin, 'barbara', 'admin'),
    linus: await addUser(admin, 'linus')
  }
})
afterEach(() => t.dispose())

/** Import refusals with their reasons in English. */
const inEnglish = (refused: ImportReport['refused']) => refused.map((r) => ({ ...r, reason: translator('en').sayText(r.reason) }))

describe('roles', () => {
  it('refuses every console channel to plain users, in the main process', async () => {
    const grace = await login(t, 'grace')
    const calls = [
      grace.call('users:list', {}),
      grace.call('users:get', { userId: ids.linus! }),
      grace.call('users:unlock', { userId: ids.linus! }),
      grace.call('users:reset-2fa', { userId: ids.linus!, reason: 'x' }),
      grace.call('users:issue-access-code', { userId: ids.linus! }),
      grace.call('users:set-role', { userId: grace.conn.sessionId ? ids.grace! : 0, role: 'admin' }),
      grace.call('requests:list', {}),
      grace.call('users:export', {})
    ]
    for (const r of await Promise.all(calls)) expect(r).toMatchObject({ ok: false, code: 'FORBIDDEN' })
  })

  it('lets help desk act on users only, and never change roles or policy', async () => {
    const hedy = await signIn(t, 'hedy')
    expect(await hedy.call('users:unlock', { userId: ids.grace! })).toMatchObject({ ok: false, code: 'NOT_LOCKED' })
    expect((await admin.ok('audit:list', { event: 'unlock' })).rows).toEqual([])
    expect(await hedy.call('users:reset-2fa', { userId: ids.barbara!, reason: 'lost phone' })).toMatchObject({ ok: false, code: 'ROLE_NOT_ALLOWED' })
    expect(await hedy.call('users:set-role', { userId: ids.grace!, role: 'helpdesk' })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await hedy.call('policy:get', {})).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await hedy.call('users:create', { username: 'eve', email: 'eve@example.org', displayName: 'Eve', role: 'admin' })).toMatchObject({
      ok: false,
      code: 'ROLE_NOT_ALLOWED'
    })
  })

  it('keeps at least one administrator and ends sessions of a changed role', async () => {
    const barbara = await login(t, 'barbara')
    await admin.ok('users:set-role', { userId: ids.barbara!, role: 'user' })
    expect(await barbara.call('users:list', {})).toMatchObject({ ok: false, code: 'NOT_AUTHENTICATED' })
    expect(await admin.call('users:set-role', { userId: ids.ada!, role: 'user' })).toMatchObject({ ok: false, code: 'OWN_ACCOUNT' })
  })

  it('disabling an account ends its sessions and its logins', async () => {
    const grace = await login(t, 'grace')
    await admin.ok('users:set-disabled', { userId: ids.grace!, disabled: true })
    expect(await grace.call('account:two-factor', {})).toMatchObject({ ok: false, code: 'NOT_AUTHENTICATED' })
    expect(await login(t, 'grace').catch((e: Error) => e.message)).toMatch(/ACCOUNT_DISABLED/)
  })
})

describe('the lost-device queue', () => {
  beforeEach(async () => {
    await enrolTotp(t, await login(t, 'grace'))
  })

  it('files a request to chosen staff, who verify identity and reset 2FA', async () => {
    const grace = await login(t, 'grace')
    const staff = await grace.ok('auth:staff', {})
    expect(staff.map((s) => s.displayName)).toEqual(['Ada Lovelace', 'Barbara', 'Hedy'])
    const { requestId } = await grace.ok('auth:lost-device', { recipients: [ids.hedy!], message: 'Phone fell in the lake' })
    expect(await grace.call('auth:lost-device', { recipients: 'all' })).toMatchObject({ ok: false, code: 'REQUEST_ALREADY_OPEN' })

    const hedy = await signIn(t, 'hedy')
    const queue = (await hedy.ok('requests:list', {})).rows
    expect(queue).toMatchObject([{ id: requestId, user: { username: 'grace' }, status: 'open', recipients: [{ displayName: 'Hedy' }], message: 'Phone fell in the lake' }])
    expect((await hedy.ok('users:list', { status: 'reset-requested' })).rows.map((r) => r.username)).toEqual(['grace'])

    // A call-back needs a number on file.
    const refused = await hedy.call('requests:decide', { requestId, decision: { action: 'reset', identityCheck: 'call-back', note: 'Called 555-0100' } })
    expect(refused).toMatchObject({ ok: false, code: 'INVALID_INPUT', field: 'identityCheck', message: expect.stringContaining('no phone number on file') })
    await hedy.ok('users:update', { userId: ids.grace!, username: 'grace', email: 'grace@example.org', displayName: 'Grace', phone: '+1 555 0100' })
    expect((await hedy.ok('requests:list', {})).rows[0]!.user.phone).toBe('+1 555 0100')
    const done = await hedy.ok('requests:decide', { requestId, decision: { action: 'reset', identityCheck: 'call-back', note: 'Called 555-0100' } })
    expect(done.status).toBe('reset')
    const after = await login(t, 'grace')
    expect(await after.ok('app:status', {})).toMatchObject({ stage: 'enrol', enrol: { reason: 'reset', postponementsLeft: 0 } })
    const audit = await admin.ok('audit:list', { event: 'two-factor.reset' })
    expect(audit.rows[0]).toMatchObject({ actor: 'hedy', subject: 'grace', details: { identityCheck: 'call-back', note: 'Called 555-0100' } })
  })

  it('can issue a one-time access code instead, shown once', async () => {
    const grace = await login(t, 'grace')
    const { requestId } = await grace.ok('auth:lost-device', { recipients: 'all' })
    const hedy = await signIn(t, 'hedy')
    const done = await hedy.ok('requests:decide', { requestId, decision: { action: 'access-code', identityCheck: 'in-person', note: 'Badge 4411' } })
    expect(done.accessCode?.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    const c = await login(t, 'grace')
    expect((await c.ok('auth:verify', { method: 'access-code', code: done.accessCode!.code })).status.stage).toBe('enrol')
  })

  it('names a few recipients and counts them all, also after a staff member is deleted', async () => {
    const grace = await login(t, 'grace')
    await grace.ok('auth:lost-device', { recipients: 'all' })
    const staff = await grace.ok('auth:staff', {})
    const [row] = (await admin.ok('requests:list', {})).rows
    expect(row).toMatchObject({ toAll: true, recipientCount: staff.length })
    expect(row!.recipients.map((r) => r.displayName)).toEqual(staff.map((s) => s.displayName).slice(0, 5).sort())
    await t.engine.store.run('DELETE FROM users WHERE id = ?', [ids.hedy!])
    expect((await admin.ok('requests:list', {})).rows[0]!.recipientCount).toBe(staff.length - 1)
  })

  it('can be rejected with a reason, and nobody handles their own request', async () => {
    const { secret: barbaraSecret } = await enrolTotp(t, await login(t, 'barbara'))
    const { requestId } = await (await login(t, 'barbara')).ok('auth:lost-device', { recipients: 'all' })
    const barbara = await login(t, 'barbara')
    await barbara.ok('auth:verify', { method: 'totp', code: code(t, barbaraSecret) })
    expect(await barbara.call('requests:decide', { requestId, decision: { action: 'reject', reason: 'mine' } })).toMatchObject({ ok: false, code: 'OWN_ACCOUNT' })
    const rejected = await admin.ok('requests:decide', { requestId, decision: { action: 'reject', reason: 'Could not verify the caller' } })
    expect(rejected.status).toBe('rejected')
    expect(await admin.call('requests:decide', { requestId, decision: { action: 'reject', reason: 'again' } })).toMatchObject({ ok: false, code: 'REQUEST_CLOSED' })
  })

  it('needs a second administrator to reset an administrator', async () => {
    const barbaraLogin = await login(t, 'barbara')
    await enrolTotp(t, barbaraLogin)
    const proposal = await admin.ok('users:reset-2fa', { userId: ids.barbara!, reason: 'Lost phone, verified in person' })
    expect(proposal.status).toBe('awaiting-approval')
    expect(await t.engine.twoFactor.isActive(ids.barbara!)).toBe(true)
    const [request] = (await admin.ok('requests:list', {})).rows
    expect(request).toMatchObject({ status: 'awaiting-approval', user: { username: 'barbara' }, handledBy: 'Ada Lovelace' })
    expect(await admin.call('requests:decide', { requestId: request!.id, decision: { action: 'reset', identityCheck: 'in-person', note: '' } })).toMatchObject({
      ok: false,
      code: 'SECOND_APPROVAL_REQUIRED'
    })
    // A third administrator approves.
    await addUser(admin, 'margaret', 'admin')
    const margaret = await signIn(t, 'margaret')
    expect((await margaret.ok('requests:decide', { requestId: request!.id, decision: { action: 'reset', identityCheck: 'in-person', note: 'Seen' } })).status).toBe('reset')
    expect(await t.engine.twoFactor.isActive(ids.barbara!)).toBe(false)
  })

  it('gives no one-time access code for an administrator (it would bypass the second approval)', async () => {
    expect(await admin.call('users:issue-access-code', { userId: ids.barbara! })).toMatchObject({ ok: false, code: 'SECOND_APPROVAL_REQUIRED' })
    await enrolTotp(t, await login(t, 'barbara'))
    const { requestId } = await (await login(t, 'barbara')).ok('auth:lost-device', { recipients: 'all' })
    const decided = await admin.call('requests:decide', { requestId, decision: { action: 'access-code', identityCheck: 'in-person', note: '' } })
    expect(decided).toMatchObject({ ok: false, code: 'SECOND_APPROVAL_REQUIRED' })
  })
})

describe('the directory', () => {
  it('searches name, username and e-mail, filters by role and status, sorts and pages', async () => {
    const hedy = await signIn(t, 'hedy')
    expect((await hedy.ok('users:list', { search: 'EXAMPLE' })).total).toBe(5)
    expect((await hedy.ok('users:list', { search: 'lin' })).rows.map((r) => r.username)).toEqual(['linus'])
    expect((await hedy.ok('users:list', { search: '%' })).total).toBe(0)
    expect((await hedy.ok('users:list', { role: 'admin' })).rows.map((r) => r.username)).toEqual(['ada', 'barbara'])
    const page = await hedy.ok('users:list', { sort: 'username', descending: true, limit: 2, offset: 1 })
    expect(page.rows.map((r) => r.username)).toEqual(['hedy', 'grace'])
    expect(page.total).toBe(5)
    // ada (first run) and hedy (first login) had to set up a second factor: staff always do.
    expect(page.counts).toMatchObject({ total: 5, 'not-enrolled': 3, enrolled: 2, locked: 0 })
  })

  it('shows a user with counters and recent events', async () => {
    await login(t, 'grace').then((c) => enrolTotp(t, c))
    const detail = await admin.ok('users:get', { userId: ids.grace! })
    expect(detail).toMatchObject({ username: 'grace', status: 'enrolled', method: 'totp', recoveryCodesLeft: 10 })
    expect(detail.events.map((e) => e.event)).toContain('enrol.completed')
  })

  it('imports a CSV all or nothing, with a report of refused rows', async () => {
    const bad =
      'username,email,display_name,role\nalan,alan@example.org,Alan Turing,user\ngrace,new@example.org,Dup,user\nx,not-mail,Bad,user\n' +
      'ALAN,other@example.org,Alan Again,user\nkurt,Alan@Example.org,Kurt,user\nhopper,GRACE@example.org,Hopper,user\n'
    const report = await admin.jobResult<ImportReport>('users:import', { csv: bad })
    expect(report.ok).toBe(false)
    expect(report.created).toBe(0)
    // Each reason is a message, worded where it is read (here in English).
    expect(inEnglish(report.refused)).toEqual([
      { line: 3, username: 'grace', reason: 'username already in use' },
      { line: 4, username: 'x', reason: 'username: At least 3 characters.' },
      { line: 5, username: 'ALAN', reason: 'username also on line 2' },
      { line: 6, username: 'kurt', reason: 'e-mail also on line 2' },
      { line: 7, username: 'hopper', reason: 'e-mail already in use' }
    ])
    expect(report.refusedCount).toBe(5)
    expect((await admin.ok('users:list', { search: 'alan' })).total).toBe(0)
    expect(inEnglish((await admin.jobResult<ImportReport>('users:import', { csv: 'name;mail\n"unclosed' })).refused)[0]!.reason).toMatch(/not valid CSV|header/)
    const good = await admin.jobResult('users:import', { csv: 'username,email,display_name,role\r\nalan,alan@example.org,"Turing, Alan",helpdesk\r\n' })
    expect(good).toEqual({ ok: true, created: 1, refused: [], refusedCount: 0 })
    expect((await admin.ok('users:list', { search: 'alan' })).rows[0]).toMatchObject({ displayName: 'Turing, Alan', role: 'helpdesk' })
  })

  it('imports a checked file on confirmation, without it being sent again, if nothing clashes meanwhile', async () => {
    const csv = (names: string[]) => 'username,email,display_name,role\n' + names.map((n) => `${n},${n}@example.org,${n},user`).join('\n')
    const users = async () => (await t.engine.store.get<{ n: number }>('SELECT count(*) AS n FROM users'))!.n
    const before = await users()
    expect(await admin.jobResult('users:import', { csv: csv(['kurt', 'emmy']), dryRun: true })).toMatchObject({ ok: true, created: 0, wouldCreate: 2 })
    expect(await users()).toBe(before)
    // Only whoever checked it can confirm it, once.
    const hedy = await signIn(t, 'hedy')
    expect(await hedy.call('users:import-confirm', {})).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect(await admin.jobResult('users:import-confirm', {})).toEqual({ ok: true, created: 2, refused: [], refusedCount: 0 })
    expect(await users()).toBe(before + 2)
    expect(await admin.call('users:import-confirm', {})).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    // The directory is compared again: a username taken since the check refuses the whole file.
    expect(await admin.jobResult('users:import', { csv: csv(['alonzo', 'ada2']), dryRun: true })).toMatchObject({ ok: true })
    await addUser(admin, 'alonzo')
    const clashed = await admin.jobResult<ImportReport>('users:import-confirm', {})
    expect({ ...clashed, refused: inEnglish(clashed.refused) }).toEqual({ ok: false, created: 0, refused: [{ line: 2, username: 'alonzo', reason: 'username already in use' }], refusedCount: 1 })
    expect(await users()).toBe(before + 3)
    // A newer check replaces the one waiting; a check waits 30 minutes.
    await admin.jobResult('users:import', { csv: csv(['rozsa']), dryRun: true })
    await admin.jobResult('users:import', { csv: csv(['julia']), dryRun: true })
    expect(await admin.jobResult('users:import-confirm', {})).toMatchObject({ ok: true, created: 1 })
    expect((await admin.ok('users:list', { search: 'rozsa' })).total).toBe(0)
    // Rows cleared by another process (the CLI importing meanwhile): nothing is waiting any more.
    await admin.jobResult('users:import', { csv: csv(['ida']), dryRun: true })
    await t.engine.store.run('DELETE FROM import_rows')
    expect((await admin.job('users:import-confirm', {})).error).toMatch(/choose the file again/)
    await admin.jobResult('users:import', { csv: csv(['maryam']), dryRun: true })
    for (let minutes = 0; minutes < 32; minutes += 8) {
      t.clock.advance(8 * 60_000)
      await admin.ok('users:list', { limit: 1 }) // the session stays active meanwhile
    }
    expect(await admin.call('users:import-confirm', {})).toMatchObject({ ok: false, code: 'NOT_FOUND' })
  })

  it('reads a long file in pieces, never splitting a character between two', async () => {
    expect([...piecesOf(`${'a'.repeat(9)}😀b`, 10)]).toEqual(['a'.repeat(9), '😀b'])
    // ASCII rows up to just before the first 64 KB piece ends, then a name whose emoji straddles it.
    let csv = 'username,email,display_name,role\n'
    let i = 0
    for (; csv.length < 65_536 - 100; i++) csv += `zoe${i},zoe${i}@example.org,Zoe ${i},user\n`
    const lead = `zoe${i},zoe${i}@example.org,`
    const name = `${'x'.repeat(65_535 - csv.length - lead.length)}😀 Zoë`
    csv += `${lead}${name},user\n`
    expect(csv.charCodeAt(65_535)).toBe(0xd83d)
    expect(await admin.jobResult('users:import', { csv })).toMatchObject({ ok: true, created: i + 1 })
    expect(await t.engine.store.get('SELECT display_name FROM users WHERE username = ?', [`zoe${i}`])).toEqual({ display_name: name })
  })

  it('exports CSV, neutralising formulas', async () => {
    await admin.ok('users:create', { username: 'mallory', email: 'mallory@example.org', displayName: '=HYPERLINK("x")', role: 'user' })
    const { file, rows } = await admin.jobResult<ExportResult>('users:export', {})
    const csv = readFileSync(file, 'utf8')
    expect(rows).toBe(6)
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`)
  })
})
