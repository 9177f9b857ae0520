/**
 * Rule: every security event is in the audit log with actor, subject, workstation and time; the log
 * is append-only and each row carries the previous row's hash, so the verifier finds any row that
 * was edited, removed or inserted.
 */
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { verifyAudit } from '../../src/main/core/audit'
import { connect } from '../helpers/caller'
import { testEngine, type TestEngine } from '../helpers/engine'
import { addUser, firstAdmin, login, type Conn } from '../helpers/flows'

let t: TestEngine
let admin: Conn
beforeEach(async () => {
  t = testEngine()
  admin = await firstAdmin(t, 'ws-front-desk')
  await addUser(admin, 'grace')
  await login(t, 'grace')
  await connect(t.engine).call('auth:login', { identifier: 'grace', password: 'not the password' })
})
afterEach(() => t.dispose())

/** Tampering as someone with the file would: a second connection, triggers dropped. */
function tamper(sql: string): void {
  const raw = new Database(join(t.dir, 'tessera.db'))
  raw.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;')
  raw.exec(sql)
  raw.close()
}

describe('the audit log', () => {
  it('records who did what to whom, where and when', async () => {
    const page = await admin.ok('audit:list', {})
    const byEvent = Object.fromEntries(page.rows.filter((r) => r.subject === 'grace').map((r) => [r.event, r]))
    expect(byEvent['user.created']).toMatchObject({ actor: 'ada', subject: 'grace', workstation: 'ws-front-desk', at: t.clock.now() })
    expect(byEvent['login.password-failed']).toMatchObject({ subject: 'grace', details: { identifier: 'grace' } })
    expect(byEvent['login.succeeded']).toMatchObject({ subject: 'grace', details: { method: 'password' } })
    expect(await admin.ok('audit:list', { event: 'login.', subject: 'grace' })).toMatchObject({ rows: [{ event: 'login.password-failed' }, { event: 'login.succeeded' }] })
  })

  it('refuses updates and deletes', () => {
    expect(() => t.engine.db.prepare("UPDATE audit_log SET event = 'x'").run()).toThrow(/append-only/)
    expect(() => t.engine.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/)
  })

  it('verifies an untouched chain', async () => {
    expect(await admin.ok('audit:verify', {})).toMatchObject({ ok: true, brokenAt: null })
    expect(verifyAudit(t.engine.db)).toMatchObject({ ok: true, rows: 5 })
  })

  it('finds an edited row', async () => {
    tamper("UPDATE audit_log SET subject = 'someone-else' WHERE id = 3")
    expect(await admin.ok('audit:verify', {})).toEqual({ ok: false, rows: 2, brokenAt: 3, problem: 'row 3 was edited after it was written' })
  })

  it('finds a removed row', async () => {
    tamper('DELETE FROM audit_log WHERE id = 2')
    expect(await admin.ok('audit:verify', {})).toMatchObject({ ok: false, brokenAt: 2, problem: 'row 2 is missing' })
  })

  it('finds a row removed and the ids closed up', async () => {
    tamper('DELETE FROM audit_log WHERE id = 2; UPDATE audit_log SET id = id - 1 WHERE id > 2')
    expect(await admin.ok('audit:verify', {})).toMatchObject({ ok: false, brokenAt: 2 })
  })

  it('exports CSV with the hashes', async () => {
    const { csv, rows } = await admin.ok('audit:export', {})
    expect(rows).toBe(5)
    expect(csv.split('\r\n')[0]).toBe('id,time,event,actor,subject,workstation,details,hash')
  })

  it('is for administrators only', async () => {
    const grace = await login(t, 'grace')
    expect(await grace.call('audit:list', {})).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await grace.call('audit:verify', {})).toMatchObject({ ok: false, code: 'FORBIDDEN' })
  })
})
