/**
 * A real OpenLDAP server for the directory-sync tests: Debian's slapd, with its configuration, an
 * mdb database and a throwaway certificate authority in a temporary directory, listening on free
 * loopback ports only (ldap:// with StartTLS, and ldaps://), stopped and removed at the end. An
 * extra schema lets entries shaped like Active Directory's live in it (AD itself is not available
 * here), and the service account meets AD's 1,000-entry limit on unpaged searches.
 *
 * The configuration is an old-style slapd.conf read with `slapd -f`, not a cn=config directory:
 * one text file written once, no `slapadd -n0` step, read alike by slapd 2.5 and 2.6; nothing here
 * changes the configuration of a running server (a test that needs another one starts another).
 *
 * slapd runs as whoever runs the tests, root (CI) or not: no -u/-g, the directory is that user's.
 * It runs in the foreground (-d none) as a child of the test process, so that stopping it is a
 * signal and a wait, and a server that fails to start says why in the error.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { Client, NoSuchObjectError } from 'ldapts'
import { freePort } from './postgres'

const SLAPD = '/usr/sbin/slapd'
const SLAPADD = '/usr/sbin/slapadd'
const LDAPMODIFY = '/usr/bin/ldapmodify'
const LDAPDELETE = '/usr/bin/ldapdelete'
const OPENSSL = '/usr/bin/openssl'

const BASE_DN = 'dc=example,dc=org'
const ADMIN_DN = `cn=admin,${BASE_DN}`
const SERVICE_DN = `cn=tessera,ou=services,${BASE_DN}`
const POLICY_DN = `cn=default,ou=policies,${BASE_DN}`
/** What refint leaves in a group whose last member was deleted (a groupOfNames needs one). */
const NOBODY_DN = `cn=nobody,${BASE_DN}`

/** Active Directory's MaxPageSize: an unpaged search stops there with sizeLimitExceeded, a paged one goes on. */
export const AD_SIZE_LIMIT = 1000

export type SlapdOptions = {
  /** Also listen for ldaps:// (default true). */
  ldaps?: boolean
  /** Entries an unpaged search may return to any bind but the admin's (default 1,000, as AD); paged searches go on. */
  sizeLimit?: number
  /** Wrong passwords in a row that lock an account (ppolicy's pwdMaxFailure; default 0: never). */
  lockoutAfter?: number
  /**
   * Attributes the root DSE gives besides slapd's own (slapd.conf's `rootDSE` file), as a domain
   * controller's `dsServiceName` and `highestCommittedUSN` (AD-like schema): fixed while it runs.
   */
  rootDse?: Record<string, string>
}

export type TestSlapd = {
  url: string
  ldapsUrl?: string
  port: number
  ldapsPort?: number
  baseDn: string
  /** The rootdn: writes anything, no size limit. */
  adminDn: string
  adminPassword: string
  /** A read-only account: reads everything but passwords, as the app's bind account would. */
  serviceDn: string
  servicePassword: string
  /** PEM of the CA that signed the server's certificate (for 127.0.0.1 and localhost). */
  caFile: string
  dir: string
  /** Stops slapd and removes its directory; with `keep`, keeps it so that `start()` brings the same data back on the same ports. */
  stop(options?: { keep?: boolean }): Promise<void>
  start(): Promise<void>
  /** ldapmodify -a of these entries, as the admin. */
  add(ldif: string): Promise<void>
  /** ldapmodify of these changes (changetype: modify / delete / modrdn), as the admin. */
  modify(ldif: string): Promise<void>
  remove(dn: string): Promise<void>
}

export type TestPerson = { uid: string; cn: string; mail: string; telephoneNumber?: string; ou?: string; sn?: string; password?: string }
/** A groupOfNames; `members` are uids of people under ou=people, or whole DNs. */
export type TestGroup = { cn: string; members: string[] }

/** The password seedDirectory and bulkLoad give a person who has none of their own. */
export function personPassword(uid: string): string {
  return `${uid}-password`
}

export function personDn(uid: string, ou = 'people'): string {
  return `uid=${uid},ou=${ou},${BASE_DN}`
}

/** Starts a new, nearly empty server: the base entry, ou=services with the service account, ou=policies. */
export async function startSlapd(options: SlapdOptions = {}): Promise<TestSlapd> {
  for (const [path, pkg] of [[SLAPD, 'slapd'], [LDAPMODIFY, 'ldap-utils'], [OPENSSL, 'openssl']] as const) {
    if (!existsSync(path)) throw new Error(`${path} not found: apt-get install ${pkg} (the LDAP tests start an OpenLDAP server of their own).`)
  }
  const dir = mkdtempSync(join(tmpdir(), 'tessera-slapd-'))
  try {
    return await launchNew(dir, options)
  } catch (e) {
    rmSync(dir, { recursive: true, force: true })
    throw e
  }
}

