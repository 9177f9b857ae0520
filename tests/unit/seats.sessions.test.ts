/**
 * Rule: seats on one database see each other at their next call. Two engines (two seats, each with
 * its own pool of connections) on one PostgreSQL database, and for comparison two on one SQLite
 * file: sessions live in the database, so "Sign out everywhere" and disabling a user end their
 * sessions at every seat; the idle timeout holds at every seat; a policy saved at one seat applies
 * at the other's next call; a user edited at one seat shows edited at the other.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEngine } from '../../src/main/core/engine'
import { DEFAULT_POLICY } from '../../src/shared/policy'
import { TEST_SCRYPT, testEngine, type TestEngine } from '../helpers/engine'
import { addUser, firstAdmin, signIn, type Conn } from '../helpers/flows'
import { connect } from '../helpers/caller'
import { STORE_KINDS } from '../helpers/stores'

describe.each(STORE_KINDS)('two seats on one %s database', (kind) => {
  let a: TestEngine
  let b: TestEngine
  let admin: Conn
  let graceId: number
  beforeEach(async () => {
    a = await testEngine({ kind })
    admin = await firstAdmin(a)
    graceId = await addUser(admin, 'grace')
    // Seat B: another engine on the same database, the same key (its data directory is A's here).
    const engine = await createEngine({ databaseFile: a.database.file, database: a.database.url ? { url: a.database.url } : undefined, dataDir: a.dir, clock: a.clock, passwordParams: TEST_SCRYPT })
    b = { ...a, engine, dispose: () => engine.close() }
  })
  afterEach(async () => {
    await b.dispose()
    await a.dispose()
  })

  it('ends a user’s sessions at every seat when the help desk signs them out everywhere, or disables them', async () => {
    const atB = await signIn(b, 'grace', 'kiosk-2')
    expect((await atB.ok('app:status', {})).stage).toBe('full')
    expect(await admin.ok('users:sign-out-everywhere', { userId: graceId })).toEqual({ ended: 1 })
    expect((await atB.ok('app:status', {})).session).toBeNull()

    const again = await signIn(b, 'grace', 'kiosk-2')
    await admin.ok('users:set-disabled', { userId: graceId, disabled: true })
    expect(await again.call('account:sessions', {})).toMatchObject({ ok: false, code: 'NOT_AUTHENTICATED' })
  })

  it('holds the idle timeout at every seat', async () => {
    const atB = await signIn(b, 'grace', 'kiosk-2')
    a.clock.advance(DEFAULT_POLICY.idleTimeoutMinutes * 60_000 + 1_000)
    expect(await atB.call('account:sessions', {})).toMatchObject({ ok: false, code: 'NOT_AUTHENTICATED' })
  })

  it('applies a policy saved at one seat at the other’s next call, and shows a user edited at one seat edited at the other', async () => {
    const staffAtB = connect(b.engine)
    expect((await staffAtB.ok('app:status', {})).idleTimeoutMs).toBe(DEFAULT_POLICY.idleTimeoutMinutes * 60_000)
    await admin.ok('policy:save', { policy: { ...DEFAULT_POLICY, idleTimeoutMinutes: 7 } })
    expect((await staffAtB.ok('app:status', {})).idleTimeoutMs).toBe(7 * 60_000)

    const adminAtB = await signIn(b, 'ada', 'desk-2', 'analytical engine notes')
    expect((await adminAtB.ok('users:list', { search: 'grace', limit: 5 })).rows.map((r) => r.displayName)).toEqual(['Grace'])
    await admin.ok('users:update', { userId: graceId, username: 'grace', email: 'grace@example.org', displayName: 'Grace Hopper', phone: '' })
    expect((await adminAtB.ok('users:list', { search: 'grace', limit: 5 })).rows.map((r) => r.displayName)).toEqual(['Grace Hopper'])
    expect((await adminAtB.ok('users:get', { userId: graceId })).displayName).toBe('Grace Hopper')
  })
})
