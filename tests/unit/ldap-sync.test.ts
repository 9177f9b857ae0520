/**
 * Rule: the people come from the directory, read from a real OpenLDAP server (tests/helpers/slapd.ts):
 * accounts are keyed on the directory's stable id, so a rename keeps the account and its second
 * factor; one the directory disables, or that is gone from a full read, is disabled and signed out
 * everywhere, and enabled again when it comes back; the groups set the roles; a read that fails
 * disables nobody, and a sync that would disable more than the safety share waits for an
 * administrator. "Test connection" says in one line what is wrong.
 */
import { readFileSync } from 'node:fs'
import { connect as connectTcp, createServer, type AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import { PRESETS, type DirectorySource } from '../../src/shared/directory-source'
import { unattended } from '../../src/main/core/jobs'
import { freePort } from '../helpers/postgres'
import { cli, organisation } from '../helpers/kill-jobs'
import { testEngine, type TestEngine } from '../helpers/engine'
import { bulkLoad, ldifEntry, personDn, personPassword, seedDirectory, startSlapd, type TestSlapd } from '../helpers/slapd'
import { Client } from 'ldapts'
import { adRefusal } from '../../src/main/core/directory-source/bind-login'
import { membersFilter } from '../../src/main/core/directory-source/ldap/people'

const CLI = { ownerId: null, actor: null, workstation: 'cli' }

let server: TestSlapd
beforeAll(async () => {
  // As a directory would: 5 wrong passwords in a row lock the account there.
  server = await startSlapd({ lockoutAfter: 5 })
  await seedDirectory(
    server,
    [
      { uid: 'alice', cn: 'Alice Martin', mail: 'alice@example.org', telephoneNumber: '+33 1 23 45 67 89' },
      { uid: 'bob', cn: 'Bob Lukas', mail: 'bob@example.org' },
      { uid: 'carol', cn: 'Carol Dupont', mail: 'carol@example.org' },
      ...Array.from({ length: 27 }, (_, i) => ({ uid: `p${String(i).padStart(2, '0')}`, cn: `Person ${i}`, mail: `p${i}@example.org` }))
    ],
    [{ cn: 'desk', members: ['alice'] }, { cn: 'admins', members: ['carol'] }]
  )
})
afterAll(() => server?.stop())

function sourceOf(s: TestSlapd, overrides: Partial<DirectorySource> = {}): DirectorySource {
  return {
    ...PRESETS.openldap,
    urls: [s.url],
    caFile: s.caFile,
    bindDn: s.serviceDn,
    baseDn: `ou=people,${s.baseDn}`,
    groups: { helpdesk: `cn=desk,ou=groups,${s.baseDn}`, admin: `cn=admins,ou=groups,${s.baseDn}` },
    ...overrides
  }
}

let t: TestEngine
beforeEach(async () => {
  t = await testEngine()
  await t.engine.directorySource.settings.save(sourceOf(server), server.servicePassword)
})
afterEach(async () => t.dispose())

/** A sync a minute after the last (the test clock stands still otherwise). */
function sync(request: Partial<{ full: boolean; dryRun: boolean; confirm: boolean }> = {}) {
  t.clock.advance(60_000)
  return t.engine.directorySource.sync({ full: false, dryRun: false, confirm: false, ...request }, CLI, unattended())
}
const user = (username: string) => t.engine.store.get<{ id: number; username: string; email: string; display_name: string; role: string; disabled: number; phone: string | null }>('SELECT id, username, email, display_name, role, disabled, phone FROM users WHERE username = ?', [username])

describe('test connection', () => {
  it('says who the filter finds, the first five as they would be imported', async () => {
    const found = await t.engine.directorySource.test()
    expect(found).toMatchObject({ url: server.url, matches: 30, unusable: 0 })
    expect(found.first).toHaveLength(5)
    expect(found.first.find((p) => p.username === 'alice')).toMatchObject({ email: 'alice@example.org', displayName: 'Alice Martin', phone: '+33 1 23 45 67 89', disabled: false })
  })

  it('says in one line what is wrong: the password, the certificate, the server, the base DN', async () => {
    const test = (source: DirectorySource, password = server.servicePassword) => t.engine.directorySource.test({ source, password })
    await expect(test(sourceOf(server), 'wrong')).rejects.toMatchObject({ code: 'DIRECTORY_REFUSED', message: `${server.url} refused the service account: check its DN and password.` })
    await expect(test(sourceOf(server, { caFile: null }))).rejects.toMatchObject({ code: 'DIRECTORY_UNTRUSTED', message: `The certificate of ${server.url} is not trusted: it is signed by a CA this seat does not trust. Give the file of the CA that signed it, or check the server's name.` })
    const closed = `ldap://127.0.0.1:${await freePort()}`
    await expect(test(sourceOf(server, { urls: [closed] }))).rejects.toMatchObject({ code: 'DIRECTORY_UNAVAILABLE', message: `The directory server ${closed} cannot be reached (ECONNREFUSED).` })
    await expect(test(sourceOf(server, { baseDn: `ou=nobody,${server.baseDn}` }))).rejects.toMatchObject({ code: 'DIRECTORY_REFUSED', message: `${server.url} has no entry at the base DN: check it.` })
    // The next server is tried when one cannot be reached.
    await expect(test(sourceOf(server, { urls: [closed, server.url] }))).resolves.toMatchObject({ url: server.url, matches: 30 })
  })
})

describe('a sync', () => {
  it('creates the directory\'s people with their roles, and a second sync changes nothing', async () => {
    const first = await sync()
    expect(first).toMatchObject({ full: true, waiting: null, counts: { seen: 30, created: 30, updated: 0, disabled: 0, refused: 0 } })
    expect(await user('alice')).toMatchObject({ email: 'alice@example.org', display_name: 'Alice Martin', role: 'helpdesk', phone: '+33 1 23 45 67 89', disabled: 0 })
    expect((await user('carol'))?.role).toBe('admin')
    expect((await user('bob'))?.role).toBe('user')
    expect((await sync()).counts).toMatchObject({ created: 0, updated: 0, renamed: 0, disabled: 0, enabled: 0, roleChanged: 0 })
    expect((await t.engine.directorySource.status()).runs.map((r) => r.state)).toEqual(['done', 'done'])
  })

  it('changes nothing in a dry run, and says what it would do', async () => {
    const dry = await sync({ dryRun: true })
    expect(dry.counts).toMatchObject({ seen: 30, created: 30 })
    expect(await t.engine.store.get('SELECT count(*) AS n FROM users WHERE external_id IS NOT NULL')).toEqual({ n: 0 })
    await sync()
    // A role taken away in a dry run: counted, nobody signed out, the role kept.
    const alice = (await user('alice'))!
    await t.engine.store.run("INSERT INTO sessions (id_hash, user_id, stage, started_at, last_seen_at, logged_in_at, workstation) VALUES ('h', ?, 'full', 0, 0, 0, 'k')", [alice.id])
    await server.modify(`dn: cn=desk,ou=groups,${server.baseDn}\nchangetype: modify\nadd: member\nmember: ${personDn('bob')}\n-\ndelete: member\nmember: ${personDn('alice')}\n`)
    expect((await sync({ dryRun: true, full: true })).counts).toMatchObject({ roleChanged: 2 })
    expect((await user('alice'))?.role).toBe('helpdesk')
    expect(await t.engine.store.get('SELECT count(*) AS n FROM sessions WHERE user_id = ?', [alice.id])).toEqual({ n: 1 })
    // The group change, for real: both roles follow, and alice's sessions end.
    expect((await sync()).counts).toMatchObject({ roleChanged: 2 })
    expect([(await user('alice'))?.role, (await user('bob'))?.role]).toEqual(['user', 'helpdesk'])
    expect(await t.engine.store.get('SELECT count(*) AS n FROM sessions WHERE user_id = ?', [alice.id])).toEqual({ n: 0 })
    await server.modify(`dn: cn=desk,ou=groups,${server.baseDn}\nchangetype: modify\nadd: member\nmember: ${personDn('alice')}\n-\ndelete: member\nmember: ${personDn('bob')}\n`)
  })

  it('renames an account renamed in the directory, keeping its second factor', async () => {
    await sync()
    const before = await user('bob')
    await t.engine.store.run("INSERT INTO password_credentials (user_id, phc, changed_at) SELECT id, 'x', 0 FROM users WHERE username = 'bob'")
    await server.modify(`dn: ${personDn('bob')}\nchangetype: modrdn\nnewrdn: uid=robert\ndeleteoldrdn: 1\n`)
    const report = await sync()
    expect(report.counts).toMatchObject({ renamed: 1, created: 0 })
    expect(await user('robert')).toMatchObject({ id: before!.id })
    expect(await user('bob')).toBeUndefined()
    // The same account: what hangs on its id (a password here, a second factor alike) is still its own.
    expect(await t.engine.store.get('SELECT count(*) AS n FROM password_credentials WHERE user_id = ?', [before!.id])).toEqual({ n: 1 })
    await server.modify(`dn: uid=robert,ou=people,${server.baseDn}\nchangetype: modrdn\nnewrdn: uid=bob\ndeleteoldrdn: 1\n`)
  })

  it('leaves a directory account\'s profile to the directory: the help desk cannot edit it, and the detail says where it comes from', async () => {
    await sync()
    const bob = (await user('bob'))!
    const profile = { username: 'bob', email: 'bob@example.org', displayName: 'Bobby', phone: null }
    await expect(t.engine.profiles.update(null, bob.id, profile, 'desk-1')).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('comes from the organisation\'s directory') })
    expect((await t.engine.directory.detail(bob.id)).fromDirectory).toBe(true)
    expect((await t.engine.directory.list({ search: 'bob', status: 'all', role: 'all', source: 'all', sort: 'username', descending: false, offset: 0, limit: 5 })).rows[0]?.fromDirectory).toBe(true)
    // Without a directory set up any more, the account is Tessera's to edit, and the detail says so.
    await t.engine.directorySource.settings.remove()
    expect((await t.engine.directory.detail(bob.id)).fromDirectory).toBe(false)
    expect(await t.engine.profiles.update(null, bob.id, profile, 'desk-1')).toEqual(['displayName'])
  })

  it('keeps the account of someone moved to another OU (a new DN, the same stable id)', async () => {
    await sync()
    const before = await user('p08')
    await server.add(ldifEntry(`ou=moved,${server.baseDn}`, { objectClass: 'organizationalUnit', ou: 'moved' }))
    await server.modify(`dn: ${personDn('p08')}\nchangetype: modrdn\nnewrdn: uid=p08\ndeleteoldrdn: 1\nnewsuperior: ou=moved,${server.baseDn}\n`)
    // The base DN is the whole tree now, so that the new OU is read too.
    await t.engine.directorySource.settings.save(sourceOf(server, { baseDn: server.baseDn, userFilter: '(&(objectClass=inetOrgPerson)(mail=*))' }))
    const report = await sync({ full: true })
    expect(report.counts).toMatchObject({ created: 0, disabled: 0 })
    expect(await t.engine.store.get('SELECT id, external_dn FROM users WHERE username = ?', ['p08'])).toEqual({ id: before!.id, external_dn: `uid=p08,ou=moved,${server.baseDn}` })
    await server.modify(`dn: uid=p08,ou=moved,${server.baseDn}\nchangetype: modrdn\nnewrdn: uid=p08\ndeleteoldrdn: 1\nnewsuperior: ou=people,${server.baseDn}\n`)
  })

  it('disables one the directory locks and signs them out everywhere, and enables them when unlocked', async () => {
    await sync()
    await t.engine.store.run("INSERT INTO password_credentials (user_id, phc, changed_at) SELECT id, 'x', 0 FROM users WHERE username = 'p01'")
    await server.modify(`dn: ${personDn('p01')}\nchangetype: modify\nadd: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n`)
    expect((await sync()).counts).toMatchObject({ disabled: 1 })
    expect((await user('p01'))?.disabled).toBe(1)
    await server.modify(`dn: ${personDn('p01')}\nchangetype: modify\ndelete: pwdAccountLockedTime\n`)
    expect((await sync()).counts).toMatchObject({ enabled: 1 })
    expect((await user('p01'))?.disabled).toBe(0)
  })

  it('disables one gone from a full read only, and stops when too many would go', async () => {
    await sync()
    await server.remove(personDn('p02'))
    expect((await sync()).counts.disabled).toBe(0) // an incremental read cannot see deletions
    expect((await sync({ full: true })).counts.disabled).toBe(1)
    expect((await user('p02'))?.disabled).toBe(1)
    // 4 of the 29 left would be more than 10 %: nobody is disabled, the sync waits.
    for (const uid of ['p03', 'p04', 'p05', 'p06']) await server.remove(personDn(uid))
    const waiting = await sync({ full: true })
    expect(waiting.waiting).toEqual({ disable: 4, of: 29 })
    expect((await user('p03'))?.disabled).toBe(0)
    expect((await t.engine.directorySource.status()).waiting).toMatchObject({ disable: 4, of: 29 })
    const confirmed = await sync({ confirm: true })
    expect(confirmed).toMatchObject({ waiting: null, counts: { disabled: 4 } })
    expect((await t.engine.directorySource.status()).waiting).toBeNull()
    await seedDirectory(server, ['p02', 'p03', 'p04', 'p05', 'p06'].map((uid) => ({ uid, cn: `Back ${uid}`, mail: `${uid}@example.org` })))
  })

  it('disables nobody when the read fails part-way', async () => {
    await sync()
    const settings = sourceOf(server, { pageSize: 10 })
    await t.engine.directorySource.settings.save(settings)
    await server.stop({ keep: true })
    await expect(sync({ full: true })).rejects.toMatchObject({ code: 'DIRECTORY_UNAVAILABLE' })
    await server.start()
    expect(await t.engine.store.get('SELECT count(*) AS n FROM users WHERE disabled = 1')).toEqual({ n: 0 })
    expect((await t.engine.directorySource.status()).runs[0]?.state).toBe('failed')
  })

  it('reads an Active Directory\'s entries: objectGUID as the id, userAccountControl and accountExpires', async () => {
    const guid = Buffer.from('0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'hex')
    const ad = (uid: string, uac: string, expires: string, id: Buffer) =>
      ldifEntry(`uid=${uid},ou=ad,${server.baseDn}`, { objectClass: ['inetOrgPerson', 'tesseraAdUser'], uid, cn: uid, sn: uid, mail: `${uid}@ad.example.org`, sAMAccountName: uid, userAccountControl: uac, accountExpires: expires, objectGUID: id, uSNChanged: '100' })
    await server.add([ldifEntry(`ou=ad,${server.baseDn}`, { objectClass: 'organizationalUnit', ou: 'ad' }), ad('dana', '512', '0', guid), ad('erik', '514', '0', Buffer.from('11'.repeat(16), 'hex')), ad('fay', '512', '116444736000000000', Buffer.from('22'.repeat(16), 'hex'))].join('\n'))
    await t.engine.directorySource.settings.save({ ...sourceOf(server), ...PRESETS['active-directory'], urls: [server.url], caFile: server.caFile, bindDn: server.serviceDn, baseDn: `ou=ad,${server.baseDn}`, userFilter: '(objectClass=tesseraAdUser)', groups: { helpdesk: null, admin: null } })
    expect((await sync()).counts).toMatchObject({ created: 3 })
    const rows = await t.engine.store.all<{ username: string; external_id: string; disabled: number }>("SELECT username, external_id, disabled FROM users WHERE email LIKE '%@ad.example.org' ORDER BY username")
    // dana active; erik disabled (bit 2); fay's account expired in 1970.
    expect(rows).toEqual([
      { username: 'dana', external_id: '3c2d1e0f-5a4b-7869-8796-a5b4c3d2e1f0', disabled: 0 },
      { username: 'erik', external_id: '11111111-1111-1111-1111-111111111111', disabled: 1 },
      { username: 'fay', external_id: '22222222-2222-2222-2222-222222222222', disabled: 1 }
    ])
  })
})

