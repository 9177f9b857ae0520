/**
 * The login decision: the password step with its lockout, then which stage the session enters
 * (second factor, setup, or in), postponing setup, and password re-entry for sensitive changes.
 */
import type { EnrolRequirement, Stage } from '../../shared/dto'
import type { Accounts } from './accounts'
import type { Audit } from './audit'
import type { Clock } from './clock'
import { DomainError } from './domain-error'
import type { Lockout } from './lockout'
import type { PolicyStore } from './policy'
import type { TwoFactor } from './two-factor'
import type { Db } from '../db/open'
import { findUserByIdentifier, type UserRow } from '../db/queries/users'

const who = (u: UserRow) => ({ id: u.id, username: u.username })

/** Password counters are kept per account, and per typed name for names that match nobody, so an
 * unknown name locks exactly like a known one and the lock tells nothing about who exists. */
function passwordSubject(user: UserRow | undefined, identifier: string): string {
  return user ? String(user.id) : `name:${identifier.toLowerCase()}`
}

export function createAuth(deps: {
  db: Db
  clock: Clock
  accounts: Accounts
  policy: PolicyStore
  lockout: Lockout
  audit: Audit
  twoFactor: TwoFactor
}) {
  const { db, clock, accounts, policy, lockout, audit, twoFactor } = deps

  function blocked(subject: string, workstation: string): DomainError | null {
    const ws = lockout.state('workstation', workstation, 'password').lockedUntil
    if (ws) return new DomainError('WORKSTATION_LOCKED', undefined, undefined, { lockedUntil: ws })
    const acc = lockout.state('account', subject, 'password').lockedUntil
    if (acc) return new DomainError('LOGIN_BLOCKED', undefined, undefined, { lockedUntil: acc })
    return null
  }

  /** Checks the password with lockout; the user on success. */
  async function passwordStep(identifier: string, password: string, workstation: string): Promise<UserRow> {
    const found = findUserByIdentifier(db, identifier)
    const subject = passwordSubject(found, identifier)
    const before = blocked(subject, workstation)
    if (before) {
      audit.record({ event: 'login.password-blocked', subject: found && who(found), workstation, details: { identifier } })
      throw before
    }
    let user: UserRow
    try {
      user = await accounts.checkPassword(found, password)
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'INVALID_CREDENTIALS') throw error
      db.transaction(() => {
        const p = policy.get().lockout
        const accLock = lockout.fail('account', subject, 'password', p)
        const wsLock = lockout.fail('workstation', workstation, 'password', p)
        audit.record({ event: 'login.password-failed', subject: found && who(found), workstation, details: { identifier } })
        if (accLock) audit.record({ event: 'lock.account', subject: found && who(found), workstation, details: { until: accLock, factor: 'password', identifier } })
        if (wsLock) audit.record({ event: 'lock.workstation', workstation, details: { until: wsLock, factor: 'password' } })
      }).immediate()
      throw error
    }
    // Another attempt may have locked the account while this password was being hashed.
    const after = blocked(subject, workstation)
    if (after) throw after
    db.transaction(() => {
      lockout.succeed('account', subject, 'password')
      lockout.succeed('workstation', workstation, 'password')
    }).immediate()
    return user
  }

  function postponementsLeft(user: UserRow): number {
    return Math.max(0, policy.get().postponements - user.postponements_used)
  }

  return {
    /** The password step; returns the user and the stage their session starts in. */
    async login(identifier: string, password: string, workstation: string): Promise<{ user: UserRow; stage: Stage }> {
      const user = await passwordStep(identifier, password, workstation)
      const stage = this.stageAfterPassword(user)
      if (stage === 'full') this.recordLogin(user, workstation, 'password')
      return { user, stage }
    },

    stageAfterPassword(user: UserRow): Stage {
      if (twoFactor.isActive(user.id)) return 'second-factor'
      if (user.must_enrol || policy.get().mandatory) return 'enrol'
      return 'full'
    },

    enrolRequirement(user: UserRow): EnrolRequirement {
      const p = policy.get()
      const required = !!user.must_enrol || p.mandatory
      const reason = user.must_enrol ? 'reset' : p.mandatory ? 'policy' : 'chosen'
      return {
        required,
        reason,
        postponementsLeft: reason === 'policy' ? postponementsLeft(user) : 0,
        allowedMethods: p.allowedMethods,
        emailVerification: p.emailVerificationBeforeSetup
      }
    },

    /** "Postpone (N left)": only under the policy, never after a reset, and only N times. */
    postpone(user: UserRow, workstation: string): number {
      const req = this.enrolRequirement(user)
      if (req.reason !== 'policy' || req.postponementsLeft <= 0) throw new DomainError('NO_POSTPONEMENTS_LEFT')
      db.prepare('UPDATE users SET postponements_used = postponements_used + 1 WHERE id = ?').run(user.id)
      audit.record({ event: 'enrol.postponed', subject: who(user), workstation, details: { left: req.postponementsLeft - 1 } })
      this.recordLogin(user, workstation, 'password')
      return req.postponementsLeft - 1
    },

    recordLogin(user: UserRow, workstation: string, method: string): void {
      db.prepare('UPDATE users SET last_login_at = ? WHERE id = ?').run(clock.now(), user.id)
      audit.record({ event: 'login.succeeded', subject: who(user), workstation, details: { method } })
    },

    /** Re-entering the password before a sensitive change; counts toward the password lockout. */
    async confirmPassword(user: UserRow, password: string, workstation: string): Promise<void> {
      try {
        await passwordStep(user.username, password, workstation)
      } catch (error) {
        if (error instanceof DomainError && error.code === 'INVALID_CREDENTIALS') {
          throw new DomainError('INVALID_CREDENTIALS', 'The password is incorrect.', 'password')
        }
        throw error
      }
    },

    async changePassword(user: UserRow, current: string, next: string, workstation: string): Promise<void> {
      await this.confirmPassword(user, current, workstation)
      await accounts.setPassword(user.id, next)
      audit.record({ event: 'password.changed', subject: who(user), workstation })
    }
  }
}

export type Auth = ReturnType<typeof createAuth>
