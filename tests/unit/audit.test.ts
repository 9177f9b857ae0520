/**
 * Rule: every security event is in the audit log with actor, subject, workstation and time; the log
 * is append-only and each row carries an HMAC (under the data key) over itself and the previous
 * row's, and the head is anchored outside the database: the verifier finds any row that was edited,
 * removed, inserted, rewritten with the chain recomputed, or cut from the end.
 */
import type { ExportResult } from '../../src/shared/admin-dto'
import { createHash } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ANCHOR_FILE, GENESIS_HASH, verifyAudit, type AuditRow } from '../../src/main/core/audit'
import { fileAnchorStore } from '../../src/main/core/audit'
import { connect } from '../helpers/caller'
import { eventSentence } from '../../src/shared/audit-events'
import { translator } from '../../src/shared/i18n/translate'
import { testEngine, type TestEngine } from '../helpers/engine'
import { addUser, firstAdmin, login, type Conn } from '../helpers/flows'

/** Cases about the SQLite file itself, which a PostgreSQL run skips. */
const onSqliteOnly = it.skipIf((process.env['TESSERA_TEST_STORE'] ?? 'sqlite') !== 'sqlite')

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
  rows = (await t.engine.store.get<{ n: number }>('SELECT count(*) AS n FROM audit_log'))!.n
})
afterEach(() => t.dispose())

/**
 * Tampering as someone who can write to the database would: the append-only triggers out of the
 * way for the tampering statements (on SQLite dropped and recreated; on PostgreSQL disabled, which
 * the database's owner may do), and the chain's head row (`audit_head`) moved to the last row
 * left, so the database agrees with itself.
 */
