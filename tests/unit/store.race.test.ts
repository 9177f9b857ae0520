/**
 * Rule: a guarantee made by the database holds across processes, not only across promises. Several
 * processes on one database (a SQLite file, or a PostgreSQL database) race: a single-use row
 * consumed by a conditional update is won exactly once, and a read-then-write on one row locked by
 * `forUpdate` loses no increment.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore } from '../../src/main/store'
import { runChild } from '../helpers/children/spawn'
import { STORE_KINDS, storeTarget } from '../helpers/stores'

const SEATS = 5

describe.each(STORE_KINDS)('processes racing on one %s database', (kind) => {
  let place: Awaited<ReturnType<typeof storeTarget>>
  let userId: number
  let codeId: number
  beforeEach(async () => {
    place = await storeTarget(kind)
    const store = await openStore(place.target)
    userId = (await store.get<{ id: number }>("INSERT INTO users (username, email, display_name, role, created_at, updated_at) VALUES ('grace', 'g@example.org', 'Grace', 'user', 0, 0) RETURNING id"))!.id
    codeId = (await store.get<{ id: number }>("INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, 'h', 0) RETURNING id", [userId]))!.id
    await store.close()
  })
  afterEach(() => place.remove())

  const race = (attempts: number, what: 'consume' | 'count', id: number) => {
    const startAt = String(Date.now() + 1_500) // every seat opened and waiting by then
    return Promise.all(Array.from({ length: SEATS }, () => runChild<{ won: number }>('store-race.ts', [JSON.stringify(place.target), startAt, String(attempts), what, String(id)])))
  }

  it(`gives one success to one code sent 50 times at once from ${SEATS} processes`, async () => {
    const won = (await race(10, 'consume', codeId)).map((r) => r.won)
    expect(won.reduce((a, b) => a + b, 0)).toBe(1)
  })

  it(`loses no update of one row read and written 50 times at once from ${SEATS} processes`, async () => {
    await race(10, 'count', userId)
    const store = await openStore(place.target)
    expect(await store.get('SELECT postponements_used FROM users WHERE id = ?', [userId])).toEqual({ postponements_used: SEATS * 10 })
    await store.close()
  })
})