describe('the schedule', () => {
  it('runs a full sync first and once a day after its hour (UTC), and changes only in between', async () => {
    const at = (iso: string) => t.clock.set(Date.parse(iso))
    const tick = () => t.engine.directorySource.tick('schedule:seat-1')
    at('2026-12-01T10:00:00Z')
    expect((await tick())?.full).toBe(true) // never synced
    at('2026-12-01T10:05:00Z')
    expect(await tick()).toBeNull() // 15 minutes not up
    at('2026-12-01T10:15:00Z')
    expect(await tick()).toMatchObject({ full: false })
    at('2026-12-02T01:59:00Z')
    expect(await tick()).toMatchObject({ full: false }) // the full one is due at 02:00 UTC
    at('2026-12-02T02:00:00Z')
    expect(await tick()).toMatchObject({ full: true })
    at('2026-12-02T02:14:00Z')
    expect(await tick()).toBeNull()
    at('2026-12-02T02:15:00Z')
    expect(await tick()).toMatchObject({ full: false })
    // A directory that is away is tried again after the same rest, not every minute.
    await server.stop({ keep: true })
    try {
      at('2026-12-02T02:30:00Z')
      expect(await tick()).toBeNull()
      at('2026-12-02T02:31:00Z')
      expect(await t.engine.directorySource.due()).toBeNull()
    } finally {
      await server.start()
    }
    at('2026-12-02T02:45:00Z')
    expect(await tick()).toMatchObject({ full: false })
    expect((await t.engine.directorySource.status()).runs.map((r) => `${r.state} ${r.report.full ? 'full' : 'changes'}`)).toEqual([
      'done changes', 'failed changes', 'done changes', 'done full', 'done changes', 'done changes', 'done full'
    ])
  })
})

