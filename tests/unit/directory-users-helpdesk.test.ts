/**
 * Rule: the people the directory sync brings in (LDAP / Active Directory, read from a real OpenLDAP
 * server: tests/helpers/slapd.ts) are helped exactly as local users are. Bulk actions (unlock, reset
 * 2FA, registration link), on ticked rows or on everyone a filter matches, do to them what they do
 * to local accounts and are audited the same way; the lost-device queue takes their request from the
 * kiosk, and after the recorded identity check the help desk's reset, one-time access code or spare
 * token gets them in again with their directory password (checked by a bind) and a new setup. A
 * directory user disabled by a sync while their request is open is signed out and kept out, and the
 * help desk still finds the request; a later sync keeps what the help desk did (no second factor
 * comes back, no help-desk disable is undone): the directory owns the profile, the enabled state it
 * set itself and the roles only. Nothing the help desk gives lets in an account that is disabled,
 * and a registration link asks a directory user for their directory password (a bind).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { PRESETS, type DirectorySource } from '../../src/shared/directory-source'
import type { AuditEntryView, BulkReport } from '../../src/shared/admin-dto'
import { unattended } from '../../src/main/core/jobs'
import { tokenCode, type TokenParams } from '../../src/main/core/two-factor/oath-token/otp'
import { readPskc, secretToBase32 } from '../../src/main/core/two-factor/oath-token/seed-files'
import { connect } from '../helpers/caller'
import { testEngine, type TestEngine } from '../helpers/engine'
import { addUser, code, enrolTotp, firstAdmin, login, PASSWORD, signIn, wrongCode, type Conn } from '../helpers/flows'
import { pskc } from '../helpers/pskc'
import { personDn, personPassword, seedDirectory, startSlapd, type TestSlapd } from '../helpers/slapd'

const CLI = { ownerId: null, actor: null, workstation: 'cli' }
/** dir00 ... dir35, plain users; dirdesk, of the directory's help-desk group. */
const PEOPLE = 36
const uidOf = (i: number) => `dir${String(i).padStart(2, '0')}`

let server: TestSlapd
beforeAll(async () => {
  server = await startSlapd()
  await seedDirectory(
    server,
    [
      ...Array.from({ length: PEOPLE }, (_, i) => ({ uid: uidOf(i), cn: `Directory Person ${i}`, mail: `${uidOf(i)}@example.org`, ...(i % 2 === 0 ? { telephoneNumber: `+33 1 00 00 00 ${String(i).padStart(2, '0')}` } : {}) })),
      { uid: 'dirdesk', cn: 'Desk From Directory', mail: 'dirdesk@example.org' }
    ],
    [{ cn: 'desk', members: ['dirdesk'] }]
  )
})
afterAll(() => server?.stop())

function source(): DirectorySource {
  return {
    ...PRESETS.openldap,
    urls: [server.url],
    caFile: server.caFile,
    bindDn: server.serviceDn,
    baseDn: `ou=people,${server.baseDn}`,
    groups: { helpdesk: `cn=desk,ou=groups,${server.baseDn}`, admin: null }
  }
}

let t: TestEngine
let admin: Conn
let hedy: Conn
/** Account ids by username. */
const id: Record<string, number> = {}

/** A sync a minute after the last (the test clock stands still otherwise). */
async function sync(full = false) {
  t.clock.advance(60_000)
  return t.engine.directorySource.sync({ full, dryRun: false, confirm: false }, CLI, unattended())
}

beforeEach(async () => {
  t = await testEngine()
  admin = await firstAdmin(t)
  for (const name of ['grace', 'linus', 'mary']) id[name] = await addUser(admin, name)
  id['hedy'] = await addUser(admin, 'hedy', 'helpdesk')
  await t.engine.directorySource.settings.save(source(), server.servicePassword)
  expect((await sync()).counts).toMatchObject({ seen: PEOPLE + 1, created: PEOPLE + 1, refused: 0 })
  for (const r of await t.engine.store.all<{ id: number; username: string }>('SELECT id, username FROM users')) id[r.username] = r.id
  hedy = await signIn(t, 'hedy')
})
afterEach(async () => t.dispose())