async function launchNew(dir: string, options: SlapdOptions): Promise<TestSlapd> {
  const tls = makeCertificates(dir)
  const port = await freePort()
  const ldapsPort = options.ldaps === false ? undefined : await freePort()
  const conf = join(dir, 'slapd.conf')
  const secrets = { admin: 'admin-secret', service: 'service-secret' }
  writeFileSync(join(dir, 'ad-like.schema'), AD_LIKE_SCHEMA)
  writeFileSync(join(dir, 'admin.pw'), secrets.admin, { mode: 0o600 })
  if (options.rootDse) writeFileSync(join(dir, 'root-dse.ldif'), ldifEntry('', options.rootDse))
  writeFileSync(conf, slapdConf(dir, tls, secrets.admin, options))
  await run(SLAPADD, ['-q', '-f', conf, '-l', writeLdif(dir, initialEntries(secrets.service, options.lockoutAfter ?? 0))])
  const listen = [`ldap://127.0.0.1:${port}/`, ...(ldapsPort ? [`ldaps://127.0.0.1:${ldapsPort}/`] : [])].join(' ')
  const url = `ldap://127.0.0.1:${port}`
  let child: ChildProcess | undefined
  let removed = false
  const leftover = () => {
    child?.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
  cleanUpAtExit(leftover)
  const start = async () => {
    if (removed) throw new Error('This test slapd was stopped and its directory removed; stop({ keep: true }) keeps it for start().')
    if (!child) child = await launch(conf, listen, url, secrets.admin)
  }
  const stop = async ({ keep = false } = {}) => {
    if (child) await halt(child)
    child = undefined
    if (!keep) {
      removed = true
      leftovers.delete(leftover)
      rmSync(dir, { recursive: true, force: true })
    }
  }
  await start()
  const server: TestSlapd = {
    url,
    ...(ldapsPort ? { ldapsUrl: `ldaps://127.0.0.1:${ldapsPort}`, ldapsPort } : {}),
    port,
    baseDn: BASE_DN,
    adminDn: ADMIN_DN,
    adminPassword: secrets.admin,
    serviceDn: SERVICE_DN,
    servicePassword: secrets.service,
    caFile: tls.caFile,
    dir,
    stop,
    start,
    add: (ldif) => adminTool(server, LDAPMODIFY, ['-a', '-f', writeLdif(dir, ldif)]),
    modify: (ldif) => adminTool(server, LDAPMODIFY, ['-f', writeLdif(dir, ldif)]),
    remove: (dn) => adminTool(server, LDAPDELETE, [dn])
  }
  return server
}

// ---- the configuration ----

function slapdConf(dir: string, tls: Certificates, adminPassword: string, options: SlapdOptions): string {
  const limit = options.sizeLimit ?? AD_SIZE_LIMIT
  const sizes = `size.soft=${limit} size.hard=${limit} size.pr=${limit} size.prtotal=unlimited`
  return `# Written by tests/helpers/slapd.ts for one test server.
${['core', 'cosine', 'inetorgperson', 'nis'].map((s) => `include /etc/ldap/schema/${s}.schema`).join('\n')}
include ${join(dir, 'ad-like.schema')}
modulepath /usr/lib/ldap
moduleload back_mdb
# The password policy's schema (pwdAccountLockedTime...) is built into the module since 2.5.
moduleload ppolicy
moduleload memberof
moduleload refint
pidfile ${join(dir, 'slapd.pid')}
TLSCACertificateFile ${tls.caFile}
TLSCertificateFile ${tls.certFile}
TLSCertificateKeyFile ${tls.keyFile}
TLSVerifyClient never
sizelimit ${sizes}
${options.rootDse ? `rootDSE ${join(dir, 'root-dse.ldif')}\n` : ''}
database mdb
suffix "${BASE_DN}"
rootdn "${ADMIN_DN}"
rootpw ${adminPassword}
directory ${dir}
maxsize 1073741824
dbnosync
index objectClass,uid,mail,cn,entryUUID,member,memberOf,sAMAccountName,userPrincipalName eq
limits dn.exact="${SERVICE_DN}" ${sizes}
access to dn.base="" by * read
access to dn.base="cn=Subschema" by * read
access to attrs=userPassword
  by self write
  by anonymous auth
  by * none
access to *
  by dn.exact="${SERVICE_DN}" read
  by self read
  by * none
# As AD's linked attributes: memberOf follows member, and a deleted or renamed person leaves (or
# follows in) the groups' member (refint does that a moment later, in a thread of its own).
overlay memberof
memberof-refint TRUE
overlay refint
refint_attributes member
refint_nothing "${NOBODY_DN}"
overlay ppolicy
ppolicy_default "${POLICY_DN}"
ppolicy_use_lockout
`
}

/**
 * Only so that entries shaped like Active Directory's can be stored in a real OpenLDAP server for
 * the tests (AD itself is not available here): AD's attribute names, with OIDs from a private arc
 * (1.3.6.1.4.1.55555), not Microsoft's, and the nearest syntaxes OpenLDAP has. AD's bitwise filter
 * on userAccountControl (:1.2.840.113556.1.4.803:) works on INTEGER attributes in OpenLDAP too.
 * A domain controller's identity as well: the root DSE's dsServiceName (given with `rootDse`) names
 * an NTDS Settings entry (nTDSDSA) whose invocationId says which database the uSNChanged stamps are of.
 */
const AD_LIKE_SCHEMA = `# Written by tests/helpers/slapd.ts: AD-shaped attributes for tests only (private OIDs).
attributetype ( 1.3.6.1.4.1.55555.1.1 NAME 'sAMAccountName'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.55555.1.2 NAME 'userPrincipalName'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.55555.1.3 NAME 'userAccountControl'
  EQUALITY integerMatch ORDERING integerOrderingMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.55555.1.4 NAME 'accountExpires'
  DESC 'AD FILETIME: 100 ns ticks since 1601-01-01 UTC; 0 or 9223372036854775807 is never'
  EQUALITY integerMatch ORDERING integerOrderingMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.55555.1.5 NAME 'objectGUID'
  EQUALITY octetStringMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.55555.1.6 NAME 'uSNChanged'
  EQUALITY integerMatch ORDERING integerOrderingMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
objectclass ( 1.3.6.1.4.1.55555.2.1 NAME 'tesseraAdUser' SUP top AUXILIARY
  MAY ( sAMAccountName $ userPrincipalName $ userAccountControl $ accountExpires $ objectGUID $ uSNChanged ) )
attributetype ( 1.3.6.1.4.1.55555.1.7 NAME 'dsServiceName'
  DESC 'rootDSE: the DN of the NTDS Settings object of the domain controller'
  EQUALITY distinguishedNameMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.55555.1.8 NAME 'highestCommittedUSN'
  DESC 'rootDSE: the highest USN the domain controller has committed'
  EQUALITY integerMatch ORDERING integerOrderingMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.55555.1.9 NAME 'invocationId'
  DESC 'the GUID of the database of a domain controller: a new one after a restore'
  EQUALITY octetStringMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 SINGLE-VALUE )
objectclass ( 1.3.6.1.4.1.55555.2.2 NAME 'nTDSDSA' SUP top STRUCTURAL
  MUST cn MAY invocationId )
`

function initialEntries(servicePassword: string, lockoutAfter: number): string {
  return [
    ldifEntry(BASE_DN, { objectClass: ['dcObject', 'organization'], dc: 'example', o: 'Example' }),
    ldifEntry(`ou=services,${BASE_DN}`, { objectClass: 'organizationalUnit', ou: 'services' }),
    ldifEntry(SERVICE_DN, { objectClass: ['organizationalRole', 'simpleSecurityObject'], cn: 'tessera', userPassword: ssha(servicePassword) }),
    ldifEntry(`ou=policies,${BASE_DN}`, { objectClass: 'organizationalUnit', ou: 'policies' }),
    ldifEntry(POLICY_DN, {
      objectClass: ['organizationalRole', 'pwdPolicy'],
      cn: 'default',
      pwdAttribute: 'userPassword',
      // TRUE even with no automatic lockout: without it ppolicy ignores pwdAccountLockedTime.
      pwdLockout: 'TRUE',
      pwdMaxFailure: String(lockoutAfter),
      pwdLockoutDuration: '0'
    })
  ].join('\n')
}

// ---- certificates ----

type Certificates = { caFile: string; certFile: string; keyFile: string }

/** A CA of its own, and a server certificate it signs for 127.0.0.1 and localhost (EC keys: fast). */
function makeCertificates(dir: string): Certificates {
  const f = (name: string) => join(dir, name)
  writeFileSync(f('ca.cnf'), `[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = Tessera test CA\n[ext]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\nsubjectKeyIdentifier = hash\n`)
  writeFileSync(f('server.cnf'), `[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = 127.0.0.1\n[ext]\nbasicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, keyEncipherment\nextendedKeyUsage = serverAuth\nsubjectAltName = IP:127.0.0.1, DNS:localhost\nauthorityKeyIdentifier = keyid\n`)
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  openssl(['req', '-x509', ...ec, '-config', f('ca.cnf'), '-extensions', 'ext', '-days', '7', '-keyout', f('ca.key'), '-out', f('ca.pem')])
  openssl(['req', '-new', ...ec, '-config', f('server.cnf'), '-keyout', f('server.key'), '-out', f('server.csr')])
  const serial = `0x${randomBytes(8).toString('hex')}`
  openssl(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-set_serial', serial, '-days', '7', '-extfile', f('server.cnf'), '-extensions', 'ext', '-out', f('server.pem')])
  return { caFile: f('ca.pem'), certFile: f('server.pem'), keyFile: f('server.key') }
}

function openssl(args: string[]): void {
  const r = spawnSyncQuiet(OPENSSL, args)
  if (r) throw new Error(`openssl ${args[0]} failed: ${r}`)
}

// ---- running slapd and the tools ----

/** What to undo if the test process exits without stop(): kill slapd, remove its directory. */
const leftovers = new Set<() => void>()
let exitHookSet = false

function cleanUpAtExit(cleanup: () => void): void {
  leftovers.add(cleanup)
  if (exitHookSet) return
  exitHookSet = true
  process.once('exit', () => leftovers.forEach((f) => f()))
}

/** Spawns slapd in the foreground and resolves once it answers a bind; rejects with what it said if it exits first. */
async function launch(conf: string, listen: string, url: string, adminPassword: string): Promise<ChildProcess> {
  // -d none: in the foreground, saying only what slapd says at any level (its errors, start, stop).
  const child = spawn(SLAPD, ['-f', conf, '-h', listen, '-d', 'none'], { stdio: ['ignore', 'ignore', 'pipe'] })
  let output = ''
  child.stderr?.on('data', (c: Buffer) => void (output = (output + c.toString()).slice(-4000)))
  const said = () => slapdSaid(output)
  const closed = new Promise((r) => child.once('close', r))
  const deadline = Date.now() + 10_000
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await closed
      throw new Error(`slapd did not start: ${said() || `exit ${child.exitCode ?? child.signalCode}`}`)
    }
    if (await answers(url, adminPassword)) return child
    if (Date.now() > deadline) {
      await halt(child)
      throw new Error(`slapd did not answer on ${url} within 10 s: ${said()}`)
    }
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** slapd's lines without their timestamp and thread, and without its banner and goodbyes. */
function slapdSaid(output: string): string {
  return output
    .split('\n')
    .map((l) => l.replace(/^[0-9a-f]+\.[0-9a-f]+ 0x[0-9a-f]+ /, '').trim())
    .filter((l) => l && !/^(@\(#\)|Debian OpenLDAP|slapd stopped|connections_destroy)/.test(l))
    .join('; ')
}

async function answers(url: string, adminPassword: string): Promise<boolean> {
  const client = new Client({ url, connectTimeout: 1000, timeout: 2000 })
  try {
    await client.bind(ADMIN_DN, adminPassword)
    return true
  } catch {
    return false
  } finally {
    await client.unbind().catch(() => undefined)
  }
}

/** SIGTERM (slapd closes its database cleanly), then SIGKILL after 5 s. */
async function halt(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

function adminTool(server: TestSlapd, tool: string, args: string[]): Promise<void> {
  return run(tool, ['-x', '-H', server.url, '-D', ADMIN_DN, '-y', join(server.dir, 'admin.pw'), ...args])
}

/** Runs a command to its end; rejects with its name and what it wrote on stderr (not a stack of our own). */
function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // LDAPNOINIT: the tools ignore /etc/ldap/ldap.conf and ~/.ldaprc.
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LDAPNOINIT: '1' } })
    let said = ''
    child.stderr.on('data', (c: Buffer) => void (said = (said + c.toString()).slice(-4000)))
    child.once('error', (e) => reject(new Error(`${basename(cmd)}: ${e.message}`)))
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${basename(cmd)} failed (exit ${code}): ${said.trim()}`))))
  })
}

function spawnSyncQuiet(cmd: string, args: string[]): string | undefined {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  return r.status === 0 ? undefined : r.stderr?.toString().trim() || String(r.error ?? `exit ${r.status}`)
}

let ldifCounter = 0

function writeLdif(dir: string, ldif: string): string {
  const file = join(dir, `change-${ldifCounter++}.ldif`)
  writeFileSync(file, ldif)
  return file
}

// ---- entries ----

type Values = string | Buffer | (string | Buffer)[]

/** One LDIF entry; values that are not LDIF-safe (non-ASCII, binary, leading space or colon...) go base64. */
export function ldifEntry(dn: string, attrs: Record<string, Values | undefined>): string {
  const lines = [ldifLine('dn', dn)]
  for (const [name, v] of Object.entries(attrs)) {
    if (v === undefined) continue
    for (const value of Array.isArray(v) ? v : [v]) lines.push(ldifLine(name, value))
  }
  return `${lines.join('\n')}\n`
}

function ldifLine(name: string, value: string | Buffer): string {
  // eslint-disable-next-line no-control-regex
  const safe = typeof value === 'string' && /^(?:[\x01-\x09\x0b\x0c\x0e-\x1f\x21-\x39\x3b\x3d-\x7f][\x01-\x09\x0b\x0c\x0e-\x7f]*)?$/.test(value) && !value.endsWith(' ')
  return safe ? `${name}: ${value}` : `${name}:: ${Buffer.from(value).toString('base64')}`
}

/** {SSHA}, as slappasswd makes it: SHA-1 of password and salt, then the salt, in base64. */
export function ssha(password: string): string {
  const salt = randomBytes(8)
  const digest = createHash('sha1').update(password).update(salt).digest()
  return `{SSHA}${Buffer.concat([digest, salt]).toString('base64')}`
}

function personEntry(p: TestPerson): string {
  return ldifEntry(personDn(p.uid, p.ou), {
    objectClass: 'inetOrgPerson',
    uid: p.uid,
    cn: p.cn,
    sn: p.sn ?? (p.cn.split(' ').pop() || p.cn),
    mail: p.mail,
    telephoneNumber: p.telephoneNumber,
    userPassword: ssha(p.password ?? personPassword(p.uid))
  })
}

function ouEntry(ou: string): string {
  return ldifEntry(`ou=${ou},${BASE_DN}`, { objectClass: 'organizationalUnit', ou })
}

/** ou=people and ou=groups (and any other ou the people name), the people (inetOrgPerson), the groups (groupOfNames), in one ldapadd. */
export async function seedDirectory(server: TestSlapd, people: TestPerson[], groups: TestGroup[] = []): Promise<void> {
  const ous = new Set(['people', 'groups', ...people.map((p) => p.ou ?? 'people')])
  const present = await existingOus(server, [...ous])
  const entries = [...[...ous].filter((ou) => !present.has(ou)).map(ouEntry), ...people.map(personEntry), ...groups.map(groupEntry)]
  if (entries.length > 0) await server.add(entries.join('\n'))
}

function groupEntry(g: TestGroup): string {
  if (g.members.length === 0) throw new Error(`Group ${g.cn}: a groupOfNames needs at least one member.`)
  return ldifEntry(`cn=${g.cn},ou=groups,${BASE_DN}`, {
    objectClass: 'groupOfNames',
    cn: g.cn,
    member: g.members.map((m) => (m.includes('=') ? m : personDn(m)))
  })
}

async function existingOus(server: TestSlapd, ous: string[]): Promise<Set<string>> {
  const client = new Client({ url: server.url })
  const found = new Set<string>()
  try {
    await client.bind(ADMIN_DN, server.adminPassword)
    for (const ou of ous) {
      try {
        await client.search(`ou=${ou},${BASE_DN}`, { scope: 'base', attributes: ['1.1'] })
        found.add(ou)
      } catch (e) {
        if (!(e instanceof NoSuchObjectError)) throw e
      }
    }
  } finally {
    await client.unbind()
  }
  return found
}

/**
 * n generated people under ou=people (uid person000001... from `first`; password personPassword(uid)),
 * loaded with slapadd while the server is stopped, then started again on the same ports: connections
 * open before are closed. No overlay runs (memberOf is not maintained for them; they are in no group).
 */
export async function bulkLoad(server: TestSlapd, n: number, first = 1): Promise<void> {
  const present = await existingOus(server, ['people'])
  const entries: string[] = present.has('people') ? [] : [ouEntry('people')]
  for (let i = first; i < first + n; i++) {
    const uid = `person${String(i).padStart(6, '0')}`
    entries.push(ldifEntry(personDn(uid), { objectClass: 'inetOrgPerson', uid, cn: `Person ${i}`, sn: String(i), mail: `${uid}@example.org`, userPassword: ssha(personPassword(uid)) }))
  }
  await server.stop({ keep: true })
  try {
    await run(SLAPADD, ['-q', '-f', join(server.dir, 'slapd.conf'), '-l', writeLdif(server.dir, entries.join('\n'))])
  } finally {
    await server.start()
  }
}
