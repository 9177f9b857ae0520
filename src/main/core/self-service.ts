/**
 * What a user does without being signed in: "Forgot password?" (a code by e-mail when SMTP is set
 * up, otherwise a request to the help desk) and redeeming a registration link. Answers never tell
 * whether an account exists.
 */
import { MIN_PASSWORD_LENGTH } from '../../shared/validation'
import type { Accounts } from './accounts'
import type { Audit } from './audit'
import type { Auth } from './auth'
import type { Clock } from './clock'
import { DomainError } from './domain-error'
import type { Helpdesk } from './helpdesk'
import { ENROLMENT_TOKEN_CONTEXT } from './helpdesk'
import type { Lockout } from './lockout'
import type { Mailer } from './mail'
import type { Sealer } from './secrets'
import type { TwoFactor } from './two-factor'
import type { Db } from '../db/open'
import { findUserById, findUserByIdentifier, getPasswordHash, type UserRow } from '../db/queries/users'

const who = (u: UserRow) => ({ id: u.id, username: u.username })

type TokenRow = { token_hash: string; user_id: number; expires_at: number; used_at: number | null }

export function createSelfService(deps: {
  db: Db
  clock: Clock
  accounts: Accounts
  auth: Auth
  audit: Audit
  lockout: Lockout
  mailer: Mailer
  sealer: Sealer
  twoFactor: TwoFactor
  helpdesk: Helpdesk
}) {
  const { db, clock, accounts, auth, audit, lockout, mailer, sealer, twoFactor, helpdesk } = deps

  function liveToken(token: string): { row: TokenRow; user: UserRow } {
    const row = db.prepare('SELECT * FROM enrolment_tokens WHERE token_hash = ?').get(sealer.codeHash(token.trim(), ENROLMENT_TOKEN_CONTEXT)) as TokenRow | undefined
    const user = row && findUserById(db, row.user_id)
    if (!row || !user || row.used_at !== null || row.expires_at <= clock.now() || user.disabled) throw new DomainError('INVALID_TOKEN', undefined, 'token')
    return { row, user }
  }

  return {
    async forgotPassword(identifier: string, workstation: string): Promise<{ via: 'email' | 'helpdesk' }> {
      const user = findUserByIdentifier(db, identifier)
      const usable = user && !user.disabled ? user : null
      if (mailer.smtpConfigured()) {
        if (usable) {
          await twoFactor.sendEmailCode(usable, 'password-reset', workstation).catch((error: unknown) => {
            // Throttled or undeliverable: say nothing more than for an unknown name.
            if (!(error instanceof DomainError)) throw error
          })
        }
        return { via: 'email' }
      }
      if (usable) {
        try {
          helpdesk.fileRequest(usable, 'all', 'Forgot their password: send them a registration link.', workstation)
        } catch (error) {
          if (!(error instanceof DomainError)) throw error
        }
        audit.record({ event: 'password.reset-requested', subject: who(usable), workstation })
      }
      return { via: 'helpdesk' }
    },

    async resetPassword(identifier: string, code: string, password: string, workstation: string): Promise<void> {
      const user = findUserByIdentifier(db, identifier)
      if (!user || user.disabled) throw new DomainError('INVALID_CODE', undefined, 'code')
      twoFactor.useEmailCode(user, 'password-reset', code, workstation)
      await accounts.setPassword(user.id, password)
      lockout.succeed('account', String(user.id), 'password')
      audit.record({ event: 'password.reset', subject: who(user), workstation })
    },

    checkLink(token: string): { displayName: string; hasPassword: boolean } {
      const { user } = liveToken(token)
      return { displayName: user.display_name, hasPassword: getPasswordHash(db, user.id) !== undefined }
    },

    /** Redeems a registration link: the user chooses a password (or confirms theirs) and must enrol. */
    async redeemLink(token: string, password: string, workstation: string): Promise<UserRow> {
      const { row, user } = liveToken(token)
      const existing = getPasswordHash(db, user.id)
      if (existing) await auth.confirmPassword(user, password, workstation)
      if (!existing && password.length < MIN_PASSWORD_LENGTH) throw new DomainError('WEAK_PASSWORD', `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`, 'password')
      if (!existing) await accounts.setPassword(user.id, password)
      db.transaction(() => {
        const used = db.prepare('UPDATE enrolment_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL').run(clock.now(), row.token_hash)
        if (used.changes !== 1) throw new DomainError('INVALID_TOKEN', undefined, 'token')
        if (!twoFactor.isActive(user.id)) db.prepare('UPDATE users SET must_enrol = 1 WHERE id = ?').run(user.id)
        audit.record({ event: 'enrolment-link.used', subject: who(user), workstation })
      }).immediate()
      return findUserById(db, user.id)!
    }
  }
}

export type SelfService = ReturnType<typeof createSelfService>
