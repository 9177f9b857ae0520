/**
 * The benchmark's data (bench/scale.ts): USERS users in every state and the audit log up to
 * AUDIT rows, the same shape on both databases.
 *
 * - SQLite: through the engine's own paths, the CSV import (one audit row per user, timed: the
 *   import target) and the audit writer.
 * - PostgreSQL: the users written directly (one INSERT ... SELECT over generate_series, the rows
 *   the import would create, ids in line order), their `user.created` rows as the import words
 *   them, through the engine's audit writer (chained and signed with the data key; one unnest
 *   INSERT per 5,000 rows); the other indexes of users and audit_log dropped meanwhile and built
 *   again after, then VACUUM ANALYZE.
 *
 * Then on both, through the engine's services: users in every state (enrolled, with an open
 * request, must set up, postponed, disabled, wrong passwords; on PostgreSQL the requests to all
 * staff written directly, see `fileRequestDirectly`) and the rest of the audit log as a year of
 * logins would leave it.
 */
import { performance } from 'node:perf_hooks'
import type { AuditEntry } from '../src/main/core/audit'
import type { Engine } from '../src/main/core/engine'
import { unattended } from '../src/main/core/jobs'
import { totpAt } from '../src/main/core/two-factor/totp'
import type { UserRow } from '../src/main/db/queries/users'
import type { Store } from '../src/main/store'
import { ADMIN, ms } from './scale-flows'
import { FIRST_NAMES, LAST_NAMES, usersCsv } from './users-csv'

const secs = (t0: number) => `${(ms(t0) / 1000).toFixed(1)} s`

/** SQLite: the users through the engine's CSV import; returns the import's time in ms. */
export async function importUsers(engine: Engine, users: number): Promise<number> {
  const t0 = performance.now()
  const admin = await engine.accounts.createFirstAdmin(ADMIN)
  const report = await engine.directory.importFrom(admin, { text: usersCsv(users) }, 'bench', unattended())
  if (!report.ok) throw new Error(`import refused: ${JSON.stringify(report.refused[0])}`)
  console.log(`built: imported ${users.toLocaleString('en')} users through the engine in ${secs(t0)}`)
  return ms(t0)
}

/** Users in every state (the first 2,000 users), through the engine's own services but where noted. */
export async function fillStates(engine: Engine, users: number): Promise<void> {
  const t0 = performance.now()
  const parts: string[] = []
  const step = async (name: string, work: () => Promise<void>) => {
    const t = performance.now()
    await work()
    parts.push(`${name} ${secs(t)}`)
  }
  const store = engine.store
  const user = async (i: number) => (await store.get<UserRow>('SELECT * FROM users WHERE username = ?', [`user${i}`]))!
  await step('authenticator apps', async () => {
    for (let i = 1; i < Math.min(users, 2_000); i += 7) {
      const u = await user(i)
      const enrol = await engine.twoFactor.startEnrolment(u, 'totp', 'bench')
      if (enrol.step === 'scan') {
        const secret = new URL(enrol.uri).searchParams.get('secret')!
        await engine.twoFactor.confirmEnrolment(u, totpAt(secret, Date.now()), 'bench')
        await engine.twoFactor.completeEnrolment(u, 'bench')
      }
    }
  })
  await step('requests', async () => {
    for (let i = 3; i < Math.min(users, 2_000); i += 50) {
      if (store.kind === 'postgres') await fileRequestDirectly(engine, await user(i))
      else await engine.helpdesk.fileRequest(await user(i), 'all', 'lost my phone', 'kiosk-1')
    }
  })
  await step('flags', () => setFlags(store))
  await step('wrong passwords', async () => {
    for (let i = 5; i < Math.min(users, 400); i += 40) for (let k = 0; k < 6; k++) await engine.auth.login(`user${i}`, 'wrong password guess', 'kiosk-2').catch(() => undefined)
  })
  console.log(`built: users in every state in ${secs(t0)} (${parts.join(', ')})`)
}

/**
 * PostgreSQL-only: what `helpdesk.fileRequest(requester, 'all', 'lost my phone', 'kiosk-1')`
 * writes, in a few statements: the request, its recipients (every enabled staff member but the
 * requester, 20,001 at 1,000,000 users) in one INSERT ... SELECT with their count set once, and its
 * audit row. The engine inserts, then reads, each recipient in a statement of its own (about 15 s
 * a request on PostgreSQL); the staff's notification e-mails, which write nothing to the database,
 * are left out.
 */
async function fileRequestDirectly(engine: Engine, requester: UserRow): Promise<void> {
  const store = engine.store
  await store.transaction(async () => {
    const { id } = (await store.get<{ id: number }>(
      "INSERT INTO reset_requests (user_id, kind, created_at, workstation, message, to_all, status) VALUES (?, 'lost-device', ?, 'kiosk-1', 'lost my phone', 1, 'open') RETURNING id",
      [requester.id, Date.now()]
    ))!
    // The per-row trigger counting recipients updates the same request row once per recipient, each
    // update slower than the last within one transaction (8 s for 20,000): held back, the count set once.
    const counted = await store.get("SELECT 1 FROM pg_trigger WHERE tgname = 'recipient_count' AND tgrelid = 'reset_request_recipients'::regclass")
    if (counted) await store.run('ALTER TABLE reset_request_recipients DISABLE TRIGGER recipient_count')
    await store.run("INSERT INTO reset_request_recipients (request_id, user_id) SELECT ?, id FROM users WHERE role IN ('admin', 'helpdesk') AND disabled = 0 AND id <> ? ORDER BY role, display_name", [id, requester.id])
    if (counted) await store.run('ALTER TABLE reset_request_recipients ENABLE TRIGGER recipient_count')
    await store.run('UPDATE reset_requests SET recipient_count = (SELECT count(*) FROM reset_request_recipients WHERE request_id = ?) WHERE id = ?', [id, id])
    await engine.audit.record({ event: 'lost-device.requested', subject: { id: requester.id, username: requester.username }, workstation: 'kiosk-1', details: { request: id, to: 'all' } })
  })
}

