/**
 * Rule: an import writes what the file says and only that, on either store: values arrive as typed
 * (backslashes, tabs, line breaks, quotes; PostgreSQL copies them in COPY's text format), every
 * user created has its one `user.created` row in one chain (also when the log was empty: two
 * slices or seats writing its first rows at once), ids follow the lines, and a failure while the
 * users are created (a username another seat took after the check) removes exactly the users the
 * import created, never the other seat's, with the counts exact and the chain verifying.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImportReport } from '../../src/shared/admin-dto'
import { verifyAudit } from '../../src/main/core/audit'
import { testEngine, type TestEngine } from '../helpers/engine'
import { firstAdmin, type Conn } from '../helpers/flows'

let t: TestEngine
let admin: Conn
beforeAll(async () => {
  t = await testEngine()
  admin = await firstAdmin(t)
})
afterAll(() => t.dispose())

const count = async (sql: string, params: (string | number)[] = []) => (await t.engine.store.get<{ n: number }>(sql, params))!.n
const csvOf = (n: number, prefix: string) =>
  'username,email,display_name,role\n' + Array.from({ length: n }, (_, i) => `${prefix}${i},${prefix}${i}@example.org,Slice ${i},${i % 7 ? 'user' : 'helpdesk'}`).join('\n')
/** The counts the directory keeps (per role and status) against a count of the rows themselves. */
async function expectExactCounts() {
  const page = await admin.ok('users:list', { limit: 1 })
  expect(page.total).toBe(await count('SELECT count(*) AS n FROM users'))
  expect((await admin.ok('users:list', { role: 'helpdesk', limit: 1 })).total).toBe(await count("SELECT count(*) AS n FROM users WHERE role = 'helpdesk'"))
}

describe('the audit log', () => {
  it('starts as one chain when its first rows are written by several transactions at once', async () => {
    const fresh = await testEngine()
    try {
      expect(await fresh.engine.store.get<{ n: number }>('SELECT count(*) AS n FROM audit_log')).toEqual({ n: 0 })
      await Promise.all(Array.from({ length: 4 }, (_, i) => fresh.engine.audit.record({ event: 'user.created', details: { i } })))
      await fresh.engine.audit.flush()
      expect(await verifyAudit(fresh.engine.store, fresh.engine.sealer, fresh.engine.anchor)).toMatchObject({ ok: true, rows: 4 })
    } finally {
      await fresh.dispose()
    }
  })

  it('keeps what many rows at once say, byte for byte, and still verifies', async () => {
    const odd = ['back\\slash \\N', 'tab\there', 'two\nlines', 'carriage\r\nreturn', 'ünïcødé 名前']
    const first = await count('SELECT coalesce(max(id), 0) AS n FROM audit_log')
    await t.engine.store.transaction(() => t.engine.audit.recordMany(odd.map((text) => ({ event: 'user.created', workstation: text, details: { text } }))))
    const rows = await t.engine.store.all<{ workstation: string; details: string }>('SELECT workstation, details FROM audit_log WHERE id > ? ORDER BY id', [first])
    expect(rows.map((r) => [r.workstation, (JSON.parse(r.details) as { text: string }).text])).toEqual(odd.map((text) => [text, text]))
    await t.engine.audit.flush()
    expect(await verifyAudit(t.engine.store, t.engine.sealer, t.engine.anchor)).toMatchObject({ ok: true })
  })
})

describe('an import', () => {
  it('keeps backslashes, tabs, line breaks and quotes as typed', async () => {
    const names = ['Back\\slash \\N', 'Tab\there', 'Two\nlines', 'Carriage\r\nreturn', '"Quoted", comma', 'Ünïcødé 名前']
    const csv = 'username,email,display_name,role\n' + names.map((n, i) => `odd${i},odd${i}@example.org,"${n.replaceAll('"', '""')}",user`).join('\n')
    expect(await admin.jobResult<ImportReport>('users:import', { csv })).toMatchObject({ ok: true, created: names.length })
    const rows = await t.engine.store.all<{ display_name: string }>("SELECT display_name FROM users WHERE username LIKE 'odd%' ORDER BY username")
    expect(rows.map((r) => r.display_name)).toEqual(names)
  })

  it('logs one user.created per user, naming the user it created, with ids in line order', async () => {
    const first = await count('SELECT coalesce(max(id), 0) AS n FROM audit_log')
    expect(await admin.jobResult<ImportReport>('users:import', { csv: csvOf(12_000, 'slice') })).toMatchObject({ ok: true, created: 12_000 })
    const logged = await t.engine.store.all<{ subject_id: number; subject: string; details: string }>(
      "SELECT subject_id, subject, details FROM audit_log WHERE id > ? AND event = 'user.created' ORDER BY id",
      [first]
    )
    // PostgreSQL's slices commit in turn, two at a time: each line once, a slice's rows together.
    const lines = logged.map((r) => (JSON.parse(r.details) as { line: number }).line)
    expect([...lines].sort((a, b) => a - b)).toEqual(Array.from({ length: 12_000 }, (_, i) => i + 2))
    const users = await t.engine.store.all<{ id: number; username: string }>("SELECT id, username FROM users WHERE username LIKE 'slice%' ORDER BY id")
    const ids = new Map(users.map((u) => [u.username, u.id]))
    expect(logged.every((r) => ids.get(r.subject) === r.subject_id)).toBe(true)
    expect(users.map((u) => u.username)).toEqual(Array.from({ length: 12_000 }, (_, i) => `slice${i}`))
    await expectExactCounts()
    await t.engine.audit.flush()
    expect(await verifyAudit(t.engine.store, t.engine.sealer, t.engine.anchor)).toMatchObject({ ok: true })
  })

  it('that fails while creating users removes exactly those it created', async () => {
    const before = await count('SELECT count(*) AS n FROM users')
    const job = await admin.ok('users:import', { csv: csvOf(30_000, 'failing') })
    // Once the users are being created, "another seat" takes the username of the file's last row.
    while ((await count('SELECT count(*) AS n FROM users')) === before) await new Promise((r) => setImmediate(r))
    await t.engine.store.run("INSERT INTO users (username, email, display_name, role, created_at, updated_at) VALUES ('failing29999', 'elsewhere@example.org', 'Elsewhere', 'user', 0, 0)")
    await t.engine.jobs.idle()
    expect((await admin.ok('jobs:get', { jobId: job.id })).state).toBe('failed')
    expect(await count('SELECT count(*) AS n FROM users')).toBe(before + 1)
    expect(await count("SELECT count(*) AS n FROM users WHERE username = 'failing29999' AND email = 'elsewhere@example.org'")).toBe(1)
    const created = await count("SELECT count(*) AS n FROM audit_log WHERE event = 'user.created' AND subject LIKE 'failing%'")
    expect(created).toBeGreaterThan(0)
    expect((await admin.ok('audit:list', { event: 'users.import-cancelled' })).rows[0]?.details).toMatchObject({ removed: created })
    expect(await count('SELECT count(*) AS n FROM import_rows')).toBe(0)
    await expectExactCounts()
    await t.engine.audit.flush()
    expect(await verifyAudit(t.engine.store, t.engine.sealer, t.engine.anchor)).toMatchObject({ ok: true })
  }, 60_000)
})
