/**
 * What a user does without being signed in: "Forgot password?" (a code by e-mail when SMTP is set
 * up, otherwise a request to the help desk, who sets a temporary password) and redeeming a
 * registration link. Answers never tell whether an account exists: the same words, and the same
 * time, because the work (finding the user, sending the mail) happens after the answer.
 */
import { MIN_PASSWORD_LENGTH } from '../../shared/validation'
import type { Accounts } from './accounts'
import { right, wrong, type Attempts } from './attempts'
import { type Audit, who } from './audit'
import type { Auth } from './auth'
import type { Background } from './background'
import type { Clock } from './clock'
import { DomainError } from './domain-error'
import type { Helpdesk } from './helpdesk'
import { ENROLMENT_TOKEN_CONTEXT } from './helpdesk'
import type { Mailer } from './mail'
import type { Sealer } from './secrets'
import type { SessionStore } from './sessions'
import type { TwoFactor } from './two-factor'
import type { Db } from '../db/open'
import { findUserById, findUserByIdentifier, getPasswordHash, type UserRow } from '../db/queries/users'


type TokenRow = { token_hash: string; user_id: number; expires_at: number; used_at: number | null }

/** Every refused reset looks the same: unknown name, no code, expired, wrong. */
const resetRefused = () => new DomainError('INVALID_CODE', 'That code is not correct or no longer works. Ask for a new one.', 'code')

export function createSelfService(deps: {
  db: Db
  clock: Clock
  accounts: Accounts
  auth: Auth
  audit: Audit
  attempts: Attempts
  sealer: Sealer
  twoFactor: TwoFactor
  helpdesk: Helpdesk
  background: Background
  mailer: Mailer
  sessions: SessionStore
}) {
  const { db, clock, accounts, auth, audit, attempts, sealer, twoFactor, helpdesk, background, mailer, sessions } = deps

  /** A registration token, checked through the limiter (per workstation: a token names no account until it matches). */
  function liveToken(token: string, workstation: string): { row: TokenRow; user: UserRow } {
    return attempts.checkNow({ factor: 'token', account: null, workstation, user: null, failure: { event: 'enrolment-link.refused' } }, () => {
      const row = db.prepare('SELECT * FROM enrolment_tokens WHERE token_hash = ?').get(sealer.codeHash(token.trim(), ENROLMENT_TOKEN_CONTEXT)) as TokenRow | undefined
      const user = row && findUserById(db, row.user_id)
      if (!row || !user || row.used_at !== null || row.expires_at <= clock.now() || user.disabled) return wrong(new DomainError('INVALID_TOKEN', undefined, 'token'))
      return right({ row, user })
    })
  }

  /** The forgotten-password work, after the answer: a code by e-mail, or a request to the help desk. */
  async function startReset(identifier: string, workstation: string): Promise<void> {
    const user = findUserByIdentifier(db, identifier)
    if (!user || user.disabled) {
      audit.record({ event: 'password.reset-requested', workstation, details: { ...attempts.unknownName(identifier), known: false } })
      return
    }
    if (mailer.smtpConfigured()) {
      await twoFactor.sendEmailCode(user, 'password-reset', workstation).catch((error: unknown) => {
        if (!(error instanceof DomainError)) throw error
        audit.record({ event: 'email-code.refused', subject: who(user), workstation, details: { purpose: 'password-reset', code: error.code } })
      })
      return
    }
    const requestId = helpdesk.filePasswordRequest(user, workstation)
    audit.record({ event: 'password.reset-requested', subject: who(user), workstation, details: { request: requestId } })
  }

  return {
    forgotPassword(identifier: string, workstation: string): { via: 'email' | 'helpdesk' } {
      background.run('forgot-password', () => startReset(identifier, workstation))
      return { via: mailer.smtpConfigured() ? 'email' : 'helpdesk' }
    },

    /** An e-mailed reset code, on the account's own reset counter: a flood of them never touches the login. */
    async resetPassword(identifier: string, code: string, password: string, workstation: string): Promise<void> {
      const found = findUserByIdentifier(db, identifier)
      const user = attempts.checkNow(
        {
          factor: 'reset',
          account: found ? String(found.id) : attempts.nameSubject(identifier),
          workstation,
          user: found ? who(found) : null,
          failure: { event: 'password.reset-failed', details: found ? {} : attempts.unknownName(identifier) }
        },
        () => {
          if (!found || found.disabled) return wrong(resetRefused())
          return twoFactor.takeEmailCode(found.id, 'password-reset', code).result === 'ok' ? right(found) : wrong(resetRefused())
        }
      )
      await accounts.setPassword(user.id, password)
      db.transaction(() => {
        attempts.clear('account', String(user.id), 'password')
        audit.record({ event: 'password.reset', subject: who(user), workstation })
      }).immediate()
      sessions.endAllFor(user.id, 'password-reset')
    },

    checkLink(token: string, workstation: string): { displayName: string; hasPassword: boolean } {
      const { user } = liveToken(token, workstation)
      return { displayName: user.display_name, hasPassword: getPasswordHash(db, user.id) !== undefined }
    },

    /** Redeems a registration link: the user chooses a password (or confirms theirs) and must enrol. */
    async redeemLink(token: string, password: string, workstation: string): Promise<UserRow> {
      const { row, user } = liveToken(token, workstation)
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
