/**
 * The one attempt limiter every secret check goes through: passwords, TOTP and e-mail codes,
 * setup codes, recovery and access codes, password-reset codes and registration tokens.
 *
 * An attempt is first *reserved*: in one IMMEDIATE transaction the locks of its counters (the
 * account's and the workstation's, for that factor) are checked and the attempt is counted as a
 * failure, locking the counter when it reaches its threshold. Only then is the secret checked (a
 * password's scrypt runs outside the transaction, so concurrent attempts cannot slip past the lock:
 * each one already holds its place in the count). The outcome is recorded afterwards:
 * - right: the account's counter starts again (the workstation's keeps the failures of others);
 * - wrong: the reserved failure stays, with its audit rows;
 * - neutral (nothing was guessed: the code that just succeeded sent again, an expired code): the
 *   reservation is handed back.
 * A failure never clears a lock. Attempts refused during a lock are audited in aggregate (one row
 * a minute per counter), so a flood cannot fill the audit log.
 */
import type { LockoutPolicy } from '../../shared/policy'
import type { Audit, AuditEvent } from './audit'
import type { Clock } from './clock'
import { DomainError } from './domain-error'
import type { PolicyStore } from './policy'
import type { Sealer } from './secrets'
import type { Store } from '../store'
import type { ErrorCode } from '../../shared/errors'

export type Scope = 'account' | 'workstation'
/** Each factor has its own counters: a flood of one kind never locks another. */
export type Factor = 'password' | 'second-factor' | 'reset' | 'token'

export type Attempt = {
  factor: Factor
  /** The account's counter: a user id, or `nameSubject()` of a typed name; null when the secret names no account. */
  account: string | null
  workstation: string
  /** For the audit rows. */
  user: { id: number; username: string } | null
  /** The audit row of a wrong attempt. */
  failure: { event: AuditEvent; details?: Record<string, unknown> }
  /** A lower threshold for the account's counter than the policy's (a directory's password: below its own lockout). */
  accountThreshold?: number
}

export type Outcome<T> =
  | { result: 'right'; value: T }
  | { result: 'wrong'; error?: DomainError }
  | { result: 'neutral'; error: DomainError }

export const right = <T>(value: T): Outcome<T> => ({ result: 'right', value })
export const wrong = (error?: DomainError): Outcome<never> => ({ result: 'wrong', error })
export const neutral = (error: DomainError): Outcome<never> => ({ result: 'neutral', error })

type Row = { failures: number; locks: number; locked_until: number | null; last_failure_at: number | null; refused: number; refused_logged_at: number | null }
type Entry = { scope: Scope; subject: string; before: Row | undefined; wrote: Row; lockedUntil: number | null }
type Reservation = { attempt: Attempt; entries: Entry[] }

const MINUTE_MS = 60_000
/** Refusals during a lock: at most one audit row a minute per counter, with the count since the last. */
export const REFUSAL_AUDIT_INTERVAL_MS = MINUTE_MS

const LOCK_ERRORS: Record<Factor, Record<Scope, ErrorCode>> = {
  password: { account: 'LOGIN_BLOCKED', workstation: 'WORKSTATION_LOCKED' },
  'second-factor': { account: 'ACCOUNT_LOCKED', workstation: 'WORKSTATION_LOCKED' },
  reset: { account: 'RESET_BLOCKED', workstation: 'WORKSTATION_LOCKED' },
  token: { account: 'WORKSTATION_LOCKED', workstation: 'WORKSTATION_LOCKED' }
}

export function thresholdFor(policy: LockoutPolicy, scope: Scope, factor: Factor): number {
  if (scope === 'workstation') return policy.workstationThreshold
  return factor === 'password' ? policy.passwordThreshold : policy.secondFactorThreshold
}

export function lockMinutes(policy: LockoutPolicy, rank: number): number {
  return Math.round(policy.baseMinutes * policy.growthFactor ** (rank - 1))
}

function lockError(factor: Factor, scope: Scope, until: number): DomainError {
  return new DomainError(LOCK_ERRORS[factor][scope], undefined, undefined, { lockedUntil: until })
}

