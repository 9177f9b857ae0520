/**
 * Rule: `db copy-to-postgres` moves a SQLite data directory's database into an empty PostgreSQL
 * database row for row (the audit chain byte for byte, verifiable there), with the counts, mirrors,
 * audit head and id sequences PostgreSQL keeps itself set as if the rows had been written there;
 * all or nothing; a database that already holds data is refused and left unchanged.
 */
import Database from 'better-sqlite3'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest'
import { main } from '../../src/main/cli/index'
import { copyDataDirectory } from '../../src/main/cli/db'
import { ANCHOR_FILE, verifyAudit } from '../../src/main/core/audit'
import type { Db } from '../../src/main/db/open'
import { copyToPostgres, COPIED_TABLES, type CopyProgress } from '../../src/main/store/copy-to-postgres'
import { openPostgresStore } from '../../src/main/store/postgres'
import type { Store } from '../../src/main/store/types'
import { DEFAULT_POLICY } from '../../src/shared/policy'
import { testEngine, type TestEngine } from '../helpers/engine'
import { addUser, enrolTotp, firstAdmin, login, wrongCode, type Conn } from '../helpers/flows'
import { freePort, freshDatabase } from '../helpers/postgres'
import { sixDigits, startSmtp } from '../helpers/smtp'
import { translator } from '../../src/shared/i18n/translate'

let t: TestEngine
let target: Awaited<ReturnType<typeof freshDatabase>>
let smtp: Awaited<ReturnType<typeof startSmtp>>
let store: Store | null = null

beforeEach(async () => {
  t = await testEngine({ kind: 'sqlite' }) // the source is a SQLite directory whichever store the suite runs on
  smtp = await startSmtp({ user: 'tessera', pass: 'mail-relay-password' })
  target = await freshDatabase(inject('postgresUrl'))
})
afterEach(async () => {
  await store?.close()
  store = null
  await t.dispose()
  await smtp.close()
  await target.drop()
})

/** Users in every state, through the engine's own flows where one exists. */
async function organisation(): Promise<void> {
  const admin = await firstAdmin(t)
  const smtpSettings = { host: '127.0.0.1', port: smtp.port, security: 'none' as const, username: 'tessera', from: 'tessera@example.org' }
  await admin.ok('policy:save', { policy: { ...DEFAULT_POLICY, allowedMethods: ['totp', 'email', 'token'], emailFallback: true, smtp: smtpSettings }, smtpPassword: 'mail-relay-password' })
  const ids: Record<string, number> = {}
  for (const [name, role] of [['hedy', 'helpdesk'], ['barbara', 'helpdesk'], ['grace', 'user'], ['linus', 'user'], ['margaret', 'user'], ['alan', 'user'], ['frances', 'user'], ['edsger', 'user'], ['katherine', 'user']] as const) {
    ids[name] = await addUser(admin, name, role)
  }
  // Authenticator apps with recovery codes; one of them then locked by wrong codes.
  await enrolTotp(t, await login(t, 'hedy'))
  await enrolTotp(t, await login(t, 'barbara'))
  await enrolTotp(t, await login(t, 'grace'))
  const margaret = await enrolTotp(t, await login(t, 'margaret'))
  const m = await login(t, 'margaret')
  for (let i = 0; i < 5; i++) await m.call('auth:verify', { method: 'totp', code: wrongCode(t, margaret.secret) })
  // E-mail as the method: a code sent (and its send logged), then one more at login.
  const linus = await login(t, 'linus')
  await linus.ok('enrol:start', { method: 'email' })
  await linus.ok('enrol:confirm', { code: sixDigits(await smtp.next(0)) })
  await linus.ok('enrol:complete', {})
  await (await login(t, 'linus')).ok('auth:send-email-code', {})
  // An open lost-device request to all staff, an access code, an enrolment link, a disabled user.
  await (await login(t, 'grace')).ok('auth:lost-device', { recipients: 'all', message: 'Phone fell in the lake' })
  await admin.ok('users:issue-access-code', { userId: ids['grace']! })
  await admin.ok('users:send-enrolment-link', { userId: ids['frances']! })
  await admin.ok('users:set-disabled', { userId: ids['edsger']!, disabled: true })
  await hardwareToken(admin, ids['katherine']!)
  // A security key (its registration needs a browser: the row as registration writes it).
  t.engine.db
    .prepare('INSERT INTO webauthn_credentials (id, user_id, name, public_key, counter, transports, rp_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run('cred-hedy-1', ids['hedy']!, 'blue YubiKey', Buffer.from([0xa5, 0x01, 0x02, 0x03, 0x26, 0x00, 0xff]), 7, '["usb"]', 'localhost', t.clock.now())
  await admin.ok('audit:verify', {})
  await t.engine.audit.flush()
}

async function hardwareToken(admin: Conn, userId: number): Promise<void> {
  const hex = '3132333435363738393031323334353637383930'
  await admin.ok('tokens:import', { file: `serial,secret,type,digits,period\nHW-1,${hex},hotp,6,\nHW-2,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,totp,8,60\n`, psk: '' })
  await admin.ok('users:assign-token', { userId, serial: 'HW-1' })
}

/** Every value as text (ints of any width, bytes as hex), so SQLite's and PostgreSQL's rows compare. */
const norm = (v: unknown) => (v === null ? null : Buffer.isBuffer(v) || v instanceof Uint8Array ? `x${Buffer.from(v).toString('hex')}` : String(v))
const normRows = (rows: Record<string, unknown>[]) =>
  rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, norm(v)])))).sort()

