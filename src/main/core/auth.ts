/**
 * The login decision: the password step (through the attempt limiter), then which stage the
 * session enters next (second factor, setup, a new password, or in), postponing setup, and
 * password re-entry for sensitive changes.
 */
import type { EnrolRequirement, Role, Stage } from '../../shared/dto'
import type { Accounts } from './accounts'
import { right, wrong, type Attempts, type Outcome } from './attempts'
import { checkByBind, helpOf } from './directory-source/bind-login'
import type { DirectorySource } from '../../shared/directory-source'
import { type Audit, who } from './audit'
import type { Clock } from './clock'
import { DomainError } from './domain-error'
import { message } from '../../shared/i18n/translate'
import { methodComplies } from '../../shared/policy'
import type { PolicyStore } from './policy'
import type { SessionStore } from './sessions'
import type { TwoFactor } from './two-factor'
import type { Store } from '../store'
import { findUserById, findUserByIdentifier, type UserRow } from '../db/queries/users'


/** Staff act on other people's accounts: they never use the console on a password alone. */
export const STAFF_ROLES: readonly Role[] = ['helpdesk', 'admin']

/** What a session has just got past. */
export type Passed = 'password' | 'second-factor' | 'enrol'

export function createAuth(deps: {
  store: Store
  clock: Clock
  accounts: Accounts
  policy: PolicyStore
  attempts: Attempts
  audit: Audit
  twoFactor: TwoFactor
  sessions: SessionStore
  /** The directory's settings when it checks directory users' passwords (null: Tessera checks them). */
  directory: () => Promise<{ source: DirectorySource; password: string } | null>
}) {
  const { store, clock, accounts, policy, attempts, audit, twoFactor, sessions } = deps

  /**
   * A directory user's password, asked of the directory (bind-login.ts): a right password with a
   * refusal (expired, disabled in the directory) still counts as right; a directory that cannot be
   * reached refuses the login, never falling back on a local password.
   */
  async function byDirectory(directory: { source: DirectorySource; password: string }, user: UserRow, password: string): Promise<Outcome<{ user: UserRow; refusal: DomainError | null }>> {
    try {
      const checked = await checkByBind(directory.source, directory.password, { username: user.username, externalId: user.external_id! }, password)
      if (checked.ok || checked.refusal) return right({ user, refusal: checked.ok ? null : checked.refusal })
      return wrong(new DomainError('INVALID_CREDENTIALS'))
    } catch (error) {
      if (error instanceof DomainError && error.code.startsWith('DIRECTORY_')) {
        console.warn(`[tessera] directory password check: ${error.message}`)
        throw new DomainError('DIRECTORY_UNAVAILABLE', message('signInRefusals.directoryUnreachable'))
      }
      throw error
    }
  }

  /**
   * Checks a password, counted per account (or per typed name that matches nobody, so an unknown
   * name locks exactly like a known one) and per workstation, reserved before the hash is computed.
   */
  async function passwordStep(identifier: string, password: string, workstation: string): Promise<UserRow> {
    const found = await findUserByIdentifier(store, identifier)
    const directory = found?.external_id ? await deps.directory() : null
    const { user, refusal } = await attempts.check(
      {
        factor: 'password',
        account: found ? String(found.id) : attempts.nameSubject(identifier),
        workstation,
        user: found ? who(found) : null,
        failure: { event: 'login.password-failed', details: found ? (directory ? { via: 'directory' } : {}) : attempts.unknownName(identifier) },
        ...(directory ? { accountThreshold: directory.source.bindAttempts } : {})
      },
      async (): Promise<Outcome<{ user: UserRow; refusal: DomainError | null }>> => {
        if (directory) return byDirectory(directory, found!, password)
        const valid = await accounts.passwordMatches(found, password)
        return valid ? right({ user: found!, refusal: null }) : wrong(new DomainError('INVALID_CREDENTIALS'))
      }
    )
    if (refusal) throw refusal
    if (user.disabled) throw new DomainError('ACCOUNT_DISABLED')
    if (await accounts.temporaryPasswordExpired(user.id)) throw new DomainError('PASSWORD_EXPIRED')
    return user
  }

  /** The user holds no method of the kind the policy requires of their role. */
  async function nonCompliant(user: UserRow): Promise<boolean> {
    return !methodComplies(policy.get(), user.role, await twoFactor.heldMethods(user.id))
  }

  async function mustEnrol(user: UserRow): Promise<boolean> {
    if (await twoFactor.isActive(user.id)) return nonCompliant(user)
    return !!user.must_enrol || policy.get().mandatory || STAFF_ROLES.includes(user.role)
  }

  function postponementsLeft(user: UserRow): number {
    return Math.max(0, policy.get().postponements - user.postponements_used)
  }

  return {
    /** The password step; returns the user and the stage their session starts in. */
    async login(identifier: string, password: string, workstation: string): Promise<{ user: UserRow; stage: Stage }> {
      const user = await passwordStep(identifier, password, workstation)
      return { user, stage: await this.nextStage(user, 'password') }
    },

    /** Second factor, then setup when required, then a new password when the help desk set one, then in. */
    async nextStage(user: UserRow, passed: Passed): Promise<Stage> {
      const fresh = (await findUserById(store, user.id)) ?? user
      if (passed === 'password' && (await twoFactor.isActive(fresh.id))) return 'second-factor'
      if (passed !== 'enrol' && (await mustEnrol(fresh))) return 'enrol'
      if (fresh.must_change_password) return 'change-password'
      return 'full'
    },

    async enrolRequirement(user: UserRow): Promise<EnrolRequirement> {
      const p = policy.get()
      const tokenSerial = await twoFactor.pendingTokenSerial(user.id)
      const required = p.requiredMethod[user.role]
      const replace = (await twoFactor.isActive(user.id)) && (await nonCompliant(user))
      const reason = replace ? 'method-required' : tokenSerial ? 'token' : user.must_enrol ? 'reset' : STAFF_ROLES.includes(user.role) ? 'staff' : p.mandatory ? 'policy' : 'chosen'
      return {
        tokenSerial,
        required: reason !== 'chosen',
        reason,
        postponementsLeft: reason === 'policy' ? postponementsLeft(user) : 0,
        allowedMethods: required ? [required] : p.allowedMethods,
        emailVerification: p.emailVerificationBeforeSetup
      }
    },

    /** "Postpone (N left)": only under the policy, never after a reset or for staff, and only N times. */
    async postpone(user: UserRow, workstation: string): Promise<number> {
      const req = await this.enrolRequirement(user)
      if (req.reason !== 'policy' || req.postponementsLeft <= 0) throw new DomainError('NO_POSTPONEMENTS_LEFT')
      return store.transaction(async () => {
        // Counted only while one is left, so two seats postponing at once cannot take one more than allowed.
        const took = await store.run('UPDATE users SET postponements_used = postponements_used + 1 WHERE id = ? AND postponements_used < ?', [user.id, policy.get().postponements])
        if (took.changes === 0) throw new DomainError('NO_POSTPONEMENTS_LEFT')
        await audit.record({ event: 'enrol.postponed', subject: who(user), workstation, details: { left: req.postponementsLeft - 1 } })
        return req.postponementsLeft - 1
      })
    },

    async recordLogin(user: UserRow, workstation: string, method: string): Promise<void> {
      await store.transaction(async () => {
        await store.run('UPDATE users SET last_login_at = ? WHERE id = ?', [clock.now(), user.id])
        await audit.record({ event: 'login.succeeded', subject: who(user), workstation, details: { method } })
      })
    },

    /** Re-entering the password before a sensitive change; counts toward the password lockout. */
    async confirmPassword(user: UserRow, password: string, workstation: string): Promise<void> {
      try {
        await passwordStep(user.username, password, workstation)
      } catch (error) {
        if (error instanceof DomainError && error.code === 'INVALID_CREDENTIALS') {
          throw new DomainError('INVALID_CREDENTIALS', message('signInRefusals.passwordIncorrect'), 'password')
        }
        throw error
      }
    },

    /** Whether the directory, not Tessera, checks this person's password. */
    async passwordIsTheDirectorys(user: UserRow): Promise<boolean> {
      return !!user.external_id && (await deps.directory()) !== null
    },

    /** A new password chosen by the user: their other sessions end. */
    async changePassword(user: UserRow, current: string, next: string, workstation: string, sessionId: string): Promise<void> {
      const directory = user.external_id ? await deps.directory() : null
      if (directory) throw new DomainError('FORBIDDEN', message('signInRefusals.directoryPasswordHere', { help: helpOf(directory.source) }))
      await this.confirmPassword(user, current, workstation)
      await accounts.setPassword(user.id, next)
      await audit.record({ event: 'password.changed', subject: who(user), workstation })
      await sessions.endAllFor(user.id, 'password-changed', sessionId)
    },

    /** After a temporary password: the user chooses their own before going on. */
    async replaceTemporaryPassword(user: UserRow, next: string, workstation: string, sessionId: string): Promise<void> {
      if (!user.must_change_password) throw new DomainError('NOT_FOUND', message('signInRefusals.noTemporaryPassword'))
      if (await accounts.passwordMatches(user, next)) throw new DomainError('WEAK_PASSWORD', message('signInRefusals.notTheTemporaryPassword'), 'password')
      await accounts.setPassword(user.id, next)
      await audit.record({ event: 'password.changed', subject: who(user), workstation, details: { replaced: 'temporary' } })
      await sessions.endAllFor(user.id, 'password-changed', sessionId)
    }
  }
}

export type Auth = ReturnType<typeof createAuth>