const isDirectory = (username: string) => username.startsWith('dir')
/** The password each person types: the directory's for its people (checked by a bind), Tessera's for local accounts. */
const passwordOf = (username: string) => (isDirectory(username) ? personPassword(username) : PASSWORD)
const at = (username: string, ws = `kiosk-${username}`) => login(t, username, passwordOf(username), ws)
const row = (username: string) =>
  t.engine.store.get<{ id: number; disabled: number; disabled_by_directory: number; must_enrol: number; external_id: string | null; display_name: string; phone: string | null; role: string }>(
    'SELECT id, disabled, disabled_by_directory, must_enrol, external_id, display_name, phone, role FROM users WHERE username = ?',
    [username]
  )
const status = async (username: string) => (await admin.ok('users:get', { userId: id[username]! })).status
const audit = async (event: string, subject?: string): Promise<AuditEntryView[]> => (await admin.ok('audit:list', { event, ...(subject ? { subject } : {}), limit: 200 })).rows
/** What an audit row says, but who it is about and when. */
const shape = (r: AuditEntryView | undefined) => r && { event: r.event, actor: r.actor, workstation: r.workstation, details: r.details }

/** Sets up an authenticator app the way the person would, signing in first with their own password. */
async function enrolled(username: string): Promise<string> {
  return (await enrolTotp(t, await at(username))).secret
}

/** Wrong codes until the account's second factor locks. */
async function lockByCodes(username: string, secret: string): Promise<void> {
  const c = await at(username)
  const threshold = t.engine.policy.get().lockout.secondFactorThreshold
  for (let i = 0; i < threshold; i++) await c.call('auth:verify', { method: 'totp', code: wrongCode(t, secret) })
  expect(await c.call('auth:verify', { method: 'totp', code: code(t, secret) })).toMatchObject({ ok: false, code: 'ACCOUNT_LOCKED' })
}

/** The registration link e-mailed last to this address (no SMTP here: the pickup directory). */
function linkFor(email: string): string {
  const outbox = join(t.dir, 'outbox')
  const mails = readdirSync(outbox).sort().map((f) => readFileSync(join(outbox, f), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '='))
  const mine = mails.filter((m) => new RegExp(`^To: .*${email}`, 'mi').test(m))
  const link = /tessera:\/\/enroll\?token=([A-Za-z0-9_-]+)/.exec(mine.at(-1) ?? '')
  if (!link) throw new Error(`no link to ${email}`)
  return link[1]!
}

