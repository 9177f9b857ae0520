/**
 * Rule: what the directory keeps as indexed data (status, counts, the search index) says what a
 * brute-force query over the same users says, after every kind of change; paging returns every
 * row exactly once in every sort; a cancelled import changes no user; an export round-trips
 * through the importer; an everyday verify catches tampering after its checkpoint and a full one
 * before it.
 */
import Database from 'better-sqlite3'
import type { Store } from '../../src/main/store'
import { readdirSync, readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ExportResult, ImportReport, UserStatus } from '../../src/shared/admin-dto'
import { USER_STATUSES } from '../../src/shared/admin-dto'
import type { Role } from '../../src/shared/dto'
import { ADMIN } from '../helpers/caller'
import { testEngine, type TestEngine } from '../helpers/engine'
import { addUser, firstAdmin, signIn, type Conn } from '../helpers/flows'
import { expectPagesExact, plainSorts } from '../helpers/deep-pages'
import { translator } from '../../src/shared/i18n/translate'

let t: TestEngine
let admin: Conn
beforeEach(async () => {
  // Sampled ranks every 16 rows, so pages of a few thousand users use them (the app: every 4,096).
  t = await testEngine({ rankStride: 16 })
  admin = await firstAdmin(t)
})
afterEach(() => t.dispose())

const csvOf = (n: number, from = 0) =>
  'username,email,display_name,role\n' +
  Array.from({ length: n }, (_, i) => `usr${from + i},usr${from + i}@example.org,${['Anna', 'Bert', 'Carla', 'Dmitri'][i % 4]} Smith-${from + i},${i % 97 === 0 ? 'helpdesk' : 'user'}`).join('\n')

/** The status by its definition, straight from the tables it depends on. */
async function bruteStatus(now: number): Promise<Map<number, UserStatus>> {
  const rows = await t.engine.store.all<{ id: number; status: UserStatus }>(
    `SELECT u.id, CASE
         WHEN u.disabled = 1 THEN 'disabled'
         WHEN EXISTS (SELECT 1 FROM failure_counters c WHERE c.scope = 'account' AND c.subject = CAST(u.id AS TEXT) AND c.factor IN ('password', 'second-factor') AND c.locked_until > ?) THEN 'locked'
         WHEN EXISTS (SELECT 1 FROM reset_requests r WHERE r.user_id = u.id AND r.status IN ('open', 'awaiting-approval')) THEN 'reset-requested'
         WHEN EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = u.id AND f.state = 'active') THEN 'enrolled'
         WHEN u.must_enrol = 1 THEN 'must-enrol'
         WHEN u.postponements_used > 0 THEN 'postponed'
         ELSE 'not-enrolled' END AS status FROM users u`,
    [now]
  )
  return new Map(rows.map((r) => [r.id, r.status]))
}

/** The `n` of a `SELECT count(*) AS n`. */
const count = async (sql: string, params: (string | number)[] = []) => (await t.engine.store.get<{ n: number }>(sql, params))!.n

async function expectIndexRight(): Promise<void> {
  const brute = await bruteStatus(t.clock.now())
  const listed = new Map<number, UserStatus>()
  for (let offset = 0; ; offset += 500) {
    const page = await admin.ok('users:list', { sort: 'username', offset, limit: 500 })
    for (const r of page.rows) listed.set(r.id, r.status)
    if (page.rows.length < 500) break
  }
  expect(listed).toEqual(brute)
  const counts = (await admin.ok('users:list', { limit: 1 })).counts
  for (const s of USER_STATUSES) expect(counts[s], s).toBe([...brute.values()].filter((x) => x === s).length)
  // The search index finds exactly what a substring scan finds.
  for (const term of ['smith-1', 'CARLA', 'usr12', 'mi', 'Mi', 'd', '@example.org']) {
    const like = `%${term.toLowerCase()}%`
    const expected = await count('SELECT count(*) AS n FROM users WHERE lower(username) LIKE ? OR lower(display_name) LIKE ? OR lower(email) LIKE ?', [like, like, like])
    const short = term.length < 3
    const prefix = `${term.toLowerCase()}%`
    const expectedShort = await count('SELECT count(*) AS n FROM users WHERE lower(username) LIKE ? OR lower(display_name) LIKE ? OR lower(email) LIKE ?', [prefix, prefix, prefix])
    const found = await admin.ok('users:list', { search: term, limit: 1 })
    expect(found.total, term).toBe(Math.min(short ? expectedShort : expected, 2_000))
  }
}