/**
 * Must set up, postponed, disabled: in slices of 10,000 ids (the same rows as one UPDATE each). On
 * PostgreSQL a statement's count trigger (migration 004) joins its old and new rows: one UPDATE of
 * 90,000 users took 8 minutes there, a slice of them milliseconds.
 */
async function setFlags(store: Store): Promise<void> {
  const last = (await store.get<{ id: number }>('SELECT max(id) AS id FROM users'))!.id
  for (const set of ['must_enrol = 1 WHERE id % 11 = 0', 'postponements_used = 1 WHERE id % 13 = 0', 'disabled = 1 WHERE id % 101 = 0']) {
    for (let from = 0; from <= last; from += 10_000) await store.run(`UPDATE users SET ${set} AND role = 'user' AND id >= ? AND id < ?`, [from, from + 10_000])
  }
}

/** The rest of the audit log up to `upTo` rows, from the engine's audit writer, as a year of logins would leave it. */
export async function fillAudit(engine: Engine, users: number, upTo: number): Promise<void> {
  const t0 = performance.now()
  const have = (await engine.store.get<{ n: number }>('SELECT count(*) AS n FROM audit_log'))!.n
  const events = ['login', 'login.password-failed', 'login.second-factor-failed', 'logout', 'session.expired']
  for (let done = have; done < upTo; ) {
    const n = Math.min(10_000, upTo - done)
    await engine.store.transaction(() =>
      engine.audit.recordMany(Array.from({ length: n }, (_, k) => {
        const i = (done + k) % users
        return { event: events[(done + k) % events.length] as AuditEntry['event'], subject: { id: i + 2, username: `user${i}` }, workstation: `kiosk-${i % 40}`, details: { method: 'totp' } }
      }))
    )
    done += n
  }
  console.log(`built: audit log to ${upTo.toLocaleString('en')} rows in ${secs(t0)}`)
}

/**
 * PostgreSQL-only: the users a CSV import of `users` rows creates (ids 2.. in line order, after the
 * administrator), in one statement (the schema's triggers keep the counts per role and status).
 */
async function insertUsers(store: Store, users: number): Promise<void> {
  const now = Date.now()
  await store.transaction(async () => {
    await store.run(
      `INSERT INTO users (id, username, email, display_name, role, created_at, updated_at)
       SELECT i + 2, 'user' || i, 'user' || i || '@example.org', (?::text[])[i % 10 + 1] || ' ' || (?::text[])[(i / 10) % 10 + 1] || ' ' || i,
              CASE WHEN i % 50 = 0 THEN 'helpdesk' ELSE 'user' END, ?, ?
       FROM generate_series(0, ? - 1) AS i ORDER BY i`,
      [FIRST_NAMES, LAST_NAMES, now, now, users]
    )
    await store.run("SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))")
  })
}

/** PostgreSQL-only: the `user.created` rows the import writes, one per user, in line order. */
async function userCreatedRows(engine: Engine, users: number): Promise<void> {
  const actor = { id: 1, username: ADMIN.username }
  for (let done = 0; done < users; ) {
    const n = Math.min(20_000, users - done)
    await engine.store.transaction(() =>
      engine.audit.recordMany(Array.from({ length: n }, (_, k) => {
        const i = done + k
        const role = i % 50 === 0 ? 'helpdesk' : 'user'
        return { event: 'user.created', actor, subject: { id: i + 2, username: `user${i}` }, workstation: 'bench', details: { role, via: 'import', line: i + 2 } }
      }))
    )
    done += n
  }
}

/** PostgreSQL-only: `work` with the tables' indexes other than their keys dropped, built again after. */
async function withoutIndexes(store: Store, tables: string[], work: () => Promise<void>): Promise<void> {
  const defs = await store.all<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN (${tables.map(() => '?').join(', ')})
       AND indexname NOT IN (SELECT conname FROM pg_constraint)`,
    tables
  )
  for (const d of defs) await store.run(`DROP INDEX ${d.name}`)
  await work()
  const t0 = performance.now()
  for (const d of defs) {
    await store.transaction(async () => {
      await store.run("SET LOCAL maintenance_work_mem = '1GB'")
      await store.run(d.def)
    })
  }
  console.log(`built: ${defs.length} indexes of ${tables.join(', ')} in ${secs(t0)}`)
}

/** PostgreSQL: the whole data set into the (new, empty) database `engine` is open on. */
export async function buildPostgres(engine: Engine, users: number, audit: number): Promise<void> {
  await engine.accounts.createFirstAdmin(ADMIN)
  await withoutIndexes(engine.store, ['users', 'audit_log'], async () => {
    let t0 = performance.now()
    await insertUsers(engine.store, users)
    console.log(`built: ${users.toLocaleString('en')} users written directly (INSERT ... SELECT generate_series) in ${secs(t0)}`)
    t0 = performance.now()
    await userCreatedRows(engine, users)
    console.log(`built: their ${users.toLocaleString('en')} user.created audit rows through the engine's audit writer in ${secs(t0)}`)
  })
  await engine.store.run('ANALYZE')
  await fillStates(engine, users)
  await withoutIndexes(engine.store, ['audit_log'], () => fillAudit(engine, users, audit))
  const t0 = performance.now()
  await engine.store.run('VACUUM (ANALYZE)')
  console.log(`built: VACUUM ANALYZE in ${secs(t0)}`)
}
