/**
 * Rule: each migration of this round, on each store, does what it says to a database that already
 * holds data, and PostgreSQL's numbered migrations bring a database from any earlier version to the
 * latest (the version recorded), under the lock that lets several seats start at once.
 */
import { join } from 'node:path'
import pg from 'pg'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { openDatabase } from '../../src/main/db/open'
import { MIGRATIONS } from '../../src/main/db/migrations'
import { migratePostgres } from '../../src/main/store/postgres/migrate'
import { POSTGRES_MIGRATIONS } from '../../src/main/store/postgres/migrations'
import { search } from '../../src/main/store/postgres/directory'
import { tempDir } from '../helpers/engine'
import { freshDatabase } from '../helpers/postgres'

const dirs: { remove(): void }[] = []
afterEach(() => dirs.splice(0).forEach((d) => d.remove()))
const dbFile = () => {
  const d = tempDir()
  dirs.push(d)
  return join(d.dir, 'tessera.db')
}
const upTo = (version: number) => MIGRATIONS.filter((m) => m.version <= version)
/** A pool of the test's own; dropping its database ends its idle connections, which is no failure. */
const poolOn = (url: string) => new pg.Pool({ connectionString: url }).on('error', () => {})

describe('SQLite migrations 11 to 19', () => {
  it('11 starts the audit head at the last row of an existing log', () => {
    const file = dbFile()
    const old = openDatabase(file, upTo(10))
    const add = old.prepare("INSERT INTO audit_log (id, at, event, details, prev_hash, hash, chain) VALUES (?, 0, 'x', '{}', ?, ?, 2)")
    add.run(1, '0', 'h1')
    add.run(2, 'h1', 'h2')
    old.close()
    const db = openDatabase(file)
    expect(db.prepare('SELECT one, id, hash FROM audit_head').all()).toEqual([{ one: 1, id: 2, hash: 'h2' }])
    db.close()
  })

  it('12 keeps sessions by the hash of their id, gone with their user', () => {
    const db = openDatabase(dbFile())
    db.prepare("INSERT INTO users (username, email, display_name, role, created_at, updated_at) VALUES ('a', 'a@x', 'A', 'user', 0, 0)").run()
    const put = db.prepare("INSERT INTO sessions (id_hash, user_id, stage, started_at, last_seen_at, logged_in_at, workstation) VALUES (?, 1, 'full', 0, 0, 0, 'k')")
    put.run('h')
    expect(() => put.run('h')).toThrow(/UNIQUE/)
    expect(() => db.prepare("INSERT INTO sessions (id_hash, user_id, stage, started_at, last_seen_at, logged_in_at, workstation) VALUES ('g', 1, 'half', 0, 0, 0, 'k')").run()).toThrow(/CHECK/)
    db.prepare('DELETE FROM users').run()
    expect(db.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 0 })
    db.close()
  })

  it('13 indexes the audit filters by lower-cased names', () => {
    const db = openDatabase(dbFile())
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT id FROM audit_log WHERE lower(actor) = lower(?) ORDER BY id DESC LIMIT 50').all('Ada') as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/INDEX audit_by_actor/)
    db.close()
  })

  it('14 holds one data key fingerprint', () => {
    const db = openDatabase(dbFile())
    db.prepare("INSERT INTO data_key_check (one, fingerprint, created_at) VALUES (1, 'f', 0)").run()
    expect(() => db.prepare("INSERT INTO data_key_check (one, fingerprint, created_at) VALUES (2, 'g', 0)").run()).toThrow(/CHECK/)
    db.close()
  })

  it('15 lets one job of a kind run at a time, and keeps a job\'s slices with it', () => {
    const db = openDatabase(dbFile())
    const job = db.prepare("INSERT INTO jobs (id, kind, state, workstation, started_at) VALUES (?, ?, ?, 'k', 0)")
    job.run('a', 'users-import', 'running')
    expect(() => job.run('b', 'users-import', 'running')).toThrow(/UNIQUE/)
    job.run('c', 'users-bulk', 'running')
    job.run('d', 'users-import', 'done')
    db.prepare("INSERT INTO job_ranges (job_id, first_id, last_id) VALUES ('a', 1, 10)").run()
    db.prepare("DELETE FROM jobs WHERE id = 'a'").run()
    expect(db.prepare('SELECT count(*) AS n FROM job_ranges').get()).toEqual({ n: 0 })
    db.close()
  })

  it('16 links accounts to the directory by a unique stable id, leaving existing accounts local', () => {
    const file = dbFile()
    const old = openDatabase(file, upTo(15))
    old.prepare("INSERT INTO users (username, email, display_name, role, created_at, updated_at) VALUES ('a', 'a@x', 'A', 'user', 0, 0)").run()
    old.close()
    const db = openDatabase(file)
    expect(db.prepare('SELECT external_id, disabled_by_directory FROM users').all()).toEqual([{ external_id: null, disabled_by_directory: 0 }])
    const add = db.prepare("INSERT INTO users (username, email, display_name, role, created_at, updated_at, external_id) VALUES (?, ?, 'B', 'user', 0, 0, ?)")
    add.run('b', 'b@x', 'guid-1')
    expect(() => add.run('c', 'c@x', 'guid-1')).toThrow(/UNIQUE/)
    add.run('d', 'd@x', null)
    db.close()
  })
})

