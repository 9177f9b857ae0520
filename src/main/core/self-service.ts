/**
 * What a user does without being signed in: "Forgot password?" (a code by e-mail when SMTP is set
 * up, otherwise a request to the help desk, who sets a temporary password) and redeeming a
 * registration link. Answers never tell whether an account exists: the same words, and the same
 * time, because the work (finding the user, sending the mail) happens after the answer.
 */
import type { DirectorySource } from '../../shared/directory-source'
import type { Locale } from '../../shared/i18n/locales'
import { message } from '../../shared/i18n/translate'
import { helpOf } from './directory-source/bind-login'
import type { PolicyStore } from './policy'
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
import { letter, recipientWords, type Mailer } from './mail'
import type { Sealer } from './secrets'
import type { SessionStore } from './sessions'
import type { TwoFactor } from './two-factor'
import type { Store } from '../store'
import { findUserById, findUserByIdentifier, getPasswordHash, type UserRow } from '../db/queries/users'


type TokenRow = { token_hash: string; user_id: number; expires_at: number; used_at: number | null }

/** Every refused reset looks the same: unknown name, no code, expired, wrong. */
const resetRefused = () => new DomainError('INVALID_CODE', message('staffRefusals.resetCodeRefused'), 'code')

export function createSelfService(deps: {
  store: Store
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
  policy: PolicyStore
  /** The directory's settings when it checks directory users' passwords (null: Tessera checks them). */
  directory: () => Promise<{ source: DirectorySource; password: string } | null>
}) {
  const { store, clock, accounts, auth, audit, attempts, sealer, twoFactor, helpdesk, background, mailer, sessions, policy } = deps

  /** A registration token, checked through the limiter (per workstation: a token names no account until it matches). */
  function liveToken(token: string, workstation: string): Promise<{ row: TokenRow; user: UserRow }> {
    return attempts.checkNow({ factor: 'token', account: null, workstation, user: null, failure: { event: 'enrolment-link.refused' } }, async () => {
      const row = await store.get<TokenRow>('SELECT * FROM enrolment_tokens WHERE token_hash = ?', [sealer.codeHash(token.trim(), ENROLMENT_TOKEN_CONTEXT)])
      const user = row && (await findUserById(store, row.user_id))
      if (!row || !user || row.used_at !== null || row.expires_at <= clock.now() || user.disabled) return wrong(new DomainError('INVALID_TOKEN', undefined, 'token'))
      return right({ row, user })
    })
  }

  /**
   * A directory user's forgotten password is the directory's: Tessera cannot reset it. They are
   * told the organisation's own way by e-mail (where there is one), never sent a code; the help desk
   * gets no request it could not act on.
   */
  async function directoryReset(user: UserRow, source: DirectorySource, workstation: string): Promise<void> {
    if (mailer.smtpConfigured()) {
      const words = recipientWords(policy, user)
      await mailer.send({
        to: user.email,
        subject: words.t('mail.directoryPassword.subject', { issuer: policy.get().issuer }),
        text: letter(words, user.display_name, [
          `${words.t('mail.directoryPassword.body', { workstation })}${helpOf(source) || ` ${words.t('mail.directoryPassword.askIt')}`}`,
          words.t('mail.directoryPassword.ignore')
        ])
      })
    }
    await audit.record({ event: 'password.reset-requested', subject: who(user), workstation, details: { directory: true } })
  }

  /** The forgotten-password work, after the answer: a code by e-mail, or a request to the help desk. */
  async function startReset(identifier: string, workstation: string): Promise<void> {
    const user = await findUserByIdentifier(store, identifier)
    if (!user || user.disabled) {
      await audit.record({ event: 'password.reset-requested', workstation, details: { ...attempts.unknownName(identifier), known: false } })
      return
    }
    const directory = user.external_id ? await deps.directory() : null
    if (directory) return directoryReset(user, directory.source, workstation)
    if (mailer.smtpConfigured()) {
      await twoFactor.sendEmailCode(user, 'password-reset', workstation).catch(async (error: unknown) => {
        if (!(error instanceof DomainError)) throw error
        await audit.record({ event: 'email-code.refused', subject: who(user), workstation, details: { purpose: 'password-reset', code: error.code } })
      })
      return
    }
    const requestId = await helpdesk.filePasswordRequest(user, workstation)
    await audit.record({ event: 'password.reset-requested', subject: who(user), workstation, details: { request: requestId } })
  }

  return {
    forgotPassword(identifier: string, workstation: string): { via: 'email' | 'helpdesk' } {
      background.run('forgot-password', () => startReset(identifier, workstation))
      return { via: mailer.smtpConfigured() ? 'email' : 'helpdesk' }
    },

    /** An e-mailed reset code, on the account's own reset counter: a flood of them never touches the login. */
    async resetPassword(identifier: string, code: string, password: string, workstation: string): Promise<void> {
      const found = await findUserByIdentifier(store, identifier)
      const user = await attempts.checkNow(
        {
          factor: 'reset',
          account: found ? String(found.id) : attempts.nameSubject(identifier),
          workstation,
          user: found ? who(found) : null,
          failure: { event: 'password.reset-failed', details: found ? {} : attempts.unknownName(identifier) }
        },
        async () => {
          if (!found || found.disabled) return wrong(resetRefused())
          return (await twoFactor.takeEmailCode(found.id, 'password-reset', code)).result === 'ok' ? right(found) : wrong(resetRefused())
        }
      )
      await accounts.setPassword(user.id, password)
      await store.transaction(async () => {
        await attempts.clear('account', String(user.id), 'password')
        await audit.record({ event: 'password.reset', subject: who(user), workstation })
      })
      await sessions.endAllFor(user.id, 'password-reset')
    },

    /** The language one reads Tessera in, screens and e-mails (null: the organisation's default); the same choice again writes nothing. */
    async setLanguage(user: UserRow, language: Locale | null, workstation: string): Promise<UserRow> {
      const current = (await findUserById(store, user.id)) ?? user
      if (current.language === language) return current
      await store.transaction(async () => {
        await store.run('UPDATE users SET language = ?, updated_at = ? WHERE id = ?', [language, clock.now(), user.id])
        await audit.record({ event: 'account.language-changed', subject: who(user), workstation, details: { from: current.language, to: language } })
      })
      return (await findUserById(store, user.id))!
    },

    async checkLink(token: string, workstation: string): Promise<{ displayName: string; hasPassword: boolean }> {
      const { user } = await liveToken(token, workstation)
      const hasPassword = (await auth.passwordIsTheDirectorys(user)) || (await getPasswordHash(store, user.id)) !== undefined
      return { displayName: user.display_name, hasPassword }
    },

    /** Redeems a registration link: the user chooses a password (or confirms theirs) and must enrol. */
    async redeemLink(token: string, password: string, workstation: string): Promise<UserRow> {
      const { row, user } = await liveToken(token, workstation)
      // A directory user confirms their directory password (a bind), never chooses one here.
      const existing = (await auth.passwordIsTheDirectorys(user)) || (await getPasswordHash(store, user.id)) !== undefined
      if (existing) await auth.confirmPassword(user, password, workstation)
      if (!existing && password.length < MIN_PASSWORD_LENGTH) throw new DomainError('WEAK_PASSWORD', message('staffRefusals.passwordTooShort', { min: MIN_PASSWORD_LENGTH }), 'password')
      if (!existing) await accounts.setPassword(user.id, password)
      await store.transaction(async () => {
        const used = await store.run('UPDATE enrolment_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL', [clock.now(), row.token_hash])
        if (used.changes !== 1) throw new DomainError('INVALID_TOKEN', undefined, 'token')
        if (!(await twoFactor.isActive(user.id))) await store.run('UPDATE users SET must_enrol = 1 WHERE id = ?', [user.id])
        await audit.record({ event: 'enrolment-link.used', subject: who(user), workstation })
      })
      return (await findUserById(store, user.id))!
    }
  }
}

export type SelfService = ReturnType<typeof createSelfService>
