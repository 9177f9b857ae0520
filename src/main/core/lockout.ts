/**
 * Consecutive-failure counters per account and per workstation, kept apart for the password and the
 * second factor (a flood of wrong passwords must not lock out the second factor, and vice versa).
 * Reaching the threshold locks for base * growth^(n-1) minutes, n being the lock's rank; a success
 * resets the counter and the growth, a help-desk unlock resets everything.
 */
import type { LockoutPolicy } from '../../shared/policy'
import type { Clock } from './clock'
import type { Db } from '../db/open'

export type Scope = 'account' | 'workstation'
export type Factor = 'password' | 'second-factor'

export type CounterState = { failures: number; locks: number; lockedUntil: number | null }

type Row = { failures: number; locks: number; locked_until: number | null }

const MINUTE_MS = 60_000

export function thresholdFor(policy: LockoutPolicy, scope: Scope, factor: Factor): number {
  if (scope === 'workstation') return policy.workstationThreshold
  return factor === 'password' ? policy.passwordThreshold : policy.secondFactorThreshold
}

export function lockMinutes(policy: LockoutPolicy, rank: number): number {
  return Math.round(policy.baseMinutes * policy.growthFactor ** (rank - 1))
}

export function createLockout(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps
  const get = db.prepare('SELECT failures, locks, locked_until FROM failure_counters WHERE scope = ? AND subject = ? AND factor = ?')
  const upsert = db.prepare(
    `INSERT INTO failure_counters (scope, subject, factor, failures, locks, locked_until, last_failure_at)
     VALUES (@scope, @subject, @factor, @failures, @locks, @locked_until, @now)
     ON CONFLICT (scope, subject, factor) DO UPDATE SET failures = excluded.failures, locks = excluded.locks,
       locked_until = excluded.locked_until, last_failure_at = excluded.last_failure_at`
  )

  function state(scope: Scope, subject: string, factor: Factor): CounterState {
    const r = get.get(scope, subject, factor) as Row | undefined
    const now = clock.now()
    return {
      failures: r?.failures ?? 0,
      locks: r?.locks ?? 0,
      lockedUntil: r?.locked_until != null && r.locked_until > now ? r.locked_until : null
    }
  }

  return {
    state,
    /** Counts one failure; returns the end of the lock it caused, or null. Call inside a write transaction. */
    fail(scope: Scope, subject: string, factor: Factor, policy: LockoutPolicy): number | null {
      const s = state(scope, subject, factor)
      const now = clock.now()
      let failures = s.failures + 1
      let locks = s.locks
      let lockedUntil: number | null = null
      if (failures >= thresholdFor(policy, scope, factor)) {
        locks += 1
        failures = 0
        lockedUntil = now + lockMinutes(policy, locks) * MINUTE_MS
      }
      upsert.run({ scope, subject, factor, failures, locks, locked_until: lockedUntil, now })
      return lockedUntil
    },
    succeed(scope: Scope, subject: string, factor: Factor): void {
      db.prepare('DELETE FROM failure_counters WHERE scope = ? AND subject = ? AND factor = ?').run(scope, subject, factor)
    },
    /** Help-desk unlock: every counter of the subject. Returns whether anything was locked. */
    unlock(scope: Scope, subject: string): boolean {
      const wasLocked = (['password', 'second-factor'] as const).some((f) => state(scope, subject, f).lockedUntil !== null)
      db.prepare('DELETE FROM failure_counters WHERE scope = ? AND subject = ?').run(scope, subject)
      return wasLocked
    },
  }
}

export type Lockout = ReturnType<typeof createLockout>