describe('several methods per person (SQLite 17, PostgreSQL 10)', () => {
  const ADD_USER = "INSERT INTO users (username, email, display_name, role, created_at, updated_at) VALUES ('a', 'a@x', 'A', 'user', 0, 0)"
  const OLD_FACTOR = "INSERT INTO second_factors (user_id, method, state, secret, last_step, started_at, activated_at) VALUES (1, 'totp', 'active', x'00', 7, 5, 9)"

  it('SQLite: everyone keeps their one method, as their default; one setup at a time; apps named apart', () => {
    const file = dbFile()
    const old = openDatabase(file, upTo(16))
    old.prepare(ADD_USER).run()
    old.prepare(OLD_FACTOR).run()
    old.close()
    const db = openDatabase(file)
    expect(db.prepare('SELECT id, user_id, method, name, last_step, activated_at, last_used_at, preferred FROM second_factors').all()).toEqual([
      { id: 1, user_id: 1, method: 'totp', name: null, last_step: 7, activated_at: 9, last_used_at: 9, preferred: 0 }
    ])
    expect(db.prepare('SELECT method FROM users').get()).toEqual({ method: 'totp' })
    const add = db.prepare("INSERT INTO second_factors (user_id, method, name, state, secret, started_at, activated_at, last_used_at) VALUES (1, ?, ?, ?, x'00', 20, ?, ?)")
    add.run('email', null, 'active', 20, 20)
    expect(db.prepare('SELECT method FROM users').get()).toEqual({ method: 'email' })
    add.run('totp', 'tablet', 'scan', null, null)
    expect(() => add.run('webauthn', null, 'scan', null, null)).toThrow(/UNIQUE/)
    expect(() => add.run('email', null, 'active', 21, 21)).toThrow(/UNIQUE/)
    expect(() => add.run('totp', 'TABLET', 'active', 21, 21)).toThrow(/UNIQUE/)
    db.prepare('DELETE FROM second_factors WHERE method = ?').run('email')
    expect(db.prepare('SELECT method FROM users').get()).toEqual({ method: 'totp' })
    db.close()
  })

  it('PostgreSQL: the same, from version 9', async () => {
    const db = await freshDatabase(inject('postgresUrl'))
    const pool = poolOn(db.url)
    try {
      await migratePostgres(pool, POSTGRES_MIGRATIONS.filter((m) => m.version <= 9))
      await pool.query(ADD_USER.replace("VALUES ('a'", "VALUES ('a'"))
      await pool.query(OLD_FACTOR.replace("x'00'", "'\\x00'").replace('(1,', '((SELECT id FROM users),'))
      await migratePostgres(pool)
      expect((await pool.query('SELECT method, name, last_step, activated_at, last_used_at, preferred FROM second_factors')).rows).toEqual([
        { method: 'totp', name: null, last_step: '7', activated_at: '9', last_used_at: '9', preferred: 0 }
      ])
      const uid = (await pool.query('SELECT id, method FROM users')).rows[0] as { id: string; method: string }
      expect(uid.method).toBe('totp')
      const add = (method: string, name: string | null, state: string, at: number | null) =>
        pool.query("INSERT INTO second_factors (user_id, method, name, state, started_at, activated_at, last_used_at) VALUES ($1, $2, $3, $4, 20, $5, $5)", [uid.id, method, name, state, at])
      await add('email', null, 'active', 20)
      expect((await pool.query('SELECT method FROM users')).rows).toEqual([{ method: 'email' }])
      await add('webauthn', null, 'scan', null)
      await expect(add('email', null, 'active', 21)).rejects.toThrow(/second_factors_one_of_a_kind/)
      await expect(add('token', null, 'scan', null)).rejects.toThrow(/second_factors_one_setup/)
      await pool.query("DELETE FROM second_factors WHERE method = 'email'")
      expect((await pool.query('SELECT method FROM users')).rows).toEqual([{ method: 'totp' }])
    } finally {
      await pool.end()
      await db.drop()
    }
  })
})

