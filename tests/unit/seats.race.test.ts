/**
 * Rule: every guarantee holds across seats, not only across promises. Several seat processes, each
 * a whole engine with its own data directory, share one database (a PostgreSQL database, and for
 * comparison one SQLite file) and race through the real handler table:
 * - one valid TOTP code (of a person's first app or of a second one), recovery code or one-time
 *   access code sent 50 times at once from 5 seats gives exactly one success and locks nobody;
 * - 15 wrong passwords at once from 3 seats end in a lock, and every attempt past it is refused;
 * - audit rows appended at once from 4 seats form one chain that verifies.
 */
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { verifyAudit } from '../../src/main/core/audit'
import { KEY_FILE } from '../../src/main/core/secrets'
import { runChild } from '../helpers/children/spawn'
import type { SeatTask } from '../helpers/children/seat'
import { tempDir, testEngine, type TestEngine } from '../helpers/engine'
import { addUser, enrolTotp, firstAdmin, login, PASSWORD, secretOf } from '../helpers/flows'
import { totpAt } from '../../src/main/core/two-factor/totp'
import { STORE_KINDS } from '../helpers/stores'

type Scenario = Pick<SeatTask, 'calls'> &
  (
    | { scenario: 'wrong-password'; identifier: string }
    | { scenario: 'totp'; identifier: string; password: string; secret: string }
    | { scenario: 'recovery' | 'access-code'; identifier: string; password: string; code: string }
    | { scenario: 'audit' }
  )

