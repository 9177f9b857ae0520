/**
 * Rule: an incremental sync of Active Directory goes on from its uSNChanged watermark only on the
 * database that counted it. The watermark is kept with the server's invocation id (the rootDSE's
 * dsServiceName names the NTDS Settings object that holds it); a sync that reaches another domain
 * controller, the same one restored from a backup (a new invocation id), or a server that does not
 * say, reads everything instead, says why in its record, and disables only as a full read may.
 * OpenLDAP's entryCSN watermark is unaffected. Against real slapd servers (tests/helpers/slapd.ts)
 * with Active Directory's rootDSE attributes and NTDS Settings entries in the AD-like schema.
 */
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PRESETS, type DirectorySource } from '../../src/shared/directory-source'
import { unattended } from '../../src/main/core/jobs'
import { guidText } from '../../src/main/core/directory-source/ldap/people'
import type { SyncReport } from '../../src/main/core/directory-source/sync'
import { translator } from '../../src/shared/i18n/translate'
import { testEngine, type TestEngine } from '../helpers/engine'
import { ldifEntry, startSlapd, type TestSlapd } from '../helpers/slapd'

const CLI = { ownerId: null, actor: null, workstation: 'cli' }
const BASE_DN = 'dc=example,dc=org'
const PEOPLE = Array.from({ length: 12 }, (_, i) => `a${String(i).padStart(2, '0')}`)
/** The first people's uSNChanged: a00 has USN_BASE, a11 USN_BASE + 11. */
const USN_BASE = 1000
/** A domain controller's counter past every stamp the people carry. */
const COUNTED_PAST = 5000
const FIRST_DB = Buffer.from('a1'.repeat(16), 'hex')
const RESTORED_DB = Buffer.from('b2'.repeat(16), 'hex')
const OTHER_DC_DB = Buffer.from('c3'.repeat(16), 'hex')

const ntdsDn = (dc: string) => `cn=NTDS Settings,cn=${dc},ou=servers,${BASE_DN}`
const adDn = (uid: string) => `uid=${uid},ou=ad,${BASE_DN}`
/** The same person has the same objectGUID on every domain controller (replicated). */
const guidOf = (uid: string) => createHash('md5').update(uid).digest()

type Dc = { name: string; invocationId: Buffer; usnBase?: number; highestUsn?: number }

/** A server that answers as an AD domain controller: its rootDSE, its NTDS Settings entry, the people under ou=ad. */
async function domainController({ name, invocationId, usnBase = USN_BASE, highestUsn = COUNTED_PAST }: Dc): Promise<TestSlapd> {
  const server = await startSlapd({ ldaps: false, rootDse: { dsServiceName: ntdsDn(name), highestCommittedUSN: String(highestUsn) } })
  await server.add(
    [
      ldifEntry(`ou=servers,${BASE_DN}`, { objectClass: 'organizationalUnit', ou: 'servers' }),
      ldifEntry(`cn=${name},ou=servers,${BASE_DN}`, { objectClass: 'organizationalRole', cn: name }),
      ldifEntry(ntdsDn(name), { objectClass: 'nTDSDSA', cn: 'NTDS Settings', invocationId }),
      ldifEntry(`ou=ad,${BASE_DN}`, { objectClass: 'organizationalUnit', ou: 'ad' }),
      ...PEOPLE.map((uid, i) =>
        ldifEntry(adDn(uid), { objectClass: ['inetOrgPerson', 'tesseraAdUser'], uid, cn: uid, sn: uid, mail: `${uid}@ad.example.org`, sAMAccountName: uid, userAccountControl: '512', objectGUID: guidOf(uid), uSNChanged: String(usnBase + i) })
      )
    ].join('\n')
  )
  return server
}

/** Each test server has a CA of its own: one file holds them all, as an organisation's CA file may. */
function adSource(dcs: TestSlapd[]): DirectorySource {
  const caFile = join(t.dir, 'directory-cas.pem')
  writeFileSync(caFile, dcs.map((s) => readFileSync(s.caFile, 'utf8')).join('\n'))
  return { ...PRESETS['active-directory'], urls: dcs.map((s) => s.url), caFile, bindDn: dcs[0]!.serviceDn, baseDn: `ou=ad,${BASE_DN}`, userFilter: '(objectClass=tesseraAdUser)' }
}

/** A change on one domain controller: a new e-mail, and the USN it counted for it. */
const touch = (server: TestSlapd, uid: string, usn: number) =>
  server.modify(`dn: ${adDn(uid)}\nchangetype: modify\nreplace: mail\nmail: ${uid}.${usn}@ad.example.org\n-\nreplace: uSNChanged\nuSNChanged: ${usn}\n`)
