/**
 * What only the PostgreSQL store has to get right: a serialisation failure or deadlock runs the
 * transaction again, a database from a newer Tessera is refused untouched, and a server that goes
 * away mid-run gives a clear code while it is gone and works again, with the same store, when it
 * is back (no acknowledged write lost).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import pg from 'pg'
import { openStore, type Store } from '../../src/main/store'
import { numberParameters } from '../../src/main/store/postgres/sql'
import { freshDatabase, startPostgres, stopAndRemove, type TestPostgres } from '../helpers/postgres'

describe('the PostgreSQL store', () => {
  it('numbers the portable ? parameters, leaving literals, identifiers, dollar bodies and comments alone', () => {
    expect(numberParameters("SELECT ? , '?', \"a?\", $$ ? $$, $f$?$f$ -- ?\n, ? /* ? */ , 'it''s ?', ?")).toBe(
      "SELECT $1 , '?', \"a?\", $$ ? $$, $f$?$f$ -- ?\n, $2 /* ? */ , 'it''s ?', $3"
    )
  })

  it('runs a transaction again after a serialisation failure, and gives up on other errors', async () => {
    const db = await freshDatabase(inject('postgresUrl'))
    const store = await openStore({ databaseUrl: db.url })
    let tries = 0
    const out = await store.transaction(async () => {
      tries += 1
      if (tries < 3) await store.run("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$")
      return tries
    })
    expect(out).toBe(3)
    tries = 0
    await expect(store.transaction(async () => (tries++, store.run('SELECT no_such_column FROM users')))).rejects.toThrow(/no_such_column/)
    expect(tries).toBe(1)
    await store.close()
    await db.drop()
  })

  it('refuses a database whose schema is newer than this Tessera, and changes nothing', async () => {
    const db = await freshDatabase(inject('postgresUrl'))
    await (await openStore({ databaseUrl: db.url })).close()
    const c = new pg.Client({ connectionString: db.url })
    await c.connect()
    await c.query('UPDATE tessera_schema SET version = 999')
    await expect(openStore({ databaseUrl: db.url })).rejects.toMatchObject({ code: 'DATABASE_TOO_NEW', message: expect.stringMatching(/version 999.*Update Tessera/) })
    expect((await c.query('SELECT version FROM tessera_schema')).rows).toEqual([{ version: 999 }])
    await c.end()
    await db.drop()
  })

  it('says DATABASE_UNAVAILABLE when the server is down at start, in one line', async () => {
    const server = await startPostgres()
    server.stop()
    await expect(openStore({ databaseUrl: server.url })).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE', message: expect.not.stringContaining('\n') })
    stopAndRemove({ ...server, stop: () => {} })
  })

  describe('when the server restarts mid-run', () => {
    let server: TestPostgres
    let store: Store
    beforeAll(async () => {
      server = await startPostgres()
      store = await openStore({ databaseUrl: server.url })
    })
    afterAll(async () => {
      await store.close()
      stopAndRemove(server)
    })

    it('fails calls with DATABASE_UNAVAILABLE while it is gone and works again when it is back, keeping every acknowledged write', async () => {
      const add = (name: string) =>
        store.run("INSERT INTO users (username, email, display_name, role, created_at, updated_at) VALUES (?, ?, ?, 'user', 0, 0)", [name, `${name}@example.org`, name])
      await add('before')
      await store.transaction(async () => void (await store.run("UPDATE users SET display_name = 'committed' WHERE username = 'before'")))
      server.stop()
      await expect(add('during')).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE' })
      await expect(store.transaction(async () => store.get('SELECT 1'))).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE' })
      server.start()
      await add('after')
      expect(await store.all('SELECT username, display_name FROM users ORDER BY id')).toEqual([
        { username: 'before', display_name: 'committed' },
        { username: 'after', display_name: 'after' }
      ])
    })
  })
})