describe.each(STORE_KINDS)('seats racing on one %s database', (kind) => {
  let t: TestEngine
  const dirs: { remove(): void }[] = []
  beforeEach(async () => void (t = await testEngine({ kind })))
  afterEach(async () => {
    await t.dispose()
    dirs.splice(0).forEach((d) => d.remove())
  })

  /**
   * `seats` processes: on PostgreSQL each in a data directory of its own holding the organisation's
   * key (a seat); on SQLite all in the one data directory (the app and the CLI on one machine).
   */
  async function race(seats: number, scenario: Scenario): Promise<string[]> {
    const startAt = Date.now() + 2_500 // every seat opened and prepared by then
    const tasks = Array.from({ length: seats }, (_, i) => {
      const seat = tempDir('tessera-seat-')
      dirs.push(seat)
      copyFileSync(join(t.dir, KEY_FILE), join(seat.dir, KEY_FILE))
      const task = { ...scenario, databaseFile: t.database.file, databaseUrl: t.database.url, dataDir: kind === 'sqlite' ? t.dir : seat.dir, clockAt: t.clock.now(), startAt, workstation: `kiosk-${i + 1}` } as SeatTask
      return runChild<{ results: string[] }>('seat.ts', [JSON.stringify(task)])
    })
    return (await Promise.all(tasks)).flatMap((r) => r.results)
  }

  const tally = (results: string[]) => Object.fromEntries([...new Set(results)].map((r) => [r, results.filter((x) => x === r).length]))

  it('accepts one TOTP code once when 5 seats send it 50 times at once, and locks nobody', async () => {
    const admin = await firstAdmin(t)
    const graceId = await addUser(admin, 'grace')
    const { secret } = await enrolTotp(t, await login(t, 'grace'))
    const results = await race(5, { scenario: 'totp', calls: 10, identifier: 'grace', password: PASSWORD, secret })
    expect(tally(results)).toEqual({ ok: 1, CODE_ALREADY_USED: 49 })
    expect(await t.engine.attempts.isLocked('account', String(graceId))).toBe(false)
    expect(await verifyAudit(t.engine.store, t.engine.sealer, t.engine.anchor)).toMatchObject({ ok: true })
  }, 60_000)

  it('accepts a code of a second authenticator app once when 5 seats send it 50 times at once', async () => {
    const admin = await firstAdmin(t)
    const graceId = await addUser(admin, 'grace')
    const c = await login(t, 'grace')
    const first = await enrolTotp(t, c)
    await c.ok('account:confirm-identity', { method: 'totp', code: totpAt(first.secret, t.clock.now()) })
    const step = await c.ok('enrol:start', { method: 'totp', name: 'tablet' })
    if (step.step !== 'scan') throw new Error(step.step)
    await c.ok('enrol:confirm', { code: totpAt(secretOf(step.uri), t.clock.now()) })
    await c.ok('enrol:complete', {})
    t.clock.advance(30_000)
    const results = await race(5, { scenario: 'totp', calls: 10, identifier: 'grace', password: PASSWORD, secret: secretOf(step.uri) })
    expect(tally(results)).toEqual({ ok: 1, CODE_ALREADY_USED: 49 })
    expect(await t.engine.attempts.isLocked('account', String(graceId))).toBe(false)
  }, 60_000)

  it('accepts one recovery code once when 5 seats send it 50 times at once, and locks nobody', async () => {
    const admin = await firstAdmin(t)
    const graceId = await addUser(admin, 'grace')
    const { codes } = await enrolTotp(t, await login(t, 'grace'))
    const results = await race(5, { scenario: 'recovery', calls: 10, identifier: 'grace', password: PASSWORD, code: codes[0]! })
    expect(tally(results)).toEqual({ ok: 1, CODE_ALREADY_USED: 49 })
    expect(await t.engine.attempts.isLocked('account', String(graceId))).toBe(false)
    expect(await t.engine.store.get('SELECT count(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NOT NULL', [graceId])).toEqual({ n: 1 })
  }, 60_000)

  it('accepts one access code once when 5 seats send it 50 times at once, and locks nobody', async () => {
    const admin = await firstAdmin(t)
    const graceId = await addUser(admin, 'grace')
    await enrolTotp(t, await login(t, 'grace'))
    const { code } = await admin.ok('users:issue-access-code', { userId: graceId })
    const results = await race(5, { scenario: 'access-code', calls: 10, identifier: 'grace', password: PASSWORD, code })
    // The code replaces her second factor, which ends her other half-open logins: those that come
    // after it find no session; none of the others counts as a guess.
    const { ok, CODE_ALREADY_USED: used = 0, NOT_AUTHENTICATED: ended = 0, ...rest } = tally(results)
    expect({ ok, rest }).toEqual({ ok: 1, rest: {} })
    expect(used + ended).toBe(49)
    expect(await t.engine.attempts.isLocked('account', String(graceId))).toBe(false)
  }, 60_000)

  it('locks an account after 15 wrong passwords sent at once from 3 seats', async () => {
    const admin = await firstAdmin(t)
    await addUser(admin, 'grace')
    const results = await race(3, { scenario: 'wrong-password', calls: 5, identifier: 'grace' })
    // The 10th failure locks (default policy); every attempt reserved after it is refused by the lock.
    expect(tally(results)).toEqual({ INVALID_CREDENTIALS: 9, LOGIN_BLOCKED: 6 })
    const after = await login(t, 'grace').catch((e: Error) => e.message)
    expect(after).toMatch(/LOGIN_BLOCKED/)
  }, 60_000)

  it('keeps one audit chain when 4 seats append 100 rows at once', async () => {
    await firstAdmin(t)
    const before = (await t.engine.store.get<{ n: number }>('SELECT count(*) AS n FROM audit_log'))!.n
    const results = await race(4, { scenario: 'audit', calls: 25 })
    expect(results).toEqual(Array(100).fill('ok'))
    const ids = (await t.engine.store.all<{ id: number }>('SELECT id FROM audit_log ORDER BY id')).map((r) => r.id)
    expect(ids.length).toBeGreaterThanOrEqual(before + 100)
    expect(ids).toEqual(ids.map((_, i) => i + 1))
    const head = await t.engine.store.get<{ id: number }>('SELECT id FROM audit_head')
    expect(head!.id).toBe(ids.at(-1))
    // This seat's own anchor still names an earlier row of the same chain: the chain verifies against it.
    expect(await verifyAudit(t.engine.store, t.engine.sealer, t.engine.anchor)).toMatchObject({ ok: true, rows: ids.length })
  }, 60_000)
})