describe('status, counts and search stay right', () => {
  it('after create, import, rename, lock, unlock, reset request, postpone, role change, disable and delete', async () => {
    expect((await admin.jobResult<ImportReport>('users:import', { csv: csvOf(3_000) })).ok).toBe(true)
    await expectIndexRight()
    const db = t.engine.store
    const id = async (name: string) => (await db.get<{ id: number }>('SELECT id FROM users WHERE username = ?', [name]))!.id
    // A lock through the limiter, as wrong passwords would leave it.
    for (let i = 0; i < 12; i++) await t.engine.auth.login('usr5', 'wrong password, wrong', 'ws-test').catch(() => undefined)
    await db.run("UPDATE users SET display_name = 'Zelda Renamed', email = 'zelda@example.org' WHERE username = 'usr7'")
    await db.run("UPDATE users SET must_enrol = 1 WHERE username = 'usr8'")
    await db.run("UPDATE users SET postponements_used = 1 WHERE username = 'usr9'")
    await db.run("INSERT INTO reset_requests (user_id, created_at, workstation, to_all, status) VALUES (?, 1, 'ws', 1, 'open')", [await id('usr10')])
    await admin.ok('users:set-disabled', { userId: await id('usr11'), disabled: true })
    await admin.ok('users:set-role', { userId: await id('usr12'), role: 'admin' })
    await db.run("DELETE FROM users WHERE username = 'usr13'")
    await expectIndexRight()
    expect((await admin.ok('users:list', { search: 'zelda' })).rows.map((r) => r.username)).toEqual(['usr7'])
    expect((await admin.ok('users:list', { search: 'usr7@example' })).total).toBe(0)
    expect((await admin.ok('users:list', { status: 'locked' })).rows.map((r) => r.username)).toEqual(['usr5'])
    await admin.ok('users:unlock', { userId: await id('usr5') })
    await db.run("UPDATE reset_requests SET status = 'rejected'")
    await expectIndexRight()
    // A lock that ran out by time is no lock, without any write in between.
    for (let i = 0; i < 12; i++) await t.engine.auth.login('usr6', 'wrong password, wrong', 'ws-test').catch(() => undefined)
    expect((await admin.ok('users:list', { status: 'locked' })).total).toBe(1)
    t.clock.advance(48 * 3_600_000)
    admin = await signIn(t, 'ada', 'ws-test', ADMIN.password) // the session ran out meanwhile
    expect((await admin.ok('users:list', { status: 'locked' })).total).toBe(0)
    await expectIndexRight()
  })
})

describe('paging', () => {
  it('returns every row exactly once, in order, in every sort and direction, from either end', async () => {
    await admin.jobResult('users:import', { csv: csvOf(1_234) })
    for (const sort of ['displayName', 'username', 'email', 'role', 'status', 'lastLogin'] as const) {
      for (const descending of [false, true]) {
        const seen: number[] = []
        for (let offset = 0; offset < 1_235; offset += 100) seen.push(...(await admin.ok('users:list', { sort, descending, offset, limit: 100 })).rows.map((r) => r.id))
        expect(new Set(seen).size, `${sort} ${descending}`).toBe(1_235)
        expect(seen).toHaveLength(1_235)
        const whole = (await admin.ok('users:list', { sort, descending, offset: 0, limit: 500 })).rows.map((r) => r.id)
        expect(seen.slice(0, 500)).toEqual(whole)
      }
    }
    for (const role of ['user', 'helpdesk'] as Role[]) {
      const all = (await admin.ok('users:list', { role, limit: 500 })).total
      const ids: number[] = []
      for (let offset = 0; offset < all; offset += 7) ids.push(...(await admin.ok('users:list', { role, offset, limit: 7 })).rows.map((r) => r.id))
      expect(new Set(ids).size).toBe(all)
    }
  })
})