const newDatabase = (server: TestSlapd, dc: string, id: Buffer) =>
  server.modify(`dn: ${ntdsDn(dc)}\nchangetype: modify\nreplace: invocationId\ninvocationId:: ${id.toString('base64')}\n`)

let t: TestEngine
const servers: TestSlapd[] = []
const started = async (dc: Dc) => {
  const s = await domainController(dc)
  servers.push(s)
  return s
}
beforeEach(async () => void (t = await testEngine()))
afterEach(async () => {
  await t.dispose()
  await Promise.all(servers.splice(0).map((s) => s.stop()))
})

/** An incremental sync unless told otherwise, a minute after the last. */
function sync(request: Partial<{ full: boolean; dryRun: boolean; confirm: boolean }> = {}): Promise<SyncReport> {
  t.clock.advance(60_000)
  return t.engine.directorySource.sync({ full: false, dryRun: false, confirm: false, ...request }, CLI, unattended())
}
const state = () => t.engine.store.get<{ changed_since: string | null; invocation_id: string | null }>('SELECT changed_since, invocation_id FROM directory_sync_state WHERE one = 1')
const enabled = async () => (await t.engine.store.get<{ n: number }>('SELECT count(*) AS n FROM users WHERE external_id IS NOT NULL AND disabled = 0'))?.n
/** Why a sync read every entry, in English (it is a message, worded where it is read). */
const inEnglish = (why: string | undefined) => why && translator('en').sayText(why)
const lastRecord = async () => (await t.engine.directorySource.status()).runs[0]?.report as SyncReport | undefined