describe('where a person comes from (SQLite 18, PostgreSQL 11)', () => {
  const ADD_USERS = `INSERT INTO users (username, email, display_name, role, created_at, updated_at, external_id) VALUES
    ('a', 'a@x', 'A', 'user', 0, 0, NULL), ('b', 'b@x', 'B', 'user', 0, 0, 'guid-b'), ('c', 'c@x', 'C', 'helpdesk', 0, 0, 'guid-c')`
  const COUNTS = 'SELECT role, source, sum(n) AS n FROM user_counts GROUP BY role, source HAVING sum(n) <> 0 ORDER BY role, source'
  const EXPECTED = [{ role: 'helpdesk', source: 1, n: 1 }, { role: 'user', source: 0, n: 1 }, { role: 'user', source: 1, n: 1 }]
  const LINKED = [{ role: 'helpdesk', source: 1, n: 1 }, { role: 'user', source: 1, n: 2 }]

  it('SQLite: existing accounts counted by source, and moved when one is linked', () => {
    const file = dbFile()
    const old = openDatabase(file, upTo(17))
    old.prepare(ADD_USERS).run()
    old.close()
    const db = openDatabase(file)
    expect(db.prepare('SELECT username, source FROM users ORDER BY username').all()).toEqual([{ username: 'a', source: 0 }, { username: 'b', source: 1 }, { username: 'c', source: 1 }])
    expect(db.prepare(COUNTS).all()).toEqual(EXPECTED)
    db.prepare("UPDATE users SET external_id = 'guid-a' WHERE username = 'a'").run()
    expect(db.prepare(COUNTS).all()).toEqual(LINKED)
    expect(db.prepare("EXPLAIN QUERY PLAN SELECT id FROM users WHERE source = 1 ORDER BY username, id LIMIT 5").all()).toEqual([expect.objectContaining({ detail: expect.stringContaining('users_by_source_username') })])
    db.close()
  })

  it('PostgreSQL: the same, from version 10', async () => {
    const db = await freshDatabase(inject('postgresUrl'))
    const pool = poolOn(db.url)
    try {
      await migratePostgres(pool, POSTGRES_MIGRATIONS.filter((m) => m.version <= 10))
      await pool.query(ADD_USERS)
      await migratePostgres(pool)
      const counts = async () => (await pool.query(COUNTS)).rows.map((r: { role: string; source: number; n: string }) => ({ ...r, n: Number(r.n) }))
      expect((await pool.query('SELECT username, source FROM users ORDER BY username')).rows).toEqual([{ username: 'a', source: 0 }, { username: 'b', source: 1 }, { username: 'c', source: 1 }])
      expect(await counts()).toEqual(EXPECTED)
      await pool.query("UPDATE users SET external_id = 'guid-a' WHERE username = 'a'")
      expect(await counts()).toEqual(LINKED)
      await pool.query("DELETE FROM users WHERE username = 'c'")
      expect(await counts()).toEqual([{ role: 'user', source: 1, n: 2 }])
    } finally {
      await pool.end()
      await db.drop()
    }
  })
})

describe('the language a person reads Tessera in (SQLite 19, PostgreSQL 12)', () => {
  const ADD_USER = "INSERT INTO users (username, email, display_name, role, created_at, updated_at) VALUES ('a', 'a@x', 'A', 'user', 0, 0)"

  it('SQLite: none for existing accounts, one of the four, nothing else', () => {
    const file = dbFile()
    const old = openDatabase(file, upTo(18))
    old.prepare(ADD_USER).run()
    old.close()
    const db = openDatabase(file)
    expect(db.prepare('SELECT language FROM users').get()).toEqual({ language: null })
    db.prepare("UPDATE users SET language = 'ko'").run()
    expect(() => db.prepare("UPDATE users SET language = 'fr'").run()).toThrow(/CHECK/)
    db.close()
  })

  it('PostgreSQL: the same, from version 11', async () => {
    const db = await freshDatabase(inject('postgresUrl'))
    const pool = poolOn(db.url)
    try {
      await migratePostgres(pool, POSTGRES_MIGRATIONS.filter((m) => m.version <= 11))
      await pool.query(ADD_USER)
      await migratePostgres(pool)
      expect((await pool.query('SELECT language FROM users')).rows).toEqual([{ language: null }])
      await pool.query("UPDATE users SET language = 'vi'")
      await expect(pool.query("UPDATE users SET language = 'fr'")).rejects.toThrow(/users_language_check/)
    } finally {
      await pool.end()
      await db.drop()
    }
  })
})