describe('bulk actions on directory and local users', () => {
  it('unlocks the ticked rows alike: a code lock, a directory-password block and a local-password block', async () => {
    const secrets = { dir01: await enrolled('dir01'), grace: await enrolled('grace') }
    await lockByCodes('dir01', secrets.dir01)
    await lockByCodes('grace', secrets.grace)
    // Wrong directory passwords (each a real bind refused by slapd) block at the directory's lower budget; local ones at the policy's.
    const block = async (username: string, n: number) => {
      for (let i = 0; i < n; i++) await connect(t.engine, `kiosk-${username}`).call('auth:login', { identifier: username, password: `wrong ${i}` })
      expect(await connect(t.engine, `kiosk-${username}`).call('auth:login', { identifier: username, password: passwordOf(username) })).toMatchObject({ ok: false, code: 'LOGIN_BLOCKED' })
    }
    await block('dir02', source().bindAttempts)
    await block('linus', t.engine.policy.get().lockout.passwordThreshold)
    for (const u of ['dir01', 'grace', 'dir02', 'linus']) expect(await status(u)).toBe('locked')

    const report = await hedy.jobResult<BulkReport>('users:bulk', { target: { ids: [id.dir01!, id.grace!, id.dir02!, id.linus!, id.dir03!, id.mary!] }, action: 'unlock' })
    expect(report).toEqual({
      action: 'unlock',
      done: 4,
      skipped: [
        { username: 'dir03', reason: 'This account is not locked.' },
        { username: 'mary', reason: 'This account is not locked.' }
      ],
      skippedCount: 2
    })
    // Each is in again: the app's code, the directory password by a bind, the local password.
    for (const u of ['dir01', 'grace'] as const) {
      expect((await (await at(u)).ok('auth:verify', { method: 'totp', code: code(t, secrets[u]) })).status.stage).toBe('full')
    }
    for (const u of ['dir02', 'linus']) expect((await at(u)).conn.sessionId).not.toBeNull()
    // Logged alike: one row each, the same words whoever the account comes from.
    const rows = await audit('unlock')
    expect(rows.map((r) => r.subject).sort()).toEqual(['dir01', 'dir02', 'grace', 'linus'])
    const bySubject = (s: string) => shape(rows.find((r) => r.subject === s))
    expect(bySubject('dir01')).toEqual({ event: 'unlock', actor: 'hedy', workstation: 'ws-test', details: { wasLocked: true } })
    for (const s of ['dir02', 'grace', 'linus']) expect(bySubject(s)).toEqual(bySubject('dir01'))
  })

  it('resets 2FA on the ticked rows alike, skipping staff and those with nothing to reset, with the reasons', async () => {
    for (const u of ['dir04', 'grace']) await enrolled(u)
    await enrolled('dirdesk') // staff from the directory's group: not the help desk's to reset
    const report = await hedy.jobResult<BulkReport>('users:bulk', { target: { ids: [id.dir04!, id.grace!, id.dirdesk!, id.dir05!, id.linus!] }, action: 'reset-2fa', reason: 'phones replaced' })
    expect(report).toEqual({
      action: 'reset-2fa',
      done: 2,
      skipped: [
        { username: 'dirdesk', reason: 'Help-desk staff can act on user accounts only; ask an administrator.' },
        { username: 'dir05', reason: 'This user has no second factor to reset.' },
        { username: 'linus', reason: 'This user has no second factor to reset.' }
      ],
      skippedCount: 3
    })
    for (const u of ['dir04', 'grace'] as const) {
      expect(await status(u)).toBe('must-enrol')
      expect(await t.engine.twoFactor.isActive(id[u]!)).toBe(false)
      // Their password still lets them in (a bind for dir04), straight to a new setup: the old app is asked for no more.
      expect(await (await at(u)).ok('app:status', {})).toMatchObject({ stage: 'enrol', enrol: { reason: 'reset', required: true } })
    }
    expect(await t.engine.twoFactor.isActive(id.dirdesk!)).toBe(true)
    const rows = await audit('two-factor.reset')
    expect(rows.map((r) => r.subject).sort()).toEqual(['dir04', 'grace'])
    expect(shape(rows.find((r) => r.subject === 'dir04'))).toEqual({ event: 'two-factor.reset', actor: 'hedy', workstation: 'ws-test', details: { reason: 'phones replaced', unlocked: false } })
    expect(shape(rows.find((r) => r.subject === 'grace'))).toEqual(shape(rows.find((r) => r.subject === 'dir04')))
  })

  it('resets 2FA for everyone a filter matches, directory people and local users alike, and only them', async () => {
    const enrolledNow = ['dir10', 'dir11', 'dir12', 'grace', 'linus']
    for (const u of enrolledNow) await enrolled(u)
    await enrolled('dirdesk')
    const filter = { search: '', status: 'enrolled' as const, role: 'user' as const, source: 'all' as const }
    expect((await hedy.ok('users:list', { ...filter, limit: 100 })).rows.map((r) => r.username).sort()).toEqual(enrolledNow)
    const report = await hedy.jobResult<BulkReport>('users:bulk', { target: { filter }, action: 'reset-2fa', reason: 'new phones for the team' })
    expect(report).toEqual({ action: 'reset-2fa', done: 5, skipped: [], skippedCount: 0 })
    for (const u of enrolledNow) expect(await t.engine.twoFactor.isActive(id[u]!)).toBe(false)
    expect(await t.engine.twoFactor.isActive(id.dirdesk!)).toBe(true)
    const rows = await audit('two-factor.reset')
    expect(rows.map((r) => r.subject).sort()).toEqual(enrolledNow)
    expect(new Set(rows.map((r) => JSON.stringify(shape(r)))).size).toBe(1)
    // With the source filter, the directory's people only.
    for (const u of ['dir13', 'mary']) await enrolled(u)
    const directoryOnly = await hedy.jobResult<BulkReport>('users:bulk', { target: { filter: { ...filter, source: 'directory' } }, action: 'reset-2fa', reason: 'directory team' })
    expect(directoryOnly.done).toBe(1)
    expect(await t.engine.twoFactor.isActive(id.mary!)).toBe(true)
    expect(await t.engine.twoFactor.isActive(id.dir13!)).toBe(false)
  })

  it('sends a registration link to everyone a filter matches, directory people and local users alike, logged alike', async () => {
    await enrolled('dir20')
    const filter = { search: '', status: 'not-enrolled' as const, role: 'user' as const, source: 'all' as const }
    const report = await hedy.jobResult<BulkReport>('users:bulk', { target: { filter }, action: 'enrolment-link' })
    // Every plain user but dir20 (set up): the directory's 35, and grace, linus, mary.
    expect(report).toEqual({ action: 'enrolment-link', done: PEOPLE - 1 + 3, skipped: [], skippedCount: 0 })
    const rows = await audit('enrolment-link.sent')
    expect(rows).toHaveLength(PEOPLE - 1 + 3)
    expect(rows.map((r) => r.subject)).not.toContain('dir20')
    const sentTo = (s: string) => shape(rows.find((r) => r.subject === s))
    expect(sentTo('dir21')).toMatchObject({ event: 'enrolment-link.sent', actor: 'hedy', details: { via: 'pickup' } })
    expect(sentTo('grace')).toEqual(sentTo('dir21'))
  })
})

