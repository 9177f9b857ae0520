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
import type { Db } from '../db/open'
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

export function createAttempts(deps: { db: Db; clock: Clock; policy: PolicyStore; audit: Audit; sealer: Sealer }) {
  const { db, clock, policy, audit, sealer } = deps
  const get = db.prepare('SELECT failures, locks, locked_until, last_failure_at, refused, refused_logged_at FROM failure_counters WHERE scope = ? AND subject = ? AND factor = ?')
  const put = db.prepare(
    `INSERT INTO failure_counters (scope, subject, factor, failures, locks, locked_until, last_failure_at, refused, refused_logged_at)
     VALUES (@scope, @subject, @factor, @failures, @locks, @locked_until, @last_failure_at, @refused, @refused_logged_at)
     ON CONFLICT (scope, subject, factor) DO UPDATE SET failures = excluded.failures, locks = excluded.locks,
       locked_until = excluded.locked_until, last_failure_at = excluded.last_failure_at,
       refused = excluded.refused, refused_logged_at = excluded.refused_logged_at`
  )
  const remove = db.prepare('DELETE FROM failure_counters WHERE scope = ? AND subject = ? AND factor = ?')

  const row = (scope: Scope, subject: string, factor: Factor) => get.get(scope, subject, factor) as Row | undefined
  const write = (scope: Scope, subject: string, factor: Factor, r: Row) => put.run({ scope, subject, factor, ...r })
  const subjectsOf = (a: Pick<Attempt, 'account' | 'workstation'>): [Scope, string][] =>
    a.account === null ? [['workstation', a.workstation]] : [['account', a.account], ['workstation', a.workstation]]

  /** The lock in force on any of the attempt's counters, without counting anything. */
  function lockOf(a: Pick<Attempt, 'factor' | 'account' | 'workstation'>): DomainError | null {
    const now = clock.now()
    for (const [scope, subject] of subjectsOf(a)) {
      const r = row(scope, subject, a.factor)
      if (r?.locked_until != null && r.locked_until > now) return lockError(a.factor, scope, r.locked_until)
    }
    return null
  }

  /** A refused attempt: counted on the lock's row, audited once a minute at most. */
  function refuse(a: Attempt, scope: Scope, subject: string, r: Row, now: number): void {
    const refused = r.refused + 1
    if (r.refused_logged_at !== null && now - r.refused_logged_at < REFUSAL_AUDIT_INTERVAL_MS) {
      write(scope, subject, a.factor, { ...r, refused })
      return
    }
    audit.record({ event: 'login.blocked', subject: a.user, workstation: a.workstation, details: { factor: a.factor, scope, until: r.locked_until, refused } })
    write(scope, subject, a.factor, { ...r, refused: 0, refused_logged_at: now })
  }

  /** Inside a write transaction: the lock check and the attempt counted as a failure in advance. */
  function reserve(a: Attempt): Reservation | DomainError {
    const now = clock.now()
    const p = policy.get().lockout
    for (const [scope, subject] of subjectsOf(a)) {
      const r = row(scope, subject, a.factor)
      if (r?.locked_until != null && r.locked_until > now) {
        refuse(a, scope, subject, r, now)
        return lockError(a.factor, scope, r.locked_until)
      }
    }
    const entries = subjectsOf(a).map(([scope, subject]): Entry => {
      const before = row(scope, subject, a.factor)
      // A workstation's count starts again after a quiet lock period: shared machines see many users.
      const stale = scope === 'workstation' && before?.last_failure_at != null && now - before.last_failure_at > p.baseMinutes * MINUTE_MS
      let failures = (stale ? 0 : (before?.failures ?? 0)) + 1
      let locks = before?.locks ?? 0
      let lockedUntil: number | null = null
      if (failures >= thresholdFor(p, scope, a.factor)) {
        locks += 1
        failures = 0
        lockedUntil = now + lockMinutes(p, locks) * MINUTE_MS
      }
      const wrote: Row = { failures, locks, locked_until: lockedUntil, last_failure_at: now, refused: 0, refused_logged_at: null }
      write(scope, subject, a.factor, wrote)
      return { scope, subject, before, wrote, lockedUntil }
    })
    return { attempt: a, entries }
  }

  /** Hands a reservation back: exactly as before when nothing happened since, else one failure less. */
  function handBack(factor: Factor, e: Entry): void {
    const now = row(e.scope, e.subject, factor)
    if (!now) return
    const untouched = now.failures === e.wrote.failures && now.locks === e.wrote.locks && now.locked_until === e.wrote.locked_until
    if (untouched) {
      if (e.before) write(e.scope, e.subject, factor, e.before)
      else remove.run(e.scope, e.subject, factor)
    } else if (e.lockedUntil === null && now.failures > 0) {
      write(e.scope, e.subject, factor, { ...now, failures: now.failures - 1 })
    }
  }

  /** Inside a write transaction: records the outcome; the value, or the error to throw. */
  function settle<T>(res: Reservation, outcome: Outcome<T>): T | DomainError {
    const a = res.attempt
    if (outcome.result === 'right') {
      for (const e of res.entries) {
        if (e.scope === 'account') remove.run(e.scope, e.subject, a.factor)
        else handBack(a.factor, e)
      }
      return outcome.value
    }
    if (outcome.result === 'neutral') {
      for (const e of res.entries) handBack(a.factor, e)
      return outcome.error
    }
    audit.record({ event: a.failure.event, subject: a.user, workstation: a.workstation, details: a.failure.details ?? {} })
    let locked: DomainError | null = null
    for (const e of res.entries) {
      if (e.lockedUntil === null) continue
      const details = { until: e.lockedUntil, factor: a.factor }
      audit.record({ event: e.scope === 'account' ? 'lock.account' : 'lock.workstation', subject: e.scope === 'account' ? a.user : null, workstation: a.workstation, details })
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

    /** A check with no await in it: reservation, check and outcome in one IMMEDIATE transaction. */
    checkNow<T>(a: Attempt, check: () => Outcome<T>): T {
      return unwrap(
        db.transaction((): T | DomainError => {
          const res = reserve(a)
          return res instanceof DomainError ? res : settle(res, check())
        }).immediate()
      )
    },

    /** A check that awaits (password hashing): reserved first, its outcome recorded after. */
    async check<T>(a: Attempt, check: () => Promise<Outcome<T>>): Promise<T> {
      const res = unwrap(db.transaction(() => reserve(a)).immediate())
      let outcome: Outcome<T>
      try {
        outcome = await check()
      } catch (error) {
        db.transaction(() => res.entries.forEach((e) => handBack(a.factor, e))).immediate()
        throw error
      }
      return unwrap(db.transaction(() => settle(res, outcome)).immediate())
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
    clear(scope: Scope, subject: string, factor: Factor): boolean {
      const r = row(scope, subject, factor)
      remove.run(scope, subject, factor)
      return r?.locked_until != null && r.locked_until > clock.now()
    },

    /** Help-desk unlock: every counter of the account or workstation. Returns whether anything was locked. */
    /** Whether any counter of this account or workstation holds a lock now. */
    isLocked(scope: Scope, subject: string): boolean {
      return db.prepare('SELECT 1 FROM failure_counters WHERE scope = ? AND subject = ? AND locked_until > ?').get(scope, subject, clock.now()) !== undefined
    },

    unlock(scope: Scope, subject: string): boolean {
      const locked = this.isLocked(scope, subject)
      db.prepare('DELETE FROM failure_counters WHERE scope = ? AND subject = ?').run(scope, subject)
      return locked
    }
  }
}

export type Attempts = ReturnType<typeof createAttempts>