async function tamper(...statements: string[]): Promise<void> {
  await asAttacker(async () => {
    for (const sql of statements) await t.engine.store.run(sql)
  })
}
async function asAttacker(body: () => Promise<void>): Promise<void> {
  const restore = await appendOnlyOff()
  try {
    await body()
    await t.engine.store.run(MOVE_HEAD)
  } finally {
    await restore()
  }
}
/** Takes the audit log's append-only triggers out of the way; returns how to put them back. */
async function appendOnlyOff(): Promise<() => Promise<unknown>> {
  const { store } = t.engine
  if (store.kind === 'postgres') {
    await store.run('ALTER TABLE audit_log DISABLE TRIGGER USER')
    return () => store.run('ALTER TABLE audit_log ENABLE TRIGGER USER')
  }
  const triggers = await store.all<{ name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")
  expect(triggers.map((r) => r.name).sort()).toEqual(['audit_log_no_delete', 'audit_log_no_update'])
  for (const { name } of triggers) await store.run(`DROP TRIGGER ${name}`)
  return async () => {
    for (const { sql } of triggers) await store.run(sql)
  }
}
const MOVE_HEAD = 'UPDATE audit_head SET id = (SELECT max(id) FROM audit_log), hash = (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1)'

/** A verification with its problem in English (a message, worded where it is read). */
const said = <T extends object>(v: T): T => ('problem' in v && typeof v.problem === 'string' ? { ...v, problem: translator('en').sayText(v.problem) } : v)
const verify = async () => said(await admin.ok('audit:verify', {}))
const verifiedInEnglish = async (...args: Parameters<typeof verifyAudit>) => said(await verifyAudit(...args))

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
    expect(JSON.stringify(await t.engine.store.all('SELECT * FROM audit_log'))).not.toContain('my-secret-passphrase')
  })

  // The bytes of the SQLite file and its WAL: PostgreSQL's files belong to its server.
  onSqliteOnly('leaves no trace of that name in the SQLite file or its WAL', () => {
    expect(t.engine.store.kind).toBe('sqlite')
    const everything = readFileSync(join(t.dir, 'tessera.db')).toString('latin1') + readFileSync(join(t.dir, 'tessera.db-wal')).toString('latin1')
    expect(everything).not.toContain('my-secret-passphrase')
  })

  it('refuses updates and deletes', async () => {
    await expect(t.engine.store.run("UPDATE audit_log SET event = 'x'")).rejects.toThrow(/append-only/)
    await expect(t.engine.store.run('DELETE FROM audit_log')).rejects.toThrow(/append-only/)
    if (t.engine.store.kind === 'postgres') await expect(t.engine.store.run('TRUNCATE audit_log')).rejects.toThrow(/append-only/)
  })

  it('verifies an untouched chain, signed with the data key and anchored outside the database', async () => {
    expect(await verify()).toMatchObject({ ok: true, brokenAt: null })
    expect(await verifiedInEnglish(t.engine.store, t.engine.sealer, fileAnchorStore(t.dir))).toMatchObject({ ok: true, rows })
    const anchor = JSON.parse(readFileSync(join(t.dir, ANCHOR_FILE), 'utf8')) as { id: number }
    expect(anchor.id).toBe(rows)
  })

  it('finds an edited row', async () => {
    await tamper("UPDATE audit_log SET subject = 'someone-else' WHERE id = 3")
    expect(await verify()).toMatchObject({ ok: false, rows: 2, brokenAt: 3, problem: 'row 3 was edited after it was written' })
  })

  it('finds a removed row', async () => {
    await tamper('DELETE FROM audit_log WHERE id = 2')
    expect(await verify()).toMatchObject({ ok: false, brokenAt: 2, problem: 'row 2 is missing' })
  })

  it('finds a row removed and the ids closed up', async () => {
    await tamper('DELETE FROM audit_log WHERE id = 2', 'UPDATE audit_log SET id = id - 1 WHERE id > 2')
    expect(await verify()).toMatchObject({ ok: false, brokenAt: 2 })
  })

  it('finds the last rows removed (truncation), which the chain alone cannot show', async () => {
    await tamper(`DELETE FROM audit_log WHERE id > ${rows - 3}`)
    expect(await verifiedInEnglish(t.engine.store, t.engine.sealer, fileAnchorStore(t.dir))).toMatchObject({
      ok: false,
      problem: `rows ${rows - 2} to ${rows} were removed from the end of the log`
    })
  })

  it('finds a row rewritten with every later hash recomputed (without the key)', async () => {
    await asAttacker(async () => {
      const all = await t.engine.store.all<AuditRow>('SELECT * FROM audit_log ORDER BY id')
      let prev = GENESIS_HASH
      for (const r of all) {
        const details = r.id === 2 ? '{"rewritten":true}' : r.details
        const content = JSON.stringify([r.id, r.at, r.event, r.actor_id, r.actor, r.subject_id, r.subject, r.workstation, details, prev])
        const hash = createHash('sha256').update(content).digest('hex')
        // As a chain of version 1 (plain SHA-256) and as version 2 with a made-up MAC: both fail.
        await t.engine.store.run('UPDATE audit_log SET details = ?, prev_hash = ?, hash = ?, chain = 1 WHERE id = ?', [details, prev, hash, r.id])
        prev = hash
      }
    })
    const v = await verify()
    expect(v.ok).toBe(false)
    expect(v.problem).toMatch(/row \d+ (is not signed with the data key|was rewritten)/)
  })

  it('notices a missing or altered anchor, and records it in the chain before moving on', async () => {
    await t.engine.close()
    rmSync(join(t.dir, ANCHOR_FILE))
    const { createEngine } = await import('../../src/main/core/engine')
    // The anchor asked for explicitly (SQLite's default): a PostgreSQL seat's own anchor may be
    // missing (a seat that has not seen the chain yet), this one must be there.
    const database = t.database.url ? { url: t.database.url } : undefined
    const engine = await createEngine({ databaseFile: t.database.file, database, clock: t.clock, anchor: fileAnchorStore(t.dir) })
    expect(await verifiedInEnglish(engine.store, engine.sealer, fileAnchorStore(t.dir))).toMatchObject({ ok: false, problem: expect.stringMatching(/anchor file .* is missing/) })
    // The engine's first row after that records the episode, which stays in the log for good.
    await engine.audit.record({ event: 'logout' })
    await engine.audit.flush()
    const v = await verifiedInEnglish(engine.store, engine.sealer, fileAnchorStore(t.dir))
    expect(v).toMatchObject({ ok: false, brokenAt: rows + 1, problem: expect.stringMatching(/anchor file did not fit the log .*missing/) })
    writeFileSync(join(t.dir, ANCHOR_FILE), JSON.stringify({ id: 3, hash: 'x', mac: 'y' }))
    expect(await verifiedInEnglish(engine.store, engine.sealer, fileAnchorStore(t.dir))).toMatchObject({ ok: false, problem: expect.stringMatching(/was altered|differs/) })
    await engine.close()
  })

  it('exports CSV with the hashes, and audits the export', async () => {
    const { file, rows: exported } = await admin.jobResult<ExportResult>('audit:export', {})
    const csv = readFileSync(file, 'utf8')
    expect(exported).toBe(rows)
    expect(csv.split('\r\n')[0]).toBe('id,time,event,actor,subject,workstation,details,hash,sentence')
    expect((await admin.ok('audit:list', { event: 'audit.exported' })).rows[0]).toMatchObject({ actor: 'ada', details: { rows } })
  })

  it('adds each row\'s sentence in the exporter\'s language, after the columns that stay the same in every language', async () => {
    const listed = (await admin.ok('audit:list', { limit: 500 })).rows.reverse()
    const csvCell = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text)
    for (const language of ['ja', 'ko', 'vi', 'en'] as const) {
      const { file } = await admin.jobResult<ExportResult>('audit:export', { language })
      const lines = readFileSync(file, 'utf8').split('\r\n')
      for (const [i, row] of listed.entries()) {
        const sentence = eventSentence(row, translator(language))
        expect(lines[i + 1]!.startsWith(`${row.id},${new Date(row.at).toISOString()},${row.event},`)).toBe(true)
        expect(lines[i + 1]!.endsWith(`,${csvCell(sentence)}`), `${language} row ${row.id}`).toBe(true)
      }
    }
    for (const row of listed) expect(eventSentence(row, translator('ja'))).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/)
  })

  it('is for administrators only', async () => {
    const grace = await login(t, 'grace')
    expect(await grace.call('audit:list', {})).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await grace.call('audit:verify', {})).toMatchObject({ ok: false, code: 'FORBIDDEN' })
  })
})