describe('deep pages', () => {
  it('start at a sampled rank and stay exact after renames, role and status changes, new and removed users', async () => {
    await admin.jobResult('users:import', { csv: csvOf(600) })
    // SQLite's samples are corrected by temporary triggers on the engine's connection, PostgreSQL's
    // by the server's log of moves (whichever seat wrote): both must stay exact.
    const sqlite = t.engine.store.kind === 'sqlite'
    const { ranks } = t.engine.directory
    // Each sort's sample is built in the background once the rows stand still; until then a deep page
    // is read by offset. Both must give exactly the rows an OFFSET query gives.
    const expectExact = async () => {
      await pages()
      await t.engine.background.idle()
      // (A sample kept through a few writes is one built earlier, its ranks corrected: 288 moved by them.)
      for (const sort of plainSorts(t.engine.store)) {
        const start = await ranks.start(sort, 300)
        expect(start && start.rank + start.skip, sort).toBe(300)
        expect(Math.abs(start!.rank - 288), sort).toBeLessThan(16)
      }
      await pages()
    }
    const pages = () => expectPagesExact(t.engine.store, admin, [150, 277, 333])
    await expectExact()
    const db = t.engine.store
    // A few writes keep each sample: the rank of a sampled key is moved by the rows that entered or
    // left its order below it (a new user, a rename, a removed user, a lock, a role change).
    await addUser(admin, 'aardvark')
    await db.run("UPDATE users SET display_name = 'Zz Late' WHERE id = 40")
    await db.run("UPDATE users SET role = 'helpdesk', locked_until = ? WHERE id = 45", [t.clock.now() + 3_600_000])
    await db.run('DELETE FROM users WHERE id = 50')
    for (const sort of plainSorts(t.engine.store)) expect(await ranks.start(sort, 300), sort).not.toBeNull()
    await pages()
    // Another connection (the CLI) writes without our triggers: the samples are not trusted. (On
    // PostgreSQL every connection is another one: the same write through the store.)
    const rename = "UPDATE users SET display_name = 'Aab Other' WHERE id = 60"
    if (sqlite) {
      const other = new Database(t.engine.db.name)
      other.prepare(rename).run()
      other.close()
    } else await db.run(rename)
    await pages()
    await expectExact()
    // A status change alone (status is computed from other columns) moves rows in the status order.
    await db.run('UPDATE users SET locked_until = ? WHERE id % 5 = 0', [t.clock.now() + 3_600_000])
    await expectExact()
    await db.run("UPDATE users SET display_name = 'Aaron ' || display_name WHERE id % 7 = 0")
    await db.run("UPDATE users SET username = 'z' || username, email = 'z' || email WHERE id % 11 = 0")
    await db.run("UPDATE users SET role = 'helpdesk' WHERE id % 13 = 0")
    await db.run('UPDATE users SET locked_until = ? WHERE id % 17 = 0', [t.clock.now() + 3_600_000])
    await db.run('DELETE FROM users WHERE id % 19 = 0 AND id > 1')
    await expectExact()
    await admin.jobResult('users:import', { csv: csvOf(50, 5_000) })
    await expectExact()
  })
})