describe('PostgreSQL migrations', () => {
  it.each(POSTGRES_MIGRATIONS.map((m) => [m.version, m.name] as const))('bring a database at version %i (%s) to the latest, recording it', async (version) => {
    const db = await freshDatabase(inject('postgresUrl'))
    const pool = poolOn(db.url)
    try {
      expect(await migratePostgres(pool, POSTGRES_MIGRATIONS.filter((m) => m.version <= version))).toBe(version)
      expect(await migratePostgres(pool)).toBe(POSTGRES_MIGRATIONS.at(-1)!.version)
      const tables = (await pool.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).rows.map((r: { tablename: string }) => r.tablename)
      expect(tables).toEqual(expect.arrayContaining(['users', 'audit_log', 'audit_head', 'sessions', 'data_key_check', 'tessera_schema']))
      expect((await pool.query('SELECT version FROM tessera_schema')).rows).toEqual([{ version: POSTGRES_MIGRATIONS.at(-1)!.version }])
    } finally {
      await pool.end()
      await db.drop()
    }
  })

  it('8 and 9: one running job of a kind, and unique stable ids of the directory', async () => {
    const db = await freshDatabase(inject('postgresUrl'))
    const pool = poolOn(db.url)
    try {
      await migratePostgres(pool)
      const job = (id: string, kind: string) => pool.query("INSERT INTO jobs (id, kind, state, workstation, started_at) VALUES ($1, $2, 'running', 'k', 0)", [id, kind])
      await job('a', 'users-import')
      await expect(job('b', 'users-import')).rejects.toThrow(/jobs_one_running/)
      await job('c', 'directory-sync')
      const user = (name: string, id: string | null) => pool.query("INSERT INTO users (username, email, display_name, role, created_at, updated_at, external_id) VALUES ($1, $2, 'U', 'user', 0, 0, $3)", [name, `${name}@x`, id])
      await user('a', 'guid-1')
      await expect(user('b', 'guid-1')).rejects.toThrow(/users_external_id/)
      await user('c', null)
      await user('d', null)
    } finally {
      await pool.end()
      await db.drop()
    }
  })

  it('13: a search of 1 or 2 characters is a range of the prefix indexes, not a read of the table', async () => {
    const db = await freshDatabase(inject('postgresUrl'))
    const pool = poolOn(db.url)
    try {
      await migratePostgres(pool)
      await pool.query(`INSERT INTO users (username, email, display_name, role, created_at, updated_at)
        SELECT 'person' || i, 'person' || i || '@example.org', 'Person ' || i, 'user', 0, 0 FROM generate_series(1, 50000) AS i`)
      await pool.query("INSERT INTO users (username, email, display_name, role, created_at, updated_at) VALUES ('zquartz', 'zq@example.org', 'Zoe Quartz', 'user', 0, 0)")
      await pool.query('ANALYZE users')
      // The search's own statement (store/postgres/directory), its ? as $1, $2...
      const { sql, params } = search('zq', 2000).candidates([])
      const numbered = sql.replace(/\?/g, ((n) => () => `$${++n}`)(0))
      const plan = (await pool.query(`EXPLAIN ${numbered}`, params)).rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n')
      for (const index of ['users_prefix_name', 'users_prefix_username', 'users_prefix_email']) expect(plan).toContain(index)
      expect(plan).not.toMatch(/Seq Scan on users/)
      expect((await pool.query(numbered, params)).rows).toHaveLength(1)
    } finally {
      await pool.end()
      await db.drop()
    }
  })

  it('migrate once when several seats start on an empty database at the same moment', async () => {
    const db = await freshDatabase(inject('postgresUrl'))
    const pools = Array.from({ length: 4 }, () => poolOn(db.url))
    try {
      const versions = await Promise.all(pools.map((p) => migratePostgres(p)))
      expect(new Set(versions)).toEqual(new Set([POSTGRES_MIGRATIONS.at(-1)!.version]))
    } finally {
      await Promise.all(pools.map((p) => p.end()))
      await db.drop()
    }
  })
})