describe('the lost-device queue, for a directory user as for a local one', () => {
  const serials: Record<string, string> = { dir10: 'HW-DIR-10', grace: 'HW-GRACE' }
  const seeds: Record<string, TokenParams> = {}
  beforeEach(async () => {
    await admin.ok('policy:save', { policy: { ...t.engine.policy.get(), allowedMethods: ['totp', 'email', 'token'] } })
    const entries = Object.entries(serials).map(([u, serial]) => ({ u, serial, secret: randomBytes(20) }))
    await t.engine.twoFactor.tokens.importSeeds(null, readPskc(pskc(entries.map(({ serial, secret }) => ({ serial, kind: 'hotp' as const, secret }))), null), 'ws-test')
    for (const e of entries) seeds[e.u] = { kind: 'hotp', secret: secretToBase32(e.secret), digits: 6, period: null, algorithm: 'sha1' }
  })

  /** Sets up again (the app) from a session at setup, and shows the next login asks for the new app's code only. */
  async function setUpAgain(username: string, c: Conn, old: string): Promise<void> {
    const { secret } = await enrolTotp(t, c)
    const next = await at(username)
    expect(await next.ok('app:status', {})).toMatchObject({ stage: 'second-factor' })
    expect(await next.call('auth:verify', { method: 'totp', code: code(t, old) })).toMatchObject({ ok: false, code: 'INVALID_CODE' })
    expect((await next.ok('auth:verify', { method: 'totp', code: code(t, secret) })).status.stage).toBe('full')
  }

  /** "Lost your device?" at the kiosk, after the password (a bind for a directory user); the help desk finds it in its queue. */
  async function fileAtKiosk(username: string): Promise<number> {
    const kiosk = await at(username, 'kiosk-1')
    expect(await kiosk.ok('app:status', {})).toMatchObject({ stage: 'second-factor' })
    const staff = await kiosk.ok('auth:staff', {})
    expect(staff.map((s) => s.displayName)).toEqual(['Ada Lovelace', 'Desk From Directory', 'Hedy'])
    const { requestId } = await kiosk.ok('auth:lost-device', { recipients: [id.hedy!], message: 'Phone left on the train' })
    expect(await kiosk.call('auth:lost-device', { recipients: 'all' })).toMatchObject({ ok: false, code: 'REQUEST_ALREADY_OPEN' })
    const queue = (await hedy.ok('requests:list', {})).rows
    expect(queue).toMatchObject([{ id: requestId, kind: 'lost-device', user: { id: id[username], username }, status: 'open', workstation: 'kiosk-1', recipients: [{ displayName: 'Hedy' }], message: 'Phone left on the train' }])
    expect((await hedy.ok('users:list', { status: 'reset-requested' })).rows.map((r) => r.username)).toEqual([username])
    expect(await hedy.ok('requests:badge', {})).toEqual({ open: 1 })
    return requestId
  }

  /** What the log says about this person from their request on, but ids, times, serials and their own kiosk's name. */
  async function story(username: string): Promise<unknown[]> {
    const rows = (await audit('', username)).reverse()
    const from = rows.findIndex((r) => r.event === 'lost-device.requested')
    expect(from).toBeGreaterThanOrEqual(0)
    return rows.slice(from).map((r) => {
      const { request, expiresAt, serial, ...details } = r.details as Record<string, unknown>
      return { event: r.event, actor: r.actor, workstation: r.workstation?.replace(username, 'own'), details: { ...details, ...(request ? { request: 'R' } : {}), ...(expiresAt ? { expiresAt: 'T' } : {}), ...(serial ? { serial: 'S' } : {}) } }
    })
  }

  const decisions = {
    /** Reset: they set up again at their next login. */
    async reset(username: string, requestId: number, old: string) {
      expect(await hedy.ok('requests:decide', { requestId, decision: { action: 'reset', identityCheck: 'in-person', note: 'Badge 4411' } })).toEqual({ status: 'reset' })
      const c = await at(username)
      expect(await c.ok('app:status', {})).toMatchObject({ stage: 'enrol', enrol: { reason: 'reset', required: true, postponementsLeft: 0 } })
      await setUpAgain(username, c, old)
    },
    /** A one-time access code, read out once: it takes them past the second factor, once, to a new setup. */
    async 'access-code'(username: string, requestId: number, old: string) {
      const done = await hedy.ok('requests:decide', { requestId, decision: { action: 'access-code', identityCheck: 'in-person', note: 'Badge 4411' } })
      expect(done).toMatchObject({ status: 'access-code', accessCode: { code: expect.stringMatching(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/) } })
      const c = await at(username)
      expect((await c.ok('auth:verify', { method: 'access-code', code: done.accessCode!.code })).status.stage).toBe('enrol')
      expect(await (await at(username)).call('auth:verify', { method: 'access-code', code: done.accessCode!.code })).toMatchObject({ ok: false })
      const step = await c.ok('enrol:start', { method: 'totp' })
      if (step.step !== 'scan') throw new Error(`expected the scan step, got ${step.step}`)
      const secret = new URL(step.uri).searchParams.get('secret')!
      await c.ok('enrol:confirm', { code: code(t, secret) })
      expect((await c.ok('enrol:complete', {})).stage).toBe('full')
      t.clock.advance(30_000)
      const next = await at(username)
      expect(await next.call('auth:verify', { method: 'totp', code: code(t, old) })).toMatchObject({ ok: false, code: 'INVALID_CODE' })
      expect((await next.ok('auth:verify', { method: 'totp', code: code(t, secret) })).status.stage).toBe('full')
    },
    /** A spare hardware token in place of the lost phone: confirmed with its first code at the next login. */
    async token(username: string, requestId: number, old: string) {
      const done = await hedy.ok('requests:decide', { requestId, decision: { action: 'token', serial: serials[username]!, identityCheck: 'in-person', note: 'Badge 4411' } })
      expect(done).toEqual({ status: 'reset', token: serials[username] })
      const c = await at(username)
      expect(await c.ok('app:status', {})).toMatchObject({ stage: 'enrol', enrol: { reason: 'token', tokenSerial: serials[username] } })
      expect(await c.ok('enrol:start', { method: 'token' })).toEqual({ step: 'token-code', serial: serials[username], digits: 6 })
      expect(await c.ok('enrol:confirm', { code: tokenCode(seeds[username]!, 0) })).toMatchObject({ step: 'recovery-codes' })
      expect((await c.ok('enrol:complete', {})).stage).toBe('full')
      const next = await at(username)
      expect(await next.call('auth:verify', { method: 'totp', code: code(t, old) })).toMatchObject({ ok: false })
      expect((await next.ok('auth:verify', { method: 'token', code: tokenCode(seeds[username]!, 1) })).status.stage).toBe('full')
    }
  }

  it.each(Object.keys(decisions) as (keyof typeof decisions)[])('handles a request with a recorded identity check, then a %s gets them in with their own password and a new setup', async (action) => {
    for (const username of ['dir10', 'grace']) {
      const old = await enrolled(username)
      const requestId = await fileAtKiosk(username)
      // No check recorded, no action.
      expect(await hedy.call('requests:decide', { requestId, decision: { action: 'reset', identityCheck: 'bogus', note: '' } } as never)).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
      await decisions[action](username, requestId, old)
      const [closed] = (await hedy.ok('requests:list', { open: false })).rows.filter((r) => r.id === requestId)
      expect(closed).toMatchObject({ status: action === 'access-code' ? 'access-code' : 'reset', handledBy: 'Hedy', identityCheck: 'in-person', note: 'Badge 4411' })
      expect(await hedy.ok('requests:badge', {})).toEqual({ open: 0 })
    }
    // The directory user's password was the directory's at each login: Tessera holds none for them.
    expect(await t.engine.store.get('SELECT count(*) AS n FROM password_credentials WHERE user_id = ?', [id.dir10!])).toEqual({ n: 0 })
    // Logged alike, event for event, from the request to the last login.
    const directory = await story('dir10')
    expect(directory.length).toBeGreaterThan(4)
    expect(directory).toEqual(await story('grace'))
  })

  it('calls a directory user back on the number the directory gives, and checks their password with the directory at each login', async () => {
    await enrolled('dir10')
    const requestId = await fileAtKiosk('dir10')
    const [request] = (await hedy.ok('requests:list', {})).rows
    expect(request!.user.phone).toBe('+33 1 00 00 00 10')
    expect(await hedy.ok('requests:decide', { requestId, decision: { action: 'access-code', identityCheck: 'call-back', note: 'Called +33 1 00 00 00 10' } })).toMatchObject({ status: 'access-code' })
    // dir11 has no number in the directory: a call-back is refused, as for a local user without one.
    await enrolled('dir11')
    const other = await fileAtKiosk('dir11')
    expect(await hedy.call('requests:decide', { requestId: other, decision: { action: 'reset', identityCheck: 'call-back', note: '' } })).toMatchObject({ ok: false, code: 'INVALID_INPUT', field: 'identityCheck' })
    expect((await audit('access-code.issued', 'dir10'))[0]).toMatchObject({ actor: 'hedy', details: { identityCheck: 'call-back', note: 'Called +33 1 00 00 00 10' } })

    // The directory changes the password meanwhile: the new one lets them in at once, the old one no more (a bind each time).
    const newPassword = 'a new directory password'
    await server.modify(`dn: ${personDn('dir10')}\nchangetype: modify\nreplace: userPassword\nuserPassword: ${newPassword}\n`)
    try {
      expect(await connect(t.engine, 'kiosk-2').call('auth:login', { identifier: 'dir10', password: personPassword('dir10') })).toMatchObject({ ok: false, code: 'INVALID_CREDENTIALS' })
      expect((await audit('login.password-failed', 'dir10'))[0]).toMatchObject({ details: { via: 'directory' } })
      const c = await login(t, 'dir10', newPassword, 'kiosk-2')
      expect(await c.ok('app:status', {})).toMatchObject({ stage: 'second-factor' })
      // While the directory is away, no password can be checked: nothing else lets them in.
      await server.stop({ keep: true })
      try {
        expect(await connect(t.engine, 'kiosk-3').call('auth:login', { identifier: 'dir10', password: newPassword })).toMatchObject({ ok: false, code: 'DIRECTORY_UNAVAILABLE' })
      } finally {
        await server.start()
      }
    } finally {
      await server.modify(`dn: ${personDn('dir10')}\nchangetype: modify\nreplace: userPassword\nuserPassword: ${personPassword('dir10')}\n`)
    }
  })
})