describe('jobs', () => {
  it('a cancelled import leaves the users as they were', async () => {
    const before = (await admin.ok('users:list', { limit: 1 })).total
    const auditRows = () => count('SELECT count(*) AS n FROM audit_log')
    const logged = await auditRows()
    const users = () => count('SELECT count(*) AS n FROM users')
    const job = await admin.ok('users:import', { csv: csvOf(30_000) })
    // Let it check every row and create the first users, then cancel.
    while ((await users()) === before) await new Promise((r) => setImmediate(r))
    await admin.ok('jobs:cancel', { jobId: job.id })
    await t.engine.jobs.idle()
    expect((await admin.ok('jobs:get', { jobId: job.id })).state).toBe('cancelled')
    expect((await admin.ok('users:list', { limit: 1 })).total).toBe(before)
    expect((await admin.ok('users:list', { search: 'smith', limit: 1 })).total).toBe(0)
    expect(await count('SELECT count(*) AS n FROM import_rows')).toBe(0)
    // The log keeps what happened: users created, then removed by the cancel.
    expect(await auditRows()).toBeGreaterThan(logged)
    expect((await admin.ok('audit:list', { event: 'users.import-cancelled' })).rows[0]?.details).toMatchObject({ removed: expect.any(Number) })
  })

  it('an export of N users has N rows and imports back into an empty directory', async () => {
    await admin.jobResult('users:import', { csv: csvOf(2_500) })
    const { file, rows } = await admin.jobResult<ExportResult>('users:export', {})
    const lines = readFileSync(file, 'utf8').trim().split('\r\n')
    expect(rows).toBe(2_501)
    expect(lines).toHaveLength(2_502)
    // The status column says what the console's badges and filters say.
    const status = lines[0]!.split(',').indexOf('status')
    expect(new Set(lines.slice(1).map((l) => l.split(',')[status]))).toEqual(new Set(['Set up', 'Not set up']))
    const other = await testEngine()
    try {
      const otherAdmin = await firstAdmin(other)
      const withoutAda = [lines[0], ...lines.slice(1).filter((l) => !l.startsWith('ada,'))].join('\n')
      expect(await otherAdmin.jobResult('users:import', { csv: withoutAda })).toMatchObject({ ok: true, created: 2_500 })
    } finally {
      await other.dispose()
    }
  })

  it('a cancelled export leaves no partial file and no stray error', async () => {
    await admin.jobResult('users:import', { csv: csvOf(20_000) })
    const errors: unknown[] = []
    const onError = (e: unknown) => errors.push(e)
    process.on('uncaughtException', onError)
    try {
      // Cancelled as soon as it starts: its first page is written, then it stops at its first pause.
      const job = await admin.ok('users:export', {})
      await admin.ok('jobs:cancel', { jobId: job.id })
      await t.engine.jobs.idle()
      await new Promise((r) => setTimeout(r, 50))
      expect((await admin.ok('jobs:get', { jobId: job.id })).state).toBe('cancelled')
      expect(readdirSync(t.engine.dataDir).filter((f) => f.startsWith('export-'))).toEqual([])
      expect(errors).toEqual([])
    } finally {
      process.off('uncaughtException', onError)
    }
  })

  it('only the staff member who started a job sees or cancels it', async () => {
    const job = await admin.ok('users:import', { csv: csvOf(10) })
    await t.engine.jobs.idle()
    await addUser(admin, 'hedy', 'admin')
    const hedy = await signIn(t, 'hedy')
    expect(await hedy.call('jobs:get', { jobId: job.id })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect(await hedy.call('jobs:cancel', { jobId: job.id })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
  })
})

async function pastAppendOnly(store: Store, body: () => Promise<unknown>): Promise<void> {
  if (store.kind === 'postgres') {
    await store.run('ALTER TABLE audit_log DISABLE TRIGGER USER')
    try {
      await body()
    } finally {
      await store.run('ALTER TABLE audit_log ENABLE TRIGGER USER')
    }
    return
  }
  const triggers = await store.all<{ name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")
  expect(triggers.map((r) => r.name).sort()).toEqual(['audit_log_no_delete', 'audit_log_no_update'])
  for (const { name } of triggers) await store.run(`DROP TRIGGER ${name}`)
  try {
    await body()
  } finally {
    for (const { sql } of triggers) await store.run(sql)
  }
}

describe('incremental verify', () => {
  /**
   * An edit of the audit log as someone who can write to the database would make it: past the
   * append-only triggers (on SQLite dropped and recreated; on PostgreSQL disabled, as its owner may).
   */
  const tamper = (sql: string) => pastAppendOnly(t.engine.store, () => t.engine.store.run(sql))

  it('checks only rows since the checkpoint, catches an edit after it, and a full verify catches one before it', async () => {
    await admin.jobResult('users:import', { csv: csvOf(50) })
    const first = await admin.ok('audit:verify', {})
    expect(first).toMatchObject({ ok: true, since: null })
    await admin.jobResult('users:import', { csv: csvOf(5, 100) })
    const second = await admin.ok('audit:verify', {})
    expect(second).toMatchObject({ ok: true, since: first.rows })
    expect(second.checked).toBe(second.rows - first.rows)
    // An edit before the checkpoint: the everyday check does not walk there; the full one does.
    await tamper("UPDATE audit_log SET workstation = 'elsewhere' WHERE id = 10")
    expect(await admin.ok('audit:verify', {})).toMatchObject({ ok: true })
    expect(await admin.jobResult('audit:verify-full', {})).toMatchObject({ ok: false, brokenAt: 10 })
  })

  it('catches a row edited or inserted after the checkpoint, and the checkpoint row itself changed', async () => {
    const first = await admin.ok('audit:verify', {})
    await admin.jobResult('users:import', { csv: csvOf(5) })
    await tamper(`UPDATE audit_log SET details = '{}' WHERE id = ${first.rows + 2}`)
    expect(await admin.ok('audit:verify', {})).toMatchObject({ ok: false, brokenAt: first.rows + 2 })
    await tamper(`UPDATE audit_log SET hash = 'x' WHERE id = ${first.rows}`)
    const changed = await admin.ok('audit:verify', {})
    expect({ ...changed, problem: translator('en').sayText(changed.problem ?? '') }).toMatchObject({ ok: false, brokenAt: first.rows, problem: expect.stringMatching(/changed since it was last verified/) })
  })
})