describe('passwords checked by the directory', () => {
  const login = (name: string, password: string) => t.engine.auth.login(name, password, 'kiosk-1')
  const directBind = async (uid: string, password: string) => {
    const c = new Client({ url: server.ldapsUrl!, timeout: 5000, tlsOptions: { ca: [readFileSync(server.caFile)] } })
    try {
      await c.bind(personDn(uid), password)
      return 'bound'
    } catch (error) {
      return (error as Error).constructor.name
    } finally {
      await c.unbind().catch(() => undefined)
    }
  }
  beforeEach(async () => void (await sync()))

  it('signs a directory user in with their directory password, by a bind as their own entry', async () => {
    expect((await login('alice', personPassword('alice'))).user.username).toBe('alice')
    expect((await login('alice@example.org', personPassword('alice'))).user.username).toBe('alice')
    await expect(login('alice', 'not her password')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' })
    // An empty password would be an unauthenticated bind, which the server accepts: never a sign-in.
    await expect(login('alice', '')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' })
  })

  it('opens one connection per login: the service account finds the entry, then the same connection binds as it', async () => {
    // A counting relay in front of the real slapd (the certificate names 127.0.0.1, as the relay's address does).
    let connections = 0
    const relay = createServer((socket) => {
      connections++
      const upstream = connectTcp(Number(new URL(server.url).port), '127.0.0.1')
      socket.pipe(upstream).pipe(socket)
      for (const s of [socket, upstream]) s.on('error', () => socket.destroy())
    })
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve))
    try {
      await t.engine.directorySource.settings.save(sourceOf(server, { urls: [`ldap://127.0.0.1:${(relay.address() as AddressInfo).port}`] }))
      expect((await login('alice', personPassword('alice'))).user.username).toBe('alice')
      expect(connections).toBe(1)
      await expect(login('alice', 'not her password')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' })
      expect(connections).toBe(2)
    } finally {
      relay.close()
    }
  })

  it('blocks wrong passwords below the directory\'s own lockout, so nobody locks a colleague\'s directory account through Tessera', async () => {
    for (let i = 0; i < 2; i++) await expect(login('p07', `guess ${i}`)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' })
    // The third is still checked, then blocks the account's password attempts in Tessera.
    for (let i = 2; i < 13; i++) await expect(login('p07', `guess ${i}`)).rejects.toMatchObject({ code: 'LOGIN_BLOCKED' })
    // The directory saw 3 wrong binds, not 13: its lockout (5) was never reached.
    expect(await directBind('p07', personPassword('p07'))).toBe('bound')
  })

  it('refuses the login when the directory cannot be reached, with no local password instead', async () => {
    const bob = (await user('bob'))!
    await t.engine.accounts.setPassword(bob.id, 'a local password of bob')
    await server.stop({ keep: true })
    try {
      await expect(login('bob', 'a local password of bob')).rejects.toMatchObject({ code: 'DIRECTORY_UNAVAILABLE', message: 'The directory server cannot be reached, so your password cannot be checked. Try again in a moment, or contact the help desk.' })
      await expect(login('bob', personPassword('bob'))).rejects.toMatchObject({ code: 'DIRECTORY_UNAVAILABLE' })
    } finally {
      await server.start()
    }
    // Not counted as wrong: the next right password signs in.
    expect((await login('bob', personPassword('bob'))).user.id).toBe(bob.id)
  })

  it('points a directory user to the organisation\'s own way to change or recover their password', async () => {
    await t.engine.directorySource.settings.save({ ...sourceOf(server), passwordHelp: { text: 'Change it at', url: 'https://passwords.example.org' } })
    // Said up front on "Forgot password?", to anyone at the kiosk (a public channel: no secret in it).
    expect(await t.engine.directorySource.passwordHelp()).toEqual({ text: 'Change it at', url: 'https://passwords.example.org' })
    const { user: alice } = await login('alice', personPassword('alice'))
    await expect(t.engine.auth.changePassword(alice, personPassword('alice'), 'a brand new password', 'kiosk-1', 'sid')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Your password is your organisation\'s directory password: change it there, not in Tessera. Change it at https://passwords.example.org'
    })
    // "Forgot password?": no reset code, no help-desk request Tessera could not act on; the log says why.
    t.engine.selfService.forgotPassword('alice', 'kiosk-1')
    await t.engine.background.idle()
    expect(await t.engine.store.get('SELECT count(*) AS n FROM email_codes')).toEqual({ n: 0 })
    expect(await t.engine.store.get('SELECT count(*) AS n FROM reset_requests')).toEqual({ n: 0 })
    expect((await t.engine.store.get<{ details: string }>("SELECT details FROM audit_log WHERE event = 'password.reset-requested' ORDER BY id DESC LIMIT 1"))?.details).toBe('{"directory":true}')

    // Where Tessera checks every password, its own reset is the way, and nothing else is said.
    await t.engine.directorySource.settings.save({ ...sourceOf(server), passwords: 'local' })
    expect(await t.engine.directorySource.passwordHelp()).toBeNull()
  })

  it('escapes what goes into a filter: a typed name of filter syntax finds nobody, and a group\'s DN is a value', async () => {
    await expect(login('*)(uid=*', 'x')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' })
    await expect(login('*', personPassword('alice'))).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' })
    expect(membersFilter(sourceOf(server), 'cn=a*)(uid=*,ou=groups')).toBe('(&(objectClass=inetOrgPerson)(memberOf=cn=a\\2a\\29\\28uid=\\2a,ou=groups))')
  })

  it('tells Active Directory\'s reasons apart, saying only after a right password why the sign-in cannot go on', () => {
    const ad = { ...PRESETS['active-directory'], urls: ['ldaps://dc1'], bindDn: 'x', baseDn: 'y', passwordHelp: { text: 'Change it at', url: 'https://passwords.example.org' } }
    const message = (code: string) => `80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data ${code}, v4563`
    expect(adRefusal(message('52e'), ad)).toBeNull()
    expect(adRefusal(message('525'), ad)).toBeNull()
    expect(adRefusal(message('775'), ad)).toBeNull()
    expect(adRefusal(message('532'), ad)).toMatchObject({ code: 'PASSWORD_EXPIRED', message: 'Your directory password has expired: change it first. Change it at https://passwords.example.org' })
    expect(adRefusal(message('773'), ad)).toMatchObject({ code: 'PASSWORD_EXPIRED', message: 'You must change your directory password before signing in. Change it at https://passwords.example.org' })
    expect(adRefusal(message('533'), ad)).toMatchObject({ code: 'ACCOUNT_DISABLED', message: 'Your account is disabled in the directory. Contact the help desk.' })
    expect(adRefusal(message('701'), ad)).toMatchObject({ code: 'ACCOUNT_DISABLED', message: 'Your account has expired in the directory. Contact the help desk.' })
    expect(adRefusal(message('530'), ad)).toMatchObject({ code: 'ACCOUNT_DISABLED' })
  })
})

describe('the CLI', () => {
  it('configures the directory (the password from standard input), tests, syncs and tells the last syncs', async () => {
    const org = await organisation((process.env['TESSERA_TEST_STORE'] as 'postgres' | undefined) ?? 'sqlite', inject('postgresUrl'))
    try {
      const settings = [`urls=${server.url}`, `bindDn=${server.serviceDn}`, `baseDn=ou=people,${server.baseDn}`, `caFile=${server.caFile}`, `groups.admin=cn=admins,ou=groups,${server.baseDn}`]
      expect(await cli(org, ['ldap', 'configure', '--preset', 'openldap', ...settings])).toMatchObject({ code: 2, err: expect.stringContaining('pass --bind-password-stdin') })
      expect(await cli(org, ['ldap', 'configure', '--preset', 'openldap', 'pageSize=5000', ...settings], `${server.servicePassword}\n`)).toMatchObject({ code: 2, err: expect.stringContaining('Page size: enter a whole number from 10 to 1000.') })
      expect(await cli(org, ['ldap', 'configure', '--preset', 'openldap', ...settings, '--bind-password-stdin'], `${server.servicePassword}\n`)).toMatchObject({ code: 0 })
      const shown = await cli(org, ['ldap', 'show'])
      expect(shown.out).toContain('bindPassword=set')
      expect(shown.out).not.toContain(server.servicePassword)
      expect(await cli(org, ['ldap', 'test'])).toMatchObject({ code: 0, out: expect.stringMatching(/^connected to ldap:\/\/127\.0\.0\.1:\d+: the filter matches \d+ entries\nUSERNAME/) })
      expect(await cli(org, ['ldap', 'sync', '--dry-run'])).toMatchObject({ code: 0, out: expect.stringMatching(/^dry run \(nothing changed\), full sync in [\d.]+ s: \d+ entries read: \d+ created/) })
      expect(await cli(org, ['user', 'show', 'alice'])).toMatchObject({ code: 1 })
      expect((await cli(org, ['ldap', 'sync'])).code).toBe(0)
      expect((await cli(org, ['user', 'show', 'alice'])).code).toBe(0)
      expect(await cli(org, ['ldap', 'status'])).toMatchObject({ code: 0, out: expect.stringMatching(/^last sync .+Z, last full sync .+Z\nSTARTED .*\n.* done +full .* entries read/) })
    } finally {
      await org.remove()
    }
  })
})

describe('a directory of 10,000 people', () => {
  it('is synced whole on the first sync, through pages under the server\'s 1,000-entry limit, and a second finds nothing to do', { timeout: 120_000 }, async () => {
    const big = await startSlapd()
    try {
      await bulkLoad(big, 10_000)
      await t.engine.directorySource.settings.save({ ...sourceOf(big), groups: { helpdesk: null, admin: null } }, big.servicePassword)
      const first = await sync()
      expect(first.counts).toMatchObject({ seen: 10_000, created: 10_000, refused: 0, disabled: 0 })
      expect(await t.engine.store.get('SELECT count(*) AS n FROM users WHERE external_id IS NOT NULL')).toEqual({ n: 10_000 })
      const again = await sync({ full: true })
      expect(again.counts).toMatchObject({ seen: 10_000, created: 0, updated: 0, disabled: 0 })
    } finally {
      await big.stop()
    }
  })
})