describe('a directory user disabled by a sync while their request is open', () => {
  const lock = (uid: string) => server.modify(`dn: ${personDn(uid)}\nchangetype: modify\nadd: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n`)
  const unlock = (uid: string) => server.modify(`dn: ${personDn(uid)}\nchangetype: modify\ndelete: pwdAccountLockedTime\n`)
  let requestId: number
  let kiosk: Conn
  beforeEach(async () => {
    await enrolled('dir20')
    kiosk = await at('dir20', 'kiosk-1')
    requestId = (await kiosk.ok('auth:lost-device', { recipients: 'all', message: 'Lost my phone' })).requestId
    await lock('dir20')
    expect((await sync()).counts).toMatchObject({ disabled: 1 })
  })
  afterEach(async () => unlock('dir20'))

  it('is signed out, cannot sign in, and the help desk still finds the request, and the account disabled', async () => {
    expect(await kiosk.call('auth:lost-device', { recipients: 'all' })).toMatchObject({ ok: false, code: 'NOT_AUTHENTICATED' })
    expect(await t.engine.store.get('SELECT count(*) AS n FROM sessions WHERE user_id = ?', [id.dir20!])).toEqual({ n: 0 })
    expect(await connect(t.engine, 'kiosk-2').call('auth:login', { identifier: 'dir20', password: personPassword('dir20') })).toMatchObject({ ok: false })
    // The request is not lost: still open, in the queue and its badge.
    expect((await hedy.ok('requests:list', {})).rows).toMatchObject([{ id: requestId, user: { username: 'dir20' }, status: 'open' }])
    expect(await hedy.ok('requests:badge', {})).toEqual({ open: 1 })
    // The account's detail says it is disabled, with the request open.
    const detail = await hedy.ok('users:get', { userId: id.dir20! })
    expect(detail).toMatchObject({ status: 'disabled', disabled: true, openRequest: { id: requestId, status: 'open' } })
    expect((await audit('user.disabled', 'dir20'))[0]).toMatchObject({ actor: null, details: { via: 'directory', reason: 'disabled in the directory' } })
    // It can be rejected with a reason (the one way to close it while the directory keeps them out).
    expect(await hedy.ok('requests:decide', { requestId, decision: { action: 'reject', reason: 'Disabled in the directory: ask HR' } })).toEqual({ status: 'rejected' })
    expect(await hedy.ok('requests:badge', {})).toEqual({ open: 0 })
  })

  it('says in the queue that the account is disabled', async () => {
    const [row] = (await hedy.ok('requests:list', {})).rows
    expect(row!.user).toMatchObject({ disabled: true })
  })

  it('gives no access code to an account the directory disabled', async () => {
    const decided = await hedy.call('requests:decide', { requestId, decision: { action: 'access-code', identityCheck: 'in-person', note: 'Badge 4411' } })
    expect(decided).toMatchObject({ ok: false })
    expect(await audit('access-code.issued', 'dir20')).toEqual([])
  })
})