describe('an Active Directory sync and the server\'s invocation id', () => {
  it('stays incremental while the same database answers, reading only what changed', async () => {
    const dc1 = await started({ name: 'DC1', invocationId: FIRST_DB })
    await t.engine.directorySource.settings.save(adSource([dc1]), dc1.servicePassword)
    expect(await sync()).toMatchObject({ full: true, counts: { seen: 12, created: 12 } })
    expect(await state()).toEqual({ changed_since: String(USN_BASE + 11), invocation_id: guidText(FIRST_DB) })
    await touch(dc1, 'a03', USN_BASE + 12)
    // The watermark is inclusive: a11 (its stamp) is read again with a03.
    const second = await sync()
    expect(second).toMatchObject({ full: false, counts: { seen: 2, updated: 1 } })
    expect(second.fullBecause).toBeUndefined()
    await touch(dc1, 'a05', USN_BASE + 13)
    const third = await sync()
    expect(third).toMatchObject({ full: false, counts: { seen: 2, updated: 1 } })
    expect(third.fullBecause).toBeUndefined()
    expect(await state()).toEqual({ changed_since: String(USN_BASE + 13), invocation_id: guidText(FIRST_DB) })
  })

  it('reads everything when the domain controller was restored (a new invocation id), says why in its record, and disables one gone as a full read may', async () => {
    const dc1 = await started({ name: 'DC1', invocationId: FIRST_DB })
    await t.engine.directorySource.settings.save(adSource([dc1]), dc1.servicePassword)
    await sync()
    // A deletion no incremental read can see, then the restore.
    await dc1.remove(adDn('a02'))
    await newDatabase(dc1, 'DC1', RESTORED_DB)
    const report = await sync()
    const why = `Every entry was read: ${dc1.url} is not the database the last sync's uSNChanged watermark came from (invocation id ${guidText(FIRST_DB)} then, ${guidText(RESTORED_DB)} now): another domain controller, or this one restored from a backup.`
    expect({ ...report, fullBecause: inEnglish(report.fullBecause) }).toMatchObject({ full: true, fullBecause: why, waiting: null, counts: { seen: 11, disabled: 1 } })
    const record = await lastRecord()
    expect({ ...record, fullBecause: inEnglish(record?.fullBecause) }).toMatchObject({ full: true, fullBecause: why })
    expect(await t.engine.store.get<{ details: string }>("SELECT details FROM audit_log WHERE event = 'directory.synced' ORDER BY id DESC LIMIT 1")).toMatchObject({ details: expect.stringContaining(guidText(RESTORED_DB)) })
    expect(await state()).toMatchObject({ invocation_id: guidText(RESTORED_DB) })
    // The new database's watermark is kept: the next sync is incremental again.
    const next = await sync()
    expect(next).toMatchObject({ full: false })
    expect(next.fullBecause).toBeUndefined()
  })

  it('reads everything from another domain controller when the first is away, where the old watermark would miss its changes, and waits rather than disable too many', async () => {
    const dc1 = await started({ name: 'DC1', invocationId: FIRST_DB })
    // DC2 numbers its changes apart: all below DC1's watermark.
    const dc2 = await started({ name: 'DC2', invocationId: OTHER_DC_DB, usnBase: 200, highestUsn: 300 })
    await t.engine.directorySource.settings.save(adSource([dc1, dc2]), dc1.servicePassword)
    expect(await sync()).toMatchObject({ full: true, counts: { created: 12 } })
    await touch(dc2, 'a04', 250)
    for (const uid of ['a07', 'a08', 'a09']) await dc2.remove(adDn(uid))
    await dc1.stop({ keep: true })
    const report = await sync()
    expect({ ...report, fullBecause: inEnglish(report.fullBecause) }).toMatchObject({ full: true, fullBecause: expect.stringContaining(`${dc2.url} is not the database`), counts: { seen: 9, updated: 1, disabled: 0 }, waiting: { disable: 3, of: 12 } })
    expect(await enabled()).toBe(12)
    expect(await t.engine.store.get('SELECT email FROM users WHERE username = ?', ['a04'])).toEqual({ email: 'a04.250@ad.example.org' })
    // DC2's own count is kept with its invocation id.
    expect(await state()).toEqual({ changed_since: '250', invocation_id: guidText(OTHER_DC_DB) })
  })

  it('reads everything, saying so, from a server that does not say which database it is', async () => {
    const dc1 = await started({ name: 'DC1', invocationId: FIRST_DB })
    await t.engine.directorySource.settings.save(adSource([dc1]), dc1.servicePassword)
    await sync()
    await dc1.remove(ntdsDn('DC1'))
    const report = await sync()
    expect({ ...report, fullBecause: inEnglish(report.fullBecause) }).toMatchObject({ full: true, fullBecause: `Every entry was read: ${dc1.url} does not say which database its uSNChanged stamps are counted in (the service account reads no invocationId on ${ntdsDn('DC1')}).`, counts: { seen: 12 } })
    expect(await state()).toMatchObject({ invocation_id: null })
    // A server with no dsServiceName at all: the same, on every sync.
    const plain = await startSlapd({ ldaps: false })
    servers.push(plain)
    await plain.add([ldifEntry(`ou=ad,${BASE_DN}`, { objectClass: 'organizationalUnit', ou: 'ad' }), ldifEntry(adDn('a00'), { objectClass: ['inetOrgPerson', 'tesseraAdUser'], uid: 'a00', cn: 'a00', sn: 'a00', mail: 'a00@ad.example.org', sAMAccountName: 'a00', objectGUID: guidOf('a00'), uSNChanged: '7' })].join('\n'))
    await t.engine.directorySource.settings.save(adSource([plain]), plain.servicePassword)
    for (let i = 0; i < 2; i++) {
      const r = await sync()
      expect({ ...r, fullBecause: inEnglish(r.fullBecause) }).toMatchObject({ full: true, fullBecause: `Every entry was read: ${plain.url} does not say which database its uSNChanged stamps are counted in (its rootDSE gives no dsServiceName).` })
    }
  })

  it('keeps as its watermark no more than the server had counted when the read began, so that a change made during the read is read again', async () => {
    // The DC had counted to a05's stamp when asked; a06..a11 changed while the read ran.
    const dc1 = await started({ name: 'DC1', invocationId: FIRST_DB, highestUsn: USN_BASE + 5 })
    await t.engine.directorySource.settings.save(adSource([dc1]), dc1.servicePassword)
    await sync()
    expect(await state()).toEqual({ changed_since: String(USN_BASE + 5), invocation_id: guidText(FIRST_DB) })
    expect(await sync()).toMatchObject({ full: false, counts: { seen: 7 } })
  })
})

describe('an OpenLDAP sync', () => {
  it('goes on from its entryCSN as before: no invocation id asked for or kept', async () => {
    const server = await started({ name: 'DC1', invocationId: FIRST_DB })
    await t.engine.directorySource.settings.save({ ...PRESETS.openldap, urls: [server.url], caFile: server.caFile, bindDn: server.serviceDn, baseDn: `ou=ad,${BASE_DN}` }, server.servicePassword)
    expect(await sync()).toMatchObject({ full: true, counts: { created: 12 } })
    // What an AD sync would take for a restore means nothing to an OpenLDAP source.
    await newDatabase(server, 'DC1', RESTORED_DB)
    await touch(server, 'a03', USN_BASE + 12)
    const report = await sync()
    // Inclusive, as on AD: a11 (the watermark's entry) is read again with a03.
    expect(report).toMatchObject({ full: false, counts: { seen: 2, updated: 1 } })
    expect(report.fullBecause).toBeUndefined()
    expect(await state()).toMatchObject({ invocation_id: null, changed_since: expect.stringMatching(/^\d{14}\.\d{6}Z#/) })
  })
})