export function createAttempts(deps: { store: Store; clock: Clock; policy: PolicyStore; audit: Audit; sealer: Sealer }) {
  const { store, clock, policy, audit, sealer } = deps
  const COLUMNS = 'failures, locks, locked_until, last_failure_at, refused, refused_logged_at'

  /** A counter's row; inside a transaction it stays locked until the end (the decision depends on it). */
  const row = (scope: Scope, subject: string, factor: Factor) =>
    store.get<Row>(`SELECT ${COLUMNS} FROM failure_counters WHERE scope = ? AND subject = ? AND factor = ?${store.inTransaction ? store.forUpdate : ''}`, [scope, subject, factor])
  const write = (scope: Scope, subject: string, factor: Factor, r: Row) =>
    store.run(
      `INSERT INTO failure_counters (scope, subject, factor, ${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (scope, subject, factor) DO UPDATE SET failures = excluded.failures, locks = excluded.locks,
         locked_until = excluded.locked_until, last_failure_at = excluded.last_failure_at,
         refused = excluded.refused, refused_logged_at = excluded.refused_logged_at`,
      [scope, subject, factor, r.failures, r.locks, r.locked_until, r.last_failure_at, r.refused, r.refused_logged_at]
    )
  const remove = (scope: Scope, subject: string, factor: Factor) => store.run('DELETE FROM failure_counters WHERE scope = ? AND subject = ? AND factor = ?', [scope, subject, factor])
  /**
   * The counters' rows exist before they are read for a decision, so that the read locks a row even
   * for a first attempt (on PostgreSQL two first failures must not both count from zero).
   */
  const ensure = (scope: Scope, subject: string, factor: Factor) =>
    store.run('INSERT INTO failure_counters (scope, subject, factor) VALUES (?, ?, ?) ON CONFLICT (scope, subject, factor) DO NOTHING', [scope, subject, factor])
  const blank = (r: Row) => r.failures === 0 && r.locks === 0 && r.locked_until === null && r.last_failure_at === null && r.refused === 0
  const subjectsOf = (a: Pick<Attempt, 'account' | 'workstation'>): [Scope, string][] =>
    a.account === null ? [['workstation', a.workstation]] : [['account', a.account], ['workstation', a.workstation]]

  /** The lock in force on any of the attempt's counters, without counting anything. */
  async function lockOf(a: Pick<Attempt, 'factor' | 'account' | 'workstation'>): Promise<DomainError | null> {
    const now = clock.now()
    for (const [scope, subject] of subjectsOf(a)) {
      const r = await row(scope, subject, a.factor)
      if (r?.locked_until != null && r.locked_until > now) return lockError(a.factor, scope, r.locked_until)
    }
    return null
  }

  /** A refused attempt: counted on the lock's row, audited once a minute at most. */
  async function refuse(a: Attempt, scope: Scope, subject: string, r: Row, now: number): Promise<void> {
    const refused = r.refused + 1
    if (r.refused_logged_at !== null && now - r.refused_logged_at < REFUSAL_AUDIT_INTERVAL_MS) {
      await write(scope, subject, a.factor, { ...r, refused })
      return
    }
    await audit.record({ event: 'login.blocked', subject: a.user, workstation: a.workstation, details: { factor: a.factor, scope, until: r.locked_until, refused } })
    await write(scope, subject, a.factor, { ...r, refused: 0, refused_logged_at: now })
  }

  /** One counter's failure counted in advance, locking it at its threshold. */
  async function countFailure(a: Attempt, scope: Scope, subject: string, before: Row | undefined, now: number): Promise<Entry> {
    const p = policy.get().lockout
    // A workstation's count starts again after a quiet lock period: shared machines see many users.
    const stale = scope === 'workstation' && before?.last_failure_at != null && now - before.last_failure_at > p.baseMinutes * MINUTE_MS
    let failures = (stale ? 0 : (before?.failures ?? 0)) + 1
    let locks = before?.locks ?? 0
    let lockedUntil: number | null = null
    const threshold = scope === 'account' && a.accountThreshold !== undefined ? Math.min(a.accountThreshold, thresholdFor(p, scope, a.factor)) : thresholdFor(p, scope, a.factor)
    if (failures >= threshold) {
      locks += 1
      failures = 0
      lockedUntil = now + lockMinutes(p, locks) * MINUTE_MS
    }
    const wrote: Row = { failures, locks, locked_until: lockedUntil, last_failure_at: now, refused: 0, refused_logged_at: null }
    await write(scope, subject, a.factor, wrote)
    return { scope, subject, before, wrote, lockedUntil }
  }

  /** Inside a write transaction: the lock check and the attempt counted as a failure in advance. */
  async function reserve(a: Attempt): Promise<Reservation | DomainError> {
    const now = clock.now()
    const subjects = subjectsOf(a)
    const rows: (Row | undefined)[] = []
    for (const [scope, subject] of subjects) {
      const read = await row(scope, subject, a.factor)
      const r = read && !blank(read) ? read : undefined // a row `ensure` just made is no count yet
      if (r?.locked_until != null && r.locked_until > now) {
        await refuse(a, scope, subject, r, now)
        return lockError(a.factor, scope, r.locked_until)
      }
      rows.push(r)
    }
    const entries: Entry[] = []
    for (const [i, [scope, subject]] of subjects.entries()) entries.push(await countFailure(a, scope, subject, rows[i], now))
    return { attempt: a, entries }
  }

  /** Reserves inside a transaction, with the counters' rows locked from the first read. */
  async function reserveLocked(a: Attempt): Promise<Reservation | DomainError> {
    for (const [scope, subject] of subjectsOf(a)) await ensure(scope, subject, a.factor)
    return reserve(a)
  }

  /** Hands a reservation back: exactly as before when nothing happened since, else one failure less. */
  async function handBack(factor: Factor, e: Entry): Promise<void> {
    const now = await row(e.scope, e.subject, factor)
    if (!now) return
    const untouched = now.failures === e.wrote.failures && now.locks === e.wrote.locks && now.locked_until === e.wrote.locked_until
    if (untouched) {
      if (e.before) await write(e.scope, e.subject, factor, e.before)
      else await remove(e.scope, e.subject, factor)
    } else if (e.lockedUntil === null && now.failures > 0) {
      await write(e.scope, e.subject, factor, { ...now, failures: now.failures - 1 })
    }
  }

  /** Inside a write transaction: records the outcome; the value, or the error to throw. */
  async function settle<T>(res: Reservation, outcome: Outcome<T>): Promise<T | DomainError> {
    const a = res.attempt
    if (outcome.result === 'right') {
      for (const e of res.entries) {
        if (e.scope === 'account') await remove(e.scope, e.subject, a.factor)
        else await handBack(a.factor, e)
      }
      return outcome.value
    }
    if (outcome.result === 'neutral') {
      for (const e of res.entries) await handBack(a.factor, e)
      return outcome.error
    }
    await audit.record({ event: a.failure.event, subject: a.user, workstation: a.workstation, details: a.failure.details ?? {} })
    let locked: DomainError | null = null
    for (const e of res.entries) {
      if (e.lockedUntil === null) continue
      const details = { until: e.lockedUntil, factor: a.factor }
      await audit.record({ event: e.scope === 'account' ? 'lock.account' : 'lock.workstation', subject: e.scope === 'account' ? a.user : null, workstation: a.workstation, details })
      locked ??= lockError(a.factor, e.scope, e.lockedUntil)
    }
    return locked ?? outcome.error ?? new DomainError('INVALID_CODE', undefined, 'code')
  }

  function unwrap<T>(out: T | DomainError): T {
    if (out instanceof DomainError) throw out
    return out
  }

  return {
    lockOf,

    /** A check that awaits only the store: reservation, check and outcome in one transaction. */
    async checkNow<T>(a: Attempt, check: () => Promise<Outcome<T>>): Promise<T> {
      return unwrap(
        await store.transaction(async (): Promise<T | DomainError> => {
          const res = await reserveLocked(a)
          return res instanceof DomainError ? res : settle(res, await check())
        })
      )
    },

    /** A check that awaits other work (password hashing): reserved first, its outcome recorded after. */
    async check<T>(a: Attempt, check: () => Promise<Outcome<T>>): Promise<T> {
      const res = unwrap(await store.transaction(() => reserveLocked(a)))
      let outcome: Outcome<T>
      try {
        outcome = await check()
      } catch (error) {
        await store.transaction(async () => {
          for (const e of res.entries) await handBack(a.factor, e)
        })
        throw error
      }
      return unwrap(await store.transaction(() => settle(res, outcome)))
    },

    /**
     * The counter of a typed name that matches no account: a keyed hash, so repeated attempts at one
     * name still add up and lock exactly like a real account, and the name itself (perhaps a password
     * typed into the wrong field) is never stored.
     */
    nameSubject(identifier: string): string {
      return `name:${sealer.codeHash(identifier.trim().toLowerCase(), 'typed-name').slice(0, 22)}`
    },

    /** What the audit log keeps of a typed name that matches nobody. */
    unknownName(identifier: string): { nameHash: string; nameLength: number } {
      return { nameHash: this.nameSubject(identifier).slice('name:'.length), nameLength: identifier.trim().length }
    },

    /** Ends one counter's lock and count (a help-desk reset lifts the second-factor lock it solves). */
    async clear(scope: Scope, subject: string, factor: Factor): Promise<boolean> {
      return store.transaction(async () => {
        const r = await row(scope, subject, factor)
        await remove(scope, subject, factor)
        return r?.locked_until != null && r.locked_until > clock.now()
      })
    },

    /** Whether any counter of this account or workstation holds a lock now. */
    async isLocked(scope: Scope, subject: string): Promise<boolean> {
      return (await store.get('SELECT 1 AS e FROM failure_counters WHERE scope = ? AND subject = ? AND locked_until > ?', [scope, subject, clock.now()])) !== undefined
    },

    /** Help-desk unlock: every counter of the account or workstation. Returns whether anything was locked. */
    async unlock(scope: Scope, subject: string): Promise<boolean> {
      return store.transaction(async () => {
        const locked = await this.isLocked(scope, subject)
        await store.run('DELETE FROM failure_counters WHERE scope = ? AND subject = ?', [scope, subject])
        return locked
      })
    }
  }
}

export type Attempts = ReturnType<typeof createAttempts>
