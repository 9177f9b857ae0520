/**
 * The storage interface, one contract for both stores: the same portable SQL gives the same
 * answers on SQLite and PostgreSQL, a transaction is all or nothing, concurrent transactions never
 * lose an update, and the schemas keep the same mirrors (method, lock, requests, status, counts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DomainError } from '../../src/main/core/domain-error'
import { openStore, type Store } from '../../src/main/store'
import { STORE_KINDS, storeTarget, testStore, type TestStore } from '../helpers/stores'

const NOW = Date.UTC(2026, 11, 2, 9, 0, 0)

async function addUser(s: Store, username: string, role = 'user'): Promise<number> {
  const row = await s.get<{ id: number }>(
    'INSERT INTO users (username, email, display_name, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
    [username, `${username}@example.org`, username, role, NOW, NOW]
  )
  return row!.id
}

const counts = (s: Store) => s.all<{ role: string; status: number; n: number }>('SELECT role, status, sum(n) AS n FROM user_counts GROUP BY role, status HAVING sum(n) > 0 ORDER BY role, status')

describe.each(STORE_KINDS)('the %s store', (kind) => {
  let t: TestStore
  beforeEach(async () => void (t = await testStore(kind)))
  afterEach(() => t.dispose())

  it('binds every kind of parameter and returns numbers, text, null and bytes as they went in', async () => {
    const id = await addUser(t.store, 'grace')
    const sealed = Buffer.from([0, 1, 2, 255])
    await t.store.run("INSERT INTO second_factors (user_id, method, state, secret, started_at) VALUES (?, 'totp', 'scan', ?, ?)", [id, sealed, NOW])
    const row = await t.store.get<{ user_id: number; secret: Buffer; started_at: number; activated_at: null; q: string }>(
      "SELECT user_id, secret, started_at, activated_at, 'what? it''s here?' AS q FROM second_factors WHERE user_id = ?",
      [id]
    )
    expect(row).toEqual({ user_id: id, secret: sealed, started_at: NOW, activated_at: null, q: "what? it's here?" })
    expect(Buffer.isBuffer(row!.secret)).toBe(true)
    expect(await t.store.get('SELECT 1 AS one FROM users WHERE username = ? AND disabled = ?', ['grace', false])).toEqual({ one: 1 })
    expect(await t.store.get('SELECT id FROM users WHERE username = ?', ['nobody'])).toBeUndefined()
  })

  it('compares usernames and e-mail addresses without regard to case, and keeps them unique so', async () => {
    const id = await addUser(t.store, 'Grace')
    expect((await t.store.get<{ id: number }>('SELECT id FROM users WHERE username = ? OR email = ?', ['GRACE', 'nobody']))?.id).toBe(id)
    await expect(addUser(t.store, 'grace')).rejects.toThrow()
    expect(await t.store.all('SELECT username FROM users')).toEqual([{ username: 'Grace' }])
  })

  it('commits a transaction that returns and leaves nothing of one that throws', async () => {
    const out = await t.store.transaction(async () => {
      await t.store.run("INSERT INTO users (username, email, display_name, role, created_at, updated_at) VALUES ('ada', 'ada@example.org', 'Ada', 'admin', ?, ?)", [NOW, NOW])
      return 'done'
    })
    expect(out).toBe('done')
    await expect(
      t.store.transaction(async () => {
        await t.store.run("UPDATE users SET display_name = 'changed' WHERE username = 'ada'")
        throw new DomainError('NOT_FOUND')
      })
    ).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(await t.store.get('SELECT display_name FROM users')).toEqual({ display_name: 'Ada' })
  })

  it('joins every call, and a transaction begun inside, to the transaction whose body makes it', async () => {
    const id = await addUser(t.store, 'grace')
    const rename = async (name: string) => t.store.transaction(async () => void (await t.store.run('UPDATE users SET display_name = ? WHERE id = ?', [name, id])))
    await expect(
      t.store.transaction(async () => {
        expect(t.store.inTransaction).toBe(true)
        await rename('inner')
        expect(await t.store.get('SELECT display_name FROM users WHERE id = ?', [id])).toEqual({ display_name: 'inner' })
        throw new DomainError('CANCELLED')
      })
    ).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(t.store.inTransaction).toBe(false)
    expect(await t.store.get('SELECT display_name FROM users WHERE id = ?', [id])).toEqual({ display_name: 'grace' })
  })

  it('keeps a transaction’s writes from other callers until it commits, and runs work it started later outside it', async () => {
    const id = await addUser(t.store, 'grace')
    let later: Promise<unknown> = Promise.resolve()
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    let committed!: () => void
    const afterCommit = new Promise<void>((r) => (committed = r))
    const writer = t.store.transaction(async () => {
      await t.store.run("UPDATE users SET display_name = 'uncommitted' WHERE id = ?", [id])
      later = afterCommit.then(() => t.store.get('SELECT display_name FROM users WHERE id = ?', [id]))
      await held
    })
    await new Promise((r) => setTimeout(r, 50)) // the writer has begun and written
    const reader = t.store.get<{ display_name: string }>('SELECT display_name FROM users WHERE id = ?', [id])
    // PostgreSQL's reader reads the last committed row at once; SQLite's waits for the connection.
    if (kind === 'postgres') expect((await reader)!.display_name).toBe('grace')
    release()
    await writer
    committed()
    if (kind === 'sqlite') expect((await reader)!.display_name).toBe('uncommitted')
    expect(await later).toEqual({ display_name: 'uncommitted' })
  })

  it('loses no update when 30 transactions read and write one row at once', async () => {
    const id = await addUser(t.store, 'grace')
    await Promise.all(
      Array.from({ length: 30 }, () =>
        t.store.transaction(async () => {
          const r = await t.store.get<{ postponements_used: number }>(`SELECT postponements_used FROM users WHERE id = ?${t.store.forUpdate}`, [id])
          await t.store.run('UPDATE users SET postponements_used = ? WHERE id = ?', [r!.postponements_used + 1, id])
        })
      )
    )
    expect(await t.store.get('SELECT postponements_used FROM users WHERE id = ?', [id])).toEqual({ postponements_used: 30 })
  })

  it('keeps a user’s method, lock, open requests, status and the counts per role and status in step', async () => {
    const a = await addUser(t.store, 'a')
    const b = await addUser(t.store, 'b', 'helpdesk')
    expect(await counts(t.store)).toEqual([{ role: 'helpdesk', status: 6, n: 1 }, { role: 'user', status: 6, n: 1 }])
    await t.store.run("INSERT INTO second_factors (user_id, method, state, started_at, activated_at) VALUES (?, 'email', 'active', ?, ?)", [a, NOW, NOW])
    const status = async (id: number) => (await t.store.get<{ status: number; method: string | null; locked_until: number | null; open_requests: number }>('SELECT status, method, locked_until, open_requests FROM users WHERE id = ?', [id]))!
    expect(await status(a)).toEqual({ status: 3, method: 'email', locked_until: null, open_requests: 0 })
    await t.store.run("INSERT INTO failure_counters (scope, subject, factor, locked_until) VALUES ('account', ?, 'password', ?)", [String(a), NOW + 60_000])
    await t.store.run("INSERT INTO failure_counters (scope, subject, factor, locked_until) VALUES ('account', ?, 'password', ?)", [`name:${a}x`, NOW + 60_000])
    expect(await status(a)).toMatchObject({ status: 1, locked_until: NOW + 60_000 })
    await t.store.run("INSERT INTO reset_requests (user_id, created_at, workstation, to_all, status) VALUES (?, ?, 'kiosk-1', 1, 'open')", [b, NOW])
    expect(await status(b)).toMatchObject({ status: 2, open_requests: 1 })
    await t.store.run("DELETE FROM failure_counters WHERE subject = ?", [String(a)])
    await t.store.run("UPDATE reset_requests SET status = 'rejected'")
    expect(await status(a)).toMatchObject({ status: 3, locked_until: null })
    expect(await status(b)).toMatchObject({ status: 6, open_requests: 0 })
    await t.store.run('DELETE FROM second_factors')
    await t.store.run("UPDATE users SET role = 'admin' WHERE id = ?", [b])
    expect(await counts(t.store)).toEqual([{ role: 'admin', status: 6, n: 1 }, { role: 'user', status: 6, n: 1 }])
  })

  it('keeps the audit log append-only', async () => {
    await t.store.run("INSERT INTO audit_log (id, at, event, details, prev_hash, hash, chain) VALUES (1, ?, 'x', '{}', '0', 'h', 2)", [NOW])
    await expect(t.store.run("UPDATE audit_log SET event = 'y'")).rejects.toThrow(/append-only/)
    await expect(t.store.run('DELETE FROM audit_log')).rejects.toThrow(/append-only/)
  })

  it('opens an existing database again without changing it, from two seats starting at once', async () => {
    const place = await storeTarget(kind)
    const [one, two] = await Promise.all([openStore(place.target), openStore(place.target)])
    await addUser(one, 'grace')
    expect(await two.get('SELECT username FROM users')).toEqual({ username: 'grace' })
    await one.close()
    await two.close()
    const again = await openStore(place.target)
    expect(await again.get('SELECT count(*) AS n FROM users')).toEqual({ n: 1 })
    await again.close()
    await place.remove()
  })
})