async function pgClient(url = target.url): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  return c
}

/** Every copied table, row for row (status included: PostgreSQL generates it from the copied columns). */
async function expectSameRows(db: Db, c: pg.Client): Promise<void> {
  for (const table of COPIED_TABLES) {
    const onSqlite = normRows(db.prepare(`SELECT * FROM ${table}`).safeIntegers(true).all() as Record<string, unknown>[])
    const onPostgres = normRows((await c.query(`SELECT * FROM ${table}`)).rows as Record<string, unknown>[])
    expect(onPostgres, table).toEqual(onSqlite)
  }
}

async function rowCounts(c: pg.Client): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const table of COPIED_TABLES) counts[table] = Number((await c.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n)
  return counts
}

async function schemaOf(c: pg.Client) {
  const indexes = (await c.query("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2")).rows
  const triggers = (await c.query('SELECT tgrelid::regclass::text AS t, tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2')).rows
  const constraints = (await c.query("SELECT conrelid::regclass::text AS t, conname, contype, convalidated, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2")).rows
  return { indexes, triggers, constraints }
}

describe('copying a SQLite directory into PostgreSQL', () => {
  it('copies every table row for row and leaves PostgreSQL keeping its own counts, mirrors, head and ids', async () => {
    await organisation()
    const db = t.engine.db
    store = await openPostgresStore({ url: target.url })
    const events: CopyProgress[] = []
    const report = await copyDataDirectory(t.engine, store, (e) => e.phase !== 'audit' && events.push(e))
    const c = await pgClient()
    try {
      await expectSameRows(db, c)
      for (const [table, n] of Object.entries({ users: 10, second_factors: 7, oath_tokens: 2, webauthn_credentials: 1, reset_requests: 1, access_codes: 1, enrolment_tokens: 1, email_code_sends: 2, policy: 1, audit_checkpoint: 1, data_key_check: 1 })) {
        expect((db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n, table).toBe(n)
      }
      expect((db.prepare('SELECT count(*) AS n FROM reset_request_recipients').get() as { n: number }).n).toBeGreaterThanOrEqual(3)
      expect((db.prepare('SELECT smtp_password FROM policy').get() as { smtp_password: Buffer }).smtp_password.length).toBeGreaterThan(16)
      // Counts per (role, status): PostgreSQL's striped sums are SQLite's counts.
      const sqliteCounts = db.prepare('SELECT role, status, n FROM user_counts WHERE n <> 0 ORDER BY role, status').all()
      const pgCounts = (await c.query('SELECT role, status, sum(n)::int AS n FROM user_counts GROUP BY role, status HAVING sum(n) <> 0 ORDER BY role, status')).rows
      expect(pgCounts).toEqual(sqliteCounts)
      expect(new Set((sqliteCounts as { status: number }[]).map((r) => r.status))).toEqual(new Set([0, 1, 2, 3, 4, 6]))
      // The head is the last row, and the chain verifies on PostgreSQL with this directory's key.
      const last = db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string }
      expect((await c.query('SELECT id::int, hash FROM audit_head')).rows).toEqual([last])
      expect(report.auditHead).toEqual(last)
      expect(await verifyAudit(store, t.engine.sealer, t.engine.anchor)).toMatchObject({ ok: true, rows: last.id })
      expect(report.checks.join('\n')).toMatch(/audit chain verifies on PostgreSQL/)
      // Progress: every row counted once, ending at the total.
      const copying = events.filter((e): e is Extract<CopyProgress, { phase: 'copy' }> => e.phase === 'copy')
      expect(copying.at(-1)).toMatchObject({ rows: copying.at(-1)!.total })
      expect(copying.at(-1)!.total).toBe(report.tables.reduce((n, x) => n + x.rows, 0))
      await expectPostgresCarriesOn(db, c)
    } finally {
      await c.end()
    }
  })

  it('leaves the schema as a fresh one: its indexes, keys and constraints, its triggers enabled', async () => {
    await organisation()
    store = await openPostgresStore({ url: target.url })
    const fresh = await freshDatabase(inject('postgresUrl'))
    const other = await openPostgresStore({ url: fresh.url })
    const [c, f] = [await pgClient(), await pgClient(fresh.url)]
    try {
      await copyToPostgres(t.engine.db, store)
      expect(await schemaOf(c)).toEqual(await schemaOf(f))
      expect((await schemaOf(c)).triggers.every((x: { tgenabled: string }) => x.tgenabled === 'O')).toBe(true)
    } finally {
      await Promise.all([c.end(), f.end(), other.close()])
      await fresh.drop()
    }
  })

  it('refuses a database that already holds data, and changes nothing in it', async () => {
    await organisation()
    store = await openPostgresStore({ url: target.url })
    await copyToPostgres(t.engine.db, store)
    const c = await pgClient()
    try {
      const before = { counts: await rowCounts(c), head: (await c.query('SELECT * FROM audit_head')).rows, schema: await schemaOf(c) }
      await expect(copyToPostgres(t.engine.db, store)).rejects.toMatchObject({
        code: 'DATABASE_NOT_EMPTY',
        message: expect.stringMatching(/^The PostgreSQL database already holds Tessera data \(in users, .*audit_log.*\): copy only into a new, empty database\.$/)
      })
      expect({ counts: await rowCounts(c), head: (await c.query('SELECT * FROM audit_head')).rows, schema: await schemaOf(c) }).toEqual(before)
      await expectSameRows(t.engine.db, c)
    } finally {
      await c.end()
    }
  })

  it('keeps nothing when the copy fails before its commit', async () => {
    await organisation()
    store = await openPostgresStore({ url: target.url })
    const c = await pgClient()
    try {
      const schema = await schemaOf(c)
      await expect(copyToPostgres(t.engine.db, store, undefined, { beforeCommit: () => Promise.reject(new Error('the lights went out')) })).rejects.toThrow('the lights went out')
      expect(Object.values(await rowCounts(c)).every((n) => n === 0)).toBe(true)
      expect((await c.query('SELECT count(*)::int AS n FROM user_counts')).rows[0].n).toBe(0)
      expect(await schemaOf(c)).toEqual(schema)
      // ...and the same database then takes the copy.
      await copyToPostgres(t.engine.db, store)
      await expectSameRows(t.engine.db, c)
    } finally {
      await c.end()
    }
  })

  it('refuses, in one sentence, a role that does not own the tables (it could not pause their triggers)', async () => {
    await organisation()
    const owner = await openPostgresStore({ url: target.url })
    await owner.close()
    const role = `copier_${process.pid}`
    const c = await pgClient()
    try {
      await c.query(`CREATE ROLE ${role} LOGIN`)
      await c.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${role}`)
      await c.query(`GRANT ALL ON ALL TABLES IN SCHEMA public TO ${role}`)
      const url = new URL(target.url)
      url.username = role
      store = await openPostgresStore({ url: url.toString() })
      await expect(copyToPostgres(t.engine.db, store)).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/^This PostgreSQL role does not own Tessera's tables: run the copy as the role that created them/) })
      expect(Object.values(await rowCounts(c)).every((n) => n === 0)).toBe(true)
    } finally {
      await store?.close()
      store = null
      await c.query(`DROP OWNED BY ${role}`).catch(() => {})
      await c.query(`DROP ROLE IF EXISTS ${role}`).catch(() => {})
      await c.end()
    }
  })

  it('copies a chain that was already broken on SQLite as it was, and says so', async () => {
    await organisation()
    rmSync(join(t.dir, ANCHOR_FILE))
    const broken = await verifyAudit(t.engine.store, t.engine.sealer, t.engine.anchor)
    expect({ ...broken, problem: translator('en').sayText('problem' in broken ? broken.problem : '') }).toMatchObject({ ok: false, problem: expect.stringContaining('is missing') })
    store = await openPostgresStore({ url: target.url })
    const report = await copyDataDirectory(t.engine, store)
    expect(report.checks.at(-1)).toMatch(/^the audit chain was already broken on SQLite and is copied as it was: the anchor file audit-anchor\.json is missing/)
    const c = await pgClient()
    try {
      await expectSameRows(t.engine.db, c)
    } finally {
      await c.end()
    }
  })

  it('copies through a pool too, creating the schema in the empty database first', async () => {
    await organisation()
    const pool = new pg.Pool({ connectionString: target.url, max: 2 })
    const c = await pgClient()
    try {
      const report = await copyToPostgres(t.engine.db, pool)
      expect(translator('en').sayText(report.checks[0]!)).toMatch(/^row counts of 19 tables equal \([\d,]+ rows\)$/)
      await expectSameRows(t.engine.db, c)
      await expect(copyToPostgres(t.engine.db, pool)).rejects.toMatchObject({ code: 'DATABASE_NOT_EMPTY' })
    } finally {
      await c.end()
      await pool.end()
    }
  })
})

/** PostgreSQL's triggers and sequences work on from the copied rows as if they had been written there. */
async function expectPostgresCarriesOn(db: Db, c: pg.Client): Promise<void> {
  const maxId = (table: string) => Number((db.prepare(`SELECT max(id) AS n FROM ${table}`).get() as { n: number }).n)
  const now = Date.now()
  const added = await c.query("INSERT INTO users (username, email, display_name, role, created_at, updated_at) VALUES ('ada2', 'ada2@example.org', 'Ada Two', 'user', $1, $1) RETURNING id::int", [now])
  expect(added.rows[0].id).toBe(maxId('users') + 1)
  const code = await c.query("INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES ($1, 'h', $2) RETURNING id::int", [added.rows[0].id, now])
  expect(code.rows[0].id).toBe(maxId('recovery_codes') + 1)
  const request = await c.query("INSERT INTO reset_requests (user_id, created_at, workstation, to_all, status) VALUES ($1, $2, 'ws', 0, 'open') RETURNING id::int", [added.rows[0].id, now])
  expect(request.rows[0].id).toBe(maxId('reset_requests') + 1)
  await c.query("INSERT INTO second_factors (user_id, method, state, started_at) VALUES ($1, 'email', 'active', $2)", [added.rows[0].id, now])
  expect((await c.query('SELECT method, open_requests, status FROM users WHERE id = $1', [added.rows[0].id])).rows).toEqual([{ method: 'email', open_requests: 1, status: 2 }])
  const counted = await c.query("SELECT sum(n)::int AS n FROM user_counts WHERE role = 'user' AND status = 2")
  const before = (db.prepare("SELECT coalesce(sum(n), 0) AS n FROM user_counts WHERE role = 'user' AND status = 2").get() as { n: number }).n
  expect(counted.rows[0].n).toBe(before + 1)
}

describe('the command', () => {
  async function cli(args: string[]) {
    const out: string[] = []
    const err: string[] = []
    const code = await main(['--data-dir', t.dir, ...args], { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => '' })
    return { code, out, err }
  }

  it('copies, verifies and says so without the password; a second copy is refused in one line', async () => {
    await organisation()
    await t.engine.close()
    const passwordFile = join(t.dir, 'pg.pass')
    writeFileSync(passwordFile, 'not-needed-with-trust\n', { mode: 0o600 })
    const url = new URL(target.url)
    url.password = 'in-the-url'
    const first = await cli(['db', 'copy-to-postgres', '--database-url', target.url, '--database-password-file', passwordFile])
    expect(first.err.filter((l) => !l.startsWith('copying ') && !l.startsWith('building ') && !l.startsWith('checking ') && !l.startsWith('verifying '))).toEqual([])
    expect(first.code).toBe(0)
    const shown = target.url.replace(/\/$/, '')
    expect(first.out[0]).toMatch(new RegExp(`^copied 10 users, 10 passwords, 1 policy, 7 second factors, \\d+ recovery codes, 1 e-mail code, 2 e-mail codes sent, 1 access code, 1 enrolment link, 2 failure counters, 1 help-desk request, 3 request recipients, 2 hardware tokens, 1 security key, \\d+ audit rows, 1 audit checkpoint, 1 data key fingerprint to ${shown.replace(/[.]/g, '\\.')} in \\d+\\.\\d s$`))
    expect(first.out[1]).toMatch(/^verified: row counts of 19 tables equal .*; audit head = row \d+, the last row; .*the audit chain verifies on PostgreSQL/)
    const db = new Database(join(t.dir, 'tessera.db'), { readonly: true })
    const c = await pgClient()
    try {
      await expectSameRows(db, c)
      const again = await cli(['db', 'copy-to-postgres', '--database-url', target.url])
      expect(again).toMatchObject({ code: 1, out: [], err: [expect.stringMatching(/^error: The PostgreSQL database already holds Tessera data \(in users, /)] })
      await expectSameRows(db, c)
      // A password in the URL is refused before anything is opened, and never printed.
      const inUrl = await cli(['db', 'copy-to-postgres', '--database-url', url.toString()])
      expect(inUrl).toMatchObject({ code: 2, err: ['error: --database-url holds a password: put it in a file and name it with --database-password-file instead.', expect.any(String)] })
      expect([...inUrl.out, ...inUrl.err].join('\n')).not.toContain('in-the-url')
    } finally {
      db.close()
      await c.end()
    }
  })

  it('says in one line that an unreachable server cannot be reached, and checks its arguments before opening anything', async () => {
    await firstAdmin(t)
    await t.engine.close()
    const port = await freePort()
    expect(await cli(['db', 'copy-to-postgres', '--database-url', `postgres://tessera@127.0.0.1:${port}/tessera`])).toEqual({
      code: 1,
      out: [],
      err: [`error: cannot reach the PostgreSQL server of postgres://tessera@127.0.0.1:${port}/tessera`]
    })
    expect(await cli(['db', 'copy-to-postgres'])).toMatchObject({ code: 2, err: [expect.stringMatching(/^error: give the PostgreSQL database to copy into with --database-url/), expect.any(String)] })
    expect(await cli(['db', 'copy-to-postgres', '--database-url', 'mysql://x/y'])).toMatchObject({ code: 2 })
    expect(await cli(['db', 'copy-to-postgres', '--database-url', target.url, '--database-password-file', join(t.dir, 'missing')])).toMatchObject({ code: 2, err: [expect.stringContaining('no such file'), expect.any(String)] })
    const help = await cli(['db', 'copy-to-postgres', '--help'])
    expect(help.out.join('\n')).toMatch(/--database-password-file FILE/)
  })
})
