/**
 * The OpenLDAP server the directory-sync tests start (tests/helpers/slapd.ts) does what they rely
 * on, seen through ldapts: the service account binds and reads people with their stable id and
 * timestamps, a wrong password is InvalidCredentialsError, StartTLS and ldaps:// verify against the
 * test CA only, AD-shaped attributes come back (objectGUID as bytes), an account locked by the
 * password policy cannot bind, and an unpaged search stops at 1,000 entries where a paged one goes on.
 */
import { readFileSync, existsSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Client, InvalidCredentialsError, PasswordPolicyControl, PasswordPolicyError, SizeLimitExceededError } from 'ldapts'
import { AD_SIZE_LIMIT, bulkLoad, ldifEntry, personDn, personPassword, seedDirectory, startSlapd, type TestSlapd } from '../helpers/slapd'

const GUID = Buffer.from('0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'hex')

describe.skipIf(process.env['TESSERA_TEST_STORE'] === 'postgres')('the test OpenLDAP server', () => {
  let server: TestSlapd
  const clients: Client[] = []
  const client = (url = server.url, ca?: boolean) => {
    const c = new Client({ url, timeout: 5000, connectTimeout: 2000, ...(ca ? { tlsOptions: { ca: [readFileSync(server.caFile)] } } : {}) })
    clients.push(c)
    return c
  }
  const asService = async () => {
    const c = client()
    await c.bind(server.serviceDn, server.servicePassword)
    return c
  }

  beforeAll(async () => {
    server = await startSlapd()
    await seedDirectory(
      server,
      [
        { uid: 'alice', cn: 'Alice Martin', mail: 'alice@example.org', telephoneNumber: '+33 1 23 45 67 89' },
        { uid: 'bob', cn: 'Bob Łukasz', mail: 'bob@example.org' }
      ],
      [{ cn: 'helpdesk', members: ['alice'] }]
    )
    await server.add(
      ldifEntry(personDn('carol'), {
        objectClass: ['inetOrgPerson', 'tesseraAdUser'],
        uid: 'carol',
        cn: 'Carol Dupont',
        sn: 'Dupont',
        mail: 'carol@example.org',
        sAMAccountName: 'cdupont',
        userPrincipalName: 'carol@example.org',
        userAccountControl: '514', // NORMAL_ACCOUNT | ACCOUNTDISABLE
        accountExpires: '9223372036854775807',
        objectGUID: GUID,
        uSNChanged: '40123'
      })
    )
  })

  // After each test, while the server still runs: ldapts's unbind of a StartTLS connection the server
  // has closed (bulkLoad restarts it) waits for the client's timeout.
  const unbindAll = () => Promise.all(clients.splice(0).map((c) => c.unbind().catch(() => undefined)))
  afterEach(unbindAll)
  afterAll(() => server?.stop())

  it('lets the service account search people, with entryUUID, the timestamps and memberOf, but not their passwords', async () => {
    const c = await asService()
    const { searchEntries } = await c.search(`ou=people,${server.baseDn}`, {
      filter: '(objectClass=inetOrgPerson)',
      attributes: ['uid', 'cn', 'mail', 'telephoneNumber', 'userPassword', 'entryUUID', 'createTimestamp', 'modifyTimestamp', 'memberOf']
    })
    const alice = searchEntries.find((e) => e['uid'] === 'alice')!
    expect(searchEntries.map((e) => e['uid']).sort()).toEqual(['alice', 'bob', 'carol'])
    expect(alice).toMatchObject({ cn: 'Alice Martin', mail: 'alice@example.org', telephoneNumber: '+33 1 23 45 67 89', memberOf: `cn=helpdesk,ou=groups,${server.baseDn}` })
    expect(alice['entryUUID']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(alice['modifyTimestamp']).toMatch(/^\d{14}Z$/)
    expect(alice['createTimestamp']).toMatch(/^\d{14}Z$/)
    expect(alice['userPassword']).toEqual([]) // ldapts lists a requested attribute it did not get as []
    expect(searchEntries.find((e) => e['uid'] === 'bob')!['cn']).toBe('Bob Łukasz')

    await server.modify(`dn: ${personDn('alice')}\nchangetype: modify\nreplace: mail\nmail: a.martin@example.org\n`)
    const [after] = (await c.search(personDn('alice'), { scope: 'base', attributes: ['mail', 'entryUUID', 'modifiersName'] })).searchEntries
    expect(after).toMatchObject({ mail: 'a.martin@example.org', entryUUID: alice['entryUUID'], modifiersName: server.adminDn })
  })

  it('refuses a wrong password with InvalidCredentialsError, and binds a person with the right one', async () => {
    const c = await asService()
    await expect(c.bind(personDn('bob'), 'not-the-password')).rejects.toBeInstanceOf(InvalidCredentialsError)
    await expect(client().bind(server.serviceDn, 'wrong')).rejects.toBeInstanceOf(InvalidCredentialsError)
    await c.bind(personDn('bob'), personPassword('bob'))
    expect(c.isBound).toBe(true)
  })

  it('does StartTLS and ldaps:// with the test CA, and refuses the certificate without it', async () => {
    const tls = client()
    await tls.startTLS({ ca: [readFileSync(server.caFile)] })
    await tls.bind(server.serviceDn, server.servicePassword)
    expect((await tls.search(personDn('bob'), { scope: 'base', attributes: ['uid'] })).searchEntries[0]?.['uid']).toBe('bob')

    await expect(client().startTLS({})).rejects.toMatchObject({ code: 'SELF_SIGNED_CERT_IN_CHAIN' })

    expect(server.ldapsUrl).toMatch(/^ldaps:\/\/127\.0\.0\.1:\d+$/)
    await client(server.ldapsUrl, true).bind(server.serviceDn, server.servicePassword)
    await client(server.ldapsUrl!.replace('127.0.0.1', 'localhost'), true).bind(server.serviceDn, server.servicePassword)
    await expect(client(server.ldapsUrl).bind(server.serviceDn, server.servicePassword)).rejects.toThrow(/certificate/)
  })

  it('keeps AD-shaped attributes: objectGUID comes back as its bytes, and AD’s bitwise filter works', async () => {
    const c = await asService()
    const { searchEntries } = await c.search(server.baseDn, {
      filter: '(&(objectClass=tesseraAdUser)(userAccountControl:1.2.840.113556.1.4.803:=2)(uSNChanged>=40000))',
      attributes: ['sAMAccountName', 'userPrincipalName', 'userAccountControl', 'accountExpires', 'objectGUID', 'uSNChanged'],
      explicitBufferAttributes: ['objectGUID']
    })
    expect(searchEntries).toHaveLength(1)
    const { dn, objectGUID, ...rest } = searchEntries[0]!
    expect(dn).toBe(personDn('carol'))
    expect(Buffer.isBuffer(objectGUID) && objectGUID.equals(GUID)).toBe(true)
    expect(rest).toEqual({ sAMAccountName: 'cdupont', userPrincipalName: 'carol@example.org', userAccountControl: '514', accountExpires: '9223372036854775807', uSNChanged: '40123' })
  })

  it('refuses the bind of an account the password policy locked, and shows pwdAccountLockedTime', async () => {
    await server.modify(`dn: ${personDn('bob')}\nchangetype: modify\nreplace: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n`)
    const control = new PasswordPolicyControl()
    await expect(client().bind(personDn('bob'), personPassword('bob'), control)).rejects.toBeInstanceOf(InvalidCredentialsError)
    expect(control.value?.error).toBe(PasswordPolicyError.AccountLocked)
    const [bob] = (await (await asService()).search(personDn('bob'), { scope: 'base', attributes: ['pwdAccountLockedTime'] })).searchEntries
    expect(bob?.['pwdAccountLockedTime']).toBe('000001010000Z')
  })

  it('stops an unpaged search past 1,000 entries with SizeLimitExceededError, where a paged one returns them all', async () => {
    await bulkLoad(server, 1500)
    const c = await asService()
    const people = { filter: '(objectClass=inetOrgPerson)', attributes: ['uid'] }
    await expect(c.search(`ou=people,${server.baseDn}`, people)).rejects.toBeInstanceOf(SizeLimitExceededError)
    const { searchEntries } = await c.search(`ou=people,${server.baseDn}`, { ...people, paged: { pageSize: 500 } })
    expect(searchEntries).toHaveLength(1503)
    expect(new Set(searchEntries.map((e) => e['uid'])).size).toBe(1503)
    expect(AD_SIZE_LIMIT).toBe(1000)
  })

  it('stops cleanly: nothing answers any more, and its directory is gone', async () => {
    await server.stop()
    expect(existsSync(server.dir)).toBe(false)
    await expect(client().bind(server.serviceDn, server.servicePassword)).rejects.toThrow(/ECONNREFUSED/)
  })
})
