/**
 * Rule: the user directory tells apart the people the directory sync keeps from the accounts made
 * here (break-glass administrators, CSV imports): a Source filter lists either, in every sort and
 * with the other filters and the search, counted as the statuses are (kept by triggers, moved when
 * a local account is linked to its directory entry or unlinked), and a bulk action on "everyone the
 * filter matches" takes the source into account. People are read from a real OpenLDAP server.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest'
import { PRESETS } from '../../src/shared/directory-source'
import type { BulkReport, UserListRow } from '../../src/shared/admin-dto'
import { unattended } from '../../src/main/core/jobs'
import { testEngine, type TestEngine } from '../helpers/engine'
import { addUser, firstAdmin, type Conn } from '../helpers/flows'
import { seedDirectory, startSlapd, type TestSlapd } from '../helpers/slapd'

const CLI = { ownerId: null, actor: null, workstation: 'cli' }
const PEOPLE = 40

let server: TestSlapd
beforeAll(async () => {
  server = await startSlapd()
  await seedDirectory(
    server,
    Array.from({ length: PEOPLE }, (_, i) => ({ uid: `dir${String(i).padStart(2, '0')}`, cn: `${i % 2 ? 'Zoe' : 'Adam'} Person ${i}`, mail: `dir${i}@example.org` })),
    [{ cn: 'desk', members: ['dir00', 'dir01'] }]
  )
})
afterAll(() => server?.stop())

let t: TestEngine
let admin: Conn
beforeEach(async () => {
  t = await testEngine()
  admin = await firstAdmin(t)
  // Three local accounts, and one whose username and e-mail the directory also holds (linked by the sync).
  for (const name of ['lena', 'mark', 'nora']) await addUser(admin, name)
  await admin.ok('users:create', { username: 'dir05', email: 'dir5@example.org', displayName: 'Dir Five', role: 'user' })
  await t.engine.directorySource.settings.save(
    {
      ...PRESETS.openldap,
      urls: [server.url],
      caFile: server.caFile,
      bindDn: server.serviceDn,
      baseDn: `ou=people,${server.baseDn}`,
      groups: { helpdesk: `cn=desk,ou=groups,${server.baseDn}`, admin: null }
    },
    server.servicePassword
  )
})
afterEach(async () => t.dispose())

const list = (query: object) => admin.ok('users:list', { limit: 500, ...query })
const names = (rows: UserListRow[]) => rows.map((r) => r.username)

async function sync(): Promise<void> {
  t.clock.advance(60_000)
  await t.engine.directorySource.sync({ full: true, dryRun: false, confirm: false }, CLI, unattended())
}

it('counts each source, and moves a local account to the directory when the sync links it', async () => {
  // Before any sync: the administrator and four local accounts, the filter's counts say so.
  expect((await list({})).sources).toEqual({ directory: 0, local: 5 })
  await sync()
  const all = await list({})
  expect(all.sources).toEqual({ directory: PEOPLE, local: 4 })
  expect(all.total).toBe(PEOPLE + 4)
  const local = await list({ source: 'local', sort: 'username' })
  expect(names(local.rows)).toEqual(['ada', 'lena', 'mark', 'nora'])
  expect(local.total).toBe(4)
  expect(local.rows.every((r) => !r.fromDirectory)).toBe(true)
  const directory = await list({ source: 'directory' })
  expect(directory.total).toBe(PEOPLE)
  expect(directory.rows.every((r) => r.fromDirectory)).toBe(true)
  expect(names(directory.rows)).toContain('dir05')
  // A local account deleted leaves the local count.
  const mark = local.rows.find((r) => r.username === 'mark')!
  await admin.ok('users:delete', { userId: mark.id, confirm: 'mark' })
  expect((await list({ source: 'local' })).sources).toEqual({ directory: PEOPLE, local: 3 })
})

it('lists a source in every sort, page by page from either end, with the role filter and the search', async () => {
  await sync()
  const everyone = (await list({ sort: 'username' })).rows
  for (const sort of ['displayName', 'username', 'email', 'role', 'status', 'lastLogin'] as const) {
    for (const descending of [false, true]) {
      const whole = names((await list({ source: 'directory', sort, descending })).rows)
      expect(whole).toHaveLength(PEOPLE)
      // Pages of 7 from the start, the middle and the end read the same order as the whole list.
      const pages = await Promise.all([0, 7, 14, 21, 28, 35].map((offset) => list({ source: 'directory', sort, descending, offset, limit: 7 })))
      expect(pages.flatMap((p) => names(p.rows))).toEqual(whole)
      expect(pages.every((p) => p.total === PEOPLE)).toBe(true)
    }
  }
  const byUsername = names((await list({ source: 'directory', sort: 'username' })).rows)
  expect(byUsername).toEqual(everyone.filter((r) => r.fromDirectory).map((r) => r.username))
  // With the role filter: the desk group's two members; with a search: only the directory's Zoes.
  expect(names((await list({ source: 'directory', role: 'helpdesk', sort: 'username' })).rows)).toEqual(['dir00', 'dir01'])
  expect((await list({ source: 'local', role: 'helpdesk' })).total).toBe(0)
  const zoes = await list({ source: 'directory', search: 'zoe' })
  expect(zoes.total).toBe(PEOPLE / 2)
  expect((await list({ source: 'local', search: 'zoe' })).total).toBe(0)
  expect((await list({ source: 'local', search: 'no', sort: 'username' })).rows.map((r) => r.username)).toEqual(['nora'])
})

it('sends a bulk action to everyone the filter matches in one source only', async () => {
  await sync()
  const report = await admin.jobResult<BulkReport>('users:bulk', { target: { filter: { search: '', status: 'not-enrolled', role: 'user', source: 'local' } }, action: 'enrolment-link' })
  expect(report).toEqual({ action: 'enrolment-link', done: 3, skipped: [], skippedCount: 0 })
  const sent = (await admin.ok('audit:list', { event: 'enrolment-link.sent', limit: 100 })).rows
  expect(sent.map((r) => r.subject).sort()).toEqual(['lena', 'mark', 'nora'])
  // Without the source filter (an older console's request) the same filter reaches the directory's people too.
  const wide = await admin.jobResult<BulkReport>('users:bulk', { target: { filter: { search: '', status: 'not-enrolled', role: 'user' } }, action: 'enrolment-link' })
  expect(wide.done).toBe(3 + PEOPLE - 2)
})

it('refuses a source it does not know, naming the field', async () => {
  expect(await admin.call('users:list', { source: 'ldap' } as never)).toMatchObject({ ok: false, code: 'INVALID_INPUT', fields: { source: expect.any(String) } })
})