describe('a sync after the help desk acted', () => {
  it('keeps a reset: no old factor comes back, the setup is still required, the directory\'s own fields follow it', async () => {
    const old = await enrolled('dir30')
    await hedy.ok('users:reset-2fa', { userId: id.dir30!, reason: 'lost phone' })
    await server.modify(`dn: ${personDn('dir30')}\nchangetype: modify\nreplace: cn\ncn: Renamed Thirty\n-\nreplace: telephoneNumber\ntelephoneNumber: +33 9 99 99 99 99\n`)
    try {
      expect((await sync()).counts).toMatchObject({ updated: 1, disabled: 0, enabled: 0 })
      expect((await sync(true)).counts).toMatchObject({ updated: 0, disabled: 0, enabled: 0, roleChanged: 0 })
      // What the directory owns changed; what the help desk did did not.
      expect(await row('dir30')).toMatchObject({ display_name: 'Renamed Thirty', phone: '+33 9 99 99 99 99', must_enrol: 1, disabled: 0, role: 'user' })
      expect(await t.engine.twoFactor.isActive(id.dir30!)).toBe(false)
      expect(await status('dir30')).toBe('must-enrol')
      const c = await at('dir30')
      expect(await c.ok('app:status', {})).toMatchObject({ stage: 'enrol', enrol: { reason: 'reset', required: true } })
      // Set up again: the next syncs keep the new factor, and the old app's codes stay refused.
      const { secret } = await enrolTotp(t, c)
      await sync()
      await sync(true)
      const next = await at('dir30')
      expect(await next.call('auth:verify', { method: 'totp', code: code(t, old) })).toMatchObject({ ok: false, code: 'INVALID_CODE' })
      expect((await next.ok('auth:verify', { method: 'totp', code: code(t, secret) })).status.stage).toBe('full')
      expect((await audit('two-factor.', 'dir30')).map((r) => [r.event, r.actor])).toEqual([['two-factor.reset', 'hedy']])
    } finally {
      await server.modify(`dn: ${personDn('dir30')}\nchangetype: modify\nreplace: cn\ncn: Directory Person 30\n-\nreplace: telephoneNumber\ntelephoneNumber: +33 1 00 00 00 30\n`)
    }
  })

  it('keeps a reset, a pending access code and an unlock across a rename in the directory', async () => {
    for (const u of ['dir31', 'dir32']) await enrolled(u)
    await hedy.ok('users:reset-2fa', { userId: id.dir31!, reason: 'lost phone' })
    const { code: accessCode } = await hedy.ok('users:issue-access-code', { userId: id.dir32! })
    await lockByCodes('dir33', await enrolled('dir33'))
    await hedy.ok('users:unlock', { userId: id.dir33! })
    await server.modify(`dn: ${personDn('dir31')}\nchangetype: modrdn\nnewrdn: uid=dir31b\ndeleteoldrdn: 1\n`)
    try {
      expect((await sync()).counts).toMatchObject({ renamed: 1, created: 0, disabled: 0 })
      expect((await sync(true)).counts).toMatchObject({ created: 0, disabled: 0, enabled: 0 })
      expect(await t.engine.store.get('SELECT id, must_enrol FROM users WHERE username = ?', ['dir31b'])).toEqual({ id: id.dir31, must_enrol: 1 })
      expect(await t.engine.twoFactor.isActive(id.dir31!)).toBe(false)
      expect(await (await login(t, 'dir31b', personPassword('dir31'))).ok('app:status', {})).toMatchObject({ stage: 'enrol', enrol: { reason: 'reset' } })
      const c = await at('dir32')
      expect((await c.ok('auth:verify', { method: 'access-code', code: accessCode })).status.stage).toBe('enrol')
      expect(await status('dir33')).toBe('enrolled')
    } finally {
      await server.modify(`dn: uid=dir31b,ou=people,${server.baseDn}\nchangetype: modrdn\nnewrdn: uid=dir31\ndeleteoldrdn: 1\n`)
    }
  })

  it('keeps a directory user the help desk disabled disabled, through the directory\'s own changes', async () => {
    await hedy.ok('users:set-disabled', { userId: id.dir34!, disabled: true })
    await server.modify(`dn: ${personDn('dir34')}\nchangetype: modify\nadd: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n`)
    await sync()
    await server.modify(`dn: ${personDn('dir34')}\nchangetype: modify\ndelete: pwdAccountLockedTime\n-\nreplace: cn\ncn: Changed Thirty-Four\n`)
    try {
      expect((await sync()).counts).toMatchObject({ updated: 1, enabled: 0 })
      expect((await sync(true)).counts).toMatchObject({ enabled: 0 })
      expect(await row('dir34')).toMatchObject({ disabled: 1, display_name: 'Changed Thirty-Four' })
      expect(await connect(t.engine, 'kiosk-1').call('auth:login', { identifier: 'dir34', password: personPassword('dir34') })).toMatchObject({ ok: false, code: 'ACCOUNT_DISABLED' })
    } finally {
      await server.modify(`dn: ${personDn('dir34')}\nchangetype: modify\nreplace: cn\ncn: Directory Person 34\n`)
    }
  })

  it('keeps a help-desk disable even when the directory had disabled the account before', async () => {
    const lockedTime = `dn: ${personDn('dir35')}\nchangetype: modify\nadd: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n`
    await server.modify(lockedTime)
    try {
      expect((await sync()).counts).toMatchObject({ disabled: 1 })
      // The help desk lets them in again, and the directory unlocks them too.
      await hedy.ok('users:set-disabled', { userId: id.dir35!, disabled: false })
    } finally {
      await server.modify(`dn: ${personDn('dir35')}\nchangetype: modify\ndelete: pwdAccountLockedTime\n`)
    }
    expect((await sync()).counts).toMatchObject({ disabled: 0, enabled: 0 })
    // Later the help desk disables them (a stolen laptop, say); the directory has nothing against them.
    await hedy.ok('users:set-disabled', { userId: id.dir35!, disabled: true })
    await sync()
    await sync(true)
    expect(await row('dir35')).toMatchObject({ disabled: 1 })
  })
})

describe('a registration link for a directory user', () => {
  it('confirms the directory password (a bind), and keeps no Tessera password', async () => {
    await hedy.ok('users:send-enrolment-link', { userId: id.dir22! })
    const token = linkFor('dir22@example.org')
    const kiosk = connect(t.engine, 'kiosk-dir22')
    expect(await kiosk.ok('enrol:check-link', { token })).toEqual({ displayName: 'Directory Person 22', hasPassword: true })
    expect(await kiosk.call('enrol:redeem-link', { token, password: 'not the directory password at all' })).toMatchObject({ ok: false, code: 'INVALID_CREDENTIALS' })
    const opened = await kiosk.ok('enrol:redeem-link', { token, password: personPassword('dir22') })
    expect(opened).toMatchObject({ stage: 'enrol', enrol: { required: true, reason: 'reset' } })
    expect(await t.engine.store.get('SELECT count(*) AS n FROM password_credentials WHERE user_id = ?', [id.dir22!])).toEqual({ n: 0 })
  })
})
