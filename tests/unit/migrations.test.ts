/**
 * Rule: migrations run in order inside one transaction at start; a database is either at the
 * latest version or untouched, and a database from a newer Tessera is refused without a change.
 */
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { LATEST_VERSION, openDatabase, schemaVersion } from '../../src/main/db/open'
import { MIGRATIONS } from '../../src/main/db/migrations'
import type { Migration } from '../../src/main/db/migrations/types'
import { tempDir } from '../helpers/engine'

const dirs: Array<{ remove(): void }> = []
function dbFile(): string {
  const d = tempDir()
  dirs.push(d)
  return join(d.dir, 'tessera.db')
}
afterEach(() => dirs.splice(0).forEach((d) => d.remove()))

describe('migrations', () => {
  it('are numbered 1..n without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_m, i) => i + 1))
  })

  it('bring a new database to the latest version with WAL, foreign keys and STRICT tables', () => {
    const db = openDatabase(dbFile())
    expect(schemaVersion(db)).toBe(LATEST_VERSION)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    const tables = db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%' AND type = 'table' AND name NOT LIKE 'users_fts%'").all() as Array<{ name: string; strict: number }>
    expect(tables.length).toBeGreaterThan(0)
    for (const t of tables) expect(t, t.name).toMatchObject({ strict: 1 })
    db.close()
  })

  it('are idempotent: reopening changes nothing', () => {
    const file = dbFile()
    openDatabase(file).close()
    const db = openDatabase(file)
    expect(schemaVersion(db)).toBe(LATEST_VERSION)
    db.close()
  })

  it('roll back entirely when one of them fails', () => {
    const file = dbFile()
    const failing: Migration[] = [
      ...MIGRATIONS,
      { version: LATEST_VERSION + 1, name: 'creates then fails', up: (db) => { db.exec('CREATE TABLE half (x INTEGER) STRICT'); throw new Error('boom') } }
    ]
    expect(() => openDatabase(file, failing)).toThrow('boom')
    const raw = new Database(file)
    expect(raw.pragma('user_version', { simple: true })).toBe(0)
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([])
    raw.close()
  })

  it('refuse a database written by a newer version and leave it as it was', () => {
    const file = dbFile()
    const raw = new Database(file)
    raw.pragma(`user_version = ${LATEST_VERSION + 5}`)
    raw.close()
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'DATABASE_TOO_NEW' }))
    const after = new Database(file)
    expect(after.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 5)
    expect(after.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get()).toEqual({ n: 0 })
    after.close()
  })

  it('migration 1 enforces unique usernames and e-mails regardless of case, and valid roles', () => {
    const db = openDatabase(dbFile())
    const insert = db.prepare('INSERT INTO users (username, email, display_name, role, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)')
    insert.run('alice', 'alice@example.org', 'Alice', 'user')
    expect(() => insert.run('ALICE', 'other@example.org', 'A', 'user')).toThrow(/UNIQUE/)
    expect(() => insert.run('bob', 'Alice@Example.org', 'B', 'user')).toThrow(/UNIQUE/)
    expect(() => insert.run('carol', 'carol@example.org', 'C', 'root')).toThrow(/CHECK/)
    db.close()
  })

  it('migration 2 upgrades a version-1 database with its users, and keeps one live e-mail code per user', () => {
    const file = dbFile()
    openDatabase(file, MIGRATIONS.slice(0, 1)).prepare("INSERT INTO users (username, email, display_name, role, created_at, updated_at) VALUES ('alice', 'a@example.org', 'Alice', 'user', 0, 0)").run()
    const db = openDatabase(file)
    expect(db.prepare('SELECT username, postponements_used, must_enrol, last_login_at FROM users').all()).toEqual([
      { username: 'alice', postponements_used: 0, must_enrol: 0, last_login_at: null }
    ])
    const put = db.prepare("INSERT INTO email_codes (user_id, purpose, code_hash, sent_at, expires_at) VALUES (1, 'login', 'h', 0, 1)")
    put.run()
    expect(() => put.run()).toThrow(/UNIQUE|PRIMARY KEY/)
    expect(() => db.prepare("INSERT INTO second_factors (user_id, method, state, started_at) VALUES (1, 'totp', 'scan', 0)").run()).toThrow(/CHECK/)
    db.close()
  })

  it('migration 2 makes the audit log append-only', () => {
    const db = openDatabase(dbFile())
    db.prepare("INSERT INTO audit_log (at, event, details, prev_hash, hash) VALUES (0, 'x', '{}', '0', '1')").run()
    expect(() => db.prepare("UPDATE audit_log SET event = 'y'").run()).toThrow(/append-only/)
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/)
    db.close()
  })

  it('migration 3 gives the directory its indexes', () => {
    const db = openDatabase(dbFile())
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM users ORDER BY display_name COLLATE NOCASE, id LIMIT 100").all() as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX users_by_display_name/)
    db.close()
  })
})
