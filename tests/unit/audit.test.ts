/**
 * Rule: every security event is in the audit log with actor, subject, workstation and time; the log
 * is append-only and each row carries an HMAC (under the data key) over itself and the previous
 * row's, and the head is anchored outside the database: the verifier finds any row that was edited,
 * removed, inserted, rewritten with the chain recomputed, or cut from the end.
 */
import Database from 'better-sqlite3'
import type { ExportResult } from '../../src/shared/admin-dto'
import { createHash } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ANCHOR_FILE, GENESIS_HASH, verifyAudit, type AuditRow } from '../../src/main/core/audit'
import { fileAnchorStore } from '../../src/main/core/audit'
import { connect } from '../helpers/caller'
import { testEngine, type TestEngine } from '../helpers/engine'
import { addUser, firstAdmin, login, type Conn } from '../helpers/flows'

let t: TestEngine
let admin: Conn
let rows: number
beforeEach(async () => {
  t = await testEngine()
  admin = await firstAdmin(t, 'ws-front-desk')
  await addUser(admin, 'grace')
  await login(t, 'grace')
  await connect(t.engine).call('auth:login', { identifier: 'grace', password: 'not the password' })
  await connect(t.engine).call('auth:login', { identifier: 'my-secret-passphrase-2026!', password: 'x' })
  rows = (t.engine.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n
})
afterEach(() => t.dispose())

/**
 * Tampering as someone with the file would: a second connection, triggers dropped, and the chain's
 * head row (`audit_head`) moved to the last row left, so the database agrees with itself.
 */
function tamper(sql: string): void {
  const raw = new Database(join(t.dir, 'tessera.db'))
  raw.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;')
  raw.exec(sql)
  raw.exec(MOVE_HEAD)
  raw.close()
}
const MOVE_HEAD = 'UPDATE audit_head SET id = (SELECT max(id) FROM audit_log), hash = (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1)'

const verify = () => admin.ok('audit:verify', {})

describe('the audit log', () => {
  it('records who did what to whom, where and when', async () => {
    const page = await admin.ok('audit:list', {})
    const byEvent = Object.fromEntries(page.rows.filter((r) => r.subject === 'grace').map((r) => [r.event, r]))
    expect(byEvent['user.created']).toMatchObject({ actor: 'ada', subject: 'grace', workstation: 'ws-front-desk', at: t.clock.now() })
    expect(byEvent['login.password-failed']).toMatchObject({ subject: 'grace' })
    expect(byEvent['login.succeeded']).toMatchObject({ subject: 'grace', details: { method: 'password' } })
    expect(await admin.ok('audit:list', { event: 'login.', subject: 'grace' })).toMatchObject({ rows: [{ event: 'login.password-failed' }, { event: 'login.succeeded' }] })
  })

  it('keeps a name that matches nobody only as a keyed hash and its length', async () => {
    const [unknown] = (await admin.ok('audit:list', { event: 'login.password-failed' })).rows.filter((r) => r.subject === null)
    expect(unknown!.details).toEqual({ nameHash: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), nameLength: 26 })
    const everything = readFileSync(join(t.dir, 'tessera.db')).toString('latin1') + readFileSync(join(t.dir, 'tessera.db-wal')).toString('latin1')
    expect(everything).not.toContain('my-secret-passphrase')
  })

  it('refuses updates and deletes', () => {
    expect(() => t.engine.db.prepare("UPDATE audit_log SET event = 'x'").run()).toThrow(/append-only/)
    expect(() => t.engine.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/)
  })

  it('verifies an untouched chain, signed with the data key and anchored outside the database', async () => {
    expect(await verify()).toMatchObject({ ok: true, brokenAt: null })
    expect(await verifyAudit(t.engine.store, t.engine.sealer, fileAnchorStore(t.dir))).toMatchObject({ ok: true, rows })
    const anchor = JSON.parse(readFileSync(join(t.dir, ANCHOR_FILE), 'utf8')) as { id: number }
    expect(anchor.id).toBe(rows)
  })

  it('finds an edited row', async () => {
    tamper("UPDATE audit_log SET subject = 'someone-else' WHERE id = 3")
    expect(await verify()).toMatchObject({ ok: false, rows: 2, brokenAt: 3, problem: 'row 3 was edited after it was written' })
  })

  it('finds a removed row', async () => {
    tamper('DELETE FROM audit_log WHERE id = 2')
    expect(await verify()).toMatchObject({ ok: false, brokenAt: 2, problem: 'row 2 is missing' })
  })

  it('finds a row removed and the ids closed up', async () => {
    tamper('DELETE FROM audit_log WHERE id = 2; UPDATE audit_log SET id = id - 1 WHERE id > 2')
    expect(await verify()).toMatchObject({ ok: false, brokenAt: 2 })
  })

  it('finds the last rows removed (truncation), which the chain alone cannot show', async () => {
    tamper(`DELETE FROM audit_log WHERE id > ${rows - 3}`)
    expect(await verifyAudit(t.engine.store, t.engine.sealer, fileAnchorStore(t.dir))).toMatchObject({
      ok: false,
      problem: `rows ${rows - 2} to ${rows} were removed from the end of the log`
    })
  })

  it('finds a row rewritten with every later hash recomputed (without the key)', async () => {
    const db = new Database(join(t.dir, 'tessera.db'))
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;')
    const all = db.prepare('SELECT * FROM audit_log ORDER BY id').all() as AuditRow[]
    let prev = GENESIS_HASH
    for (const r of all) {
      const details = r.id === 2 ? '{"rewritten":true}' : r.details
      const content = JSON.stringify([r.id, r.at, r.event, r.actor_id, r.actor, r.subject_id, r.subject, r.workstation, details, prev])
      const hash = createHash('sha256').update(content).digest('hex')
      // As a chain of version 1 (plain SHA-256) and as version 2 with a made-up MAC: both fail.
      db.prepare('UPDATE audit_log SET details = ?, prev_hash = ?, hash = ?, chain = 1 WHERE id = ?').run(details, prev, hash, r.id)
      prev = hash
    }
    db.exec(MOVE_HEAD)
    db.close()
    const v = await verify()
    expect(v.ok).toBe(false)
    expect(v.problem).toMatch(/row \d+ (is not signed with the data key|was rewritten)/)
  })

  it('notices a missing or altered anchor, and records it in the chain before moving on', async () => {
    await t.engine.close()
    rmSync(join(t.dir, ANCHOR_FILE))
    const { createEngine } = await import('../../src/main/core/engine')
    const engine = await createEngine({ databaseFile: join(t.dir, 'tessera.db'), clock: t.clock })
    expect(await verifyAudit(engine.store, engine.sealer, fileAnchorStore(t.dir))).toMatchObject({ ok: false, problem: expect.stringMatching(/anchor file .* is missing/) })
    // The engine's first row after that records the episode, which stays in the log for good.
    await engine.audit.record({ event: 'logout' })
    await engine.audit.flush()
    const v = await verifyAudit(engine.store, engine.sealer, fileAnchorStore(t.dir))
    expect(v).toMatchObject({ ok: false, brokenAt: rows + 1, problem: expect.stringMatching(/anchor file did not fit the log .*missing/) })
    writeFileSync(join(t.dir, ANCHOR_FILE), JSON.stringify({ id: 3, hash: 'x', mac: 'y' }))
    expect(await verifyAudit(engine.store, engine.sealer, fileAnchorStore(t.dir))).toMatchObject({ ok: false, problem: expect.stringMatching(/was altered|differs/) })
    await engine.close()
  })

  it('exports CSV with the hashes, and audits the export', async () => {
    const { file, rows: exported } = await admin.jobResult<ExportResult>('audit:export', {})
    const csv = readFileSync(file, 'utf8')
    expect(exported).toBe(rows)
    expect(csv.split('\r\n')[0]).toBe('id,time,event,actor,subject,workstation,details,hash')
    expect((await admin.ok('audit:list', { event: 'audit.exported' })).rows[0]).toMatchObject({ actor: 'ada', details: { rows } })
  })

  it('is for administrators only', async () => {
    const grace = await login(t, 'grace')
    expect(await grace.call('audit:list', {})).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await grace.call('audit:verify', {})).toMatchObject({ ok: false, code: 'FORBIDDEN' })
  })
})
