/**
 * Second factors: enrolment (a state machine stored per user), verification at login with lockout
 * and replay protection, e-mail codes, recovery codes, one-time access codes, and the help-desk
 * reset. Every check that counts a failure runs in one IMMEDIATE transaction with the check itself,
 * so two simultaneous attempts cannot both pass or both go uncounted.
 */
import { randomInt } from 'node:crypto'
import QRCode from 'qrcode'
import type { EnrolStep, SecondFactorResult, TwoFactorStatus } from '../../../shared/dto'
import type { Method } from '../../../shared/policy'
import type { Audit } from '../audit'
import type { Clock } from '../clock'
import { DomainError } from '../domain-error'
import type { Lockout } from '../lockout'
import type { Mailer } from '../mail'
import type { PolicyStore } from '../policy'
import { sameHash, type Sealer } from '../secrets'
import type { Db } from '../../db/open'
import {
  activeFactor,
  deleteEmailCode,
  getEmailCode,
  getFactor,
  markRecoveryCodeUsed,
  putEmailCode,
  putFactor,
  removeFactor,
  replaceRecoveryCodes,
  setFactorState,
  setLastStep,
  unusedRecoveryCodes,
  type EmailPurpose,
  type FactorRow
} from '../../db/queries/factors'
import type { UserRow } from '../../db/queries/users'
import { FEW_RECOVERY_CODES, newRecoveryCodes, normalizeCode, randomCode, RECOVERY_CODE_CHARS } from './recovery-codes'
import { checkTotp, groupKey, newTotpSecret, normalizeOtp, totpUri } from './totp'

/** E-mail codes live 5 minutes and can be re-sent after 30 seconds. */
export const EMAIL_CODE_LIFETIME_MS = 5 * 60_000
export const EMAIL_RESEND_AFTER_MS = 30_000
/** One-time access codes: 12 characters of base32 (60 bits), read out over the phone. */
export const ACCESS_CODE_CHARS = 12

export type SecondFactorMethod = Method | 'recovery' | 'access-code'

export type Verified = SecondFactorResult & { viaAccessCode: boolean }

export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@')
  return `${local.slice(0, 1)}${'•'.repeat(Math.max(1, Math.min(local.length - 1, 6)))}@${domain}`
}

const who = (u: UserRow) => ({ id: u.id, username: u.username })

export function createTwoFactor(deps: {
  db: Db
  clock: Clock
  sealer: Sealer
  policy: PolicyStore
  audit: Audit
  lockout: Lockout
  mailer: Mailer
}) {
  const { db, clock, sealer, policy, audit, lockout, mailer } = deps
  const secretContext = (userId: number) => `totp:${userId}`
  const recoveryContext = (userId: number) => `recovery:${userId}`
  const accessContext = (userId: number) => `access:${userId}`
  const emailContext = (userId: number, purpose: EmailPurpose) => `email:${purpose}:${userId}`

  /** Runs `body` in an IMMEDIATE transaction; a DomainError it returns is thrown after the commit. */
  function decide<T>(body: () => T | DomainError): T {
    const out = db.transaction(body).immediate()
    if (out instanceof DomainError) throw out
    return out
  }

  function recoveryCodesLeft(userId: number): number {
    return unusedRecoveryCodes(db, userId).length
  }

  function issueRecoveryCodes(user: UserRow): EnrolStep {
    const codes = newRecoveryCodes(policy.get().recoveryCodeCount)
    const hashes = codes.map((c) => sealer.codeHash(normalizeCode(c, RECOVERY_CODE_CHARS)!, recoveryContext(user.id)))
    replaceRecoveryCodes(db, user.id, hashes, clock.now())
    return { step: 'recovery-codes', codes, issuer: policy.get().issuer, account: user.email, issuedAt: clock.now() }
  }

  async function scanStep(user: UserRow, factor: FactorRow): Promise<EnrolStep> {
    const secret = sealer.open(factor.secret!, secretContext(user.id))
    const issuer = policy.get().issuer
    const uri = totpUri(issuer, user.email, secret)
    const qrDataUrl = await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, scale: 6 })
    return { step: 'scan', issuer, account: user.email, uri, qrDataUrl, key: groupKey(secret) }
  }

  /** Inside a transaction: checks and consumes a live e-mail code of this purpose. */
  function takeEmailCode(user: UserRow, purpose: EmailPurpose, code: string): 'ok' | 'wrong' | 'expired' | 'none' {
    const row = getEmailCode(db, user.id)
    if (!row || row.purpose !== purpose) return 'none'
    if (row.expires_at <= clock.now()) {
      deleteEmailCode(db, user.id)
      return 'expired'
    }
    const digits = normalizeOtp(code)
    if (!digits || !sameHash(sealer.codeHash(digits, emailContext(user.id, purpose)), row.code_hash)) return 'wrong'
    deleteEmailCode(db, user.id)
    return 'ok'
  }

  function emailCodeError(outcome: 'wrong' | 'expired' | 'none'): DomainError {
    return new DomainError(outcome === 'wrong' ? 'INVALID_CODE' : outcome === 'expired' ? 'CODE_EXPIRED' : 'NO_CODE_SENT', undefined, 'code')
  }

  /** Counts a second-factor failure for the account and the workstation; audits any lock it causes. */
  function countFailure(user: UserRow, workstation: string, method: string): void {
    const p = policy.get().lockout
    const accountLock = lockout.fail('account', String(user.id), 'second-factor', p)
    const wsLock = lockout.fail('workstation', workstation, 'second-factor', p)
    audit.record({ event: 'login.second-factor-failed', subject: who(user), workstation, details: { method } })
    if (accountLock) audit.record({ event: 'lock.account', subject: who(user), workstation, details: { until: accountLock, factor: 'second-factor' } })
    if (wsLock) audit.record({ event: 'lock.workstation', workstation, details: { until: wsLock, factor: 'second-factor' } })
  }

  /** The lock in force for this account and workstation, as an error to throw, or null. */
  function lockError(user: UserRow, workstation: string): DomainError | null {
    const ws = lockout.state('workstation', workstation, 'second-factor').lockedUntil
    if (ws) return new DomainError('WORKSTATION_LOCKED', undefined, undefined, { lockedUntil: ws })
    const acc = lockout.state('account', String(user.id), 'second-factor').lockedUntil
    if (acc) return new DomainError('ACCOUNT_LOCKED', undefined, undefined, { lockedUntil: acc })
    return null
  }

  /**
   * One second-factor attempt, decided in one transaction: lock check, the check itself, the replay
   * record or the consumed code, and the failure count.
   */
  function attempt(user: UserRow, method: SecondFactorMethod, code: string, workstation: string, allowAccessCode: boolean): Verified {
    return decide((): Verified | DomainError => {
      const locked = lockError(user, workstation)
      if (locked) return locked
      const now = clock.now()
      const factor = activeFactor(db, user.id)
      const fail = (error: DomainError = new DomainError('INVALID_CODE', undefined, 'code')) => {
        countFailure(user, workstation, method)
        return lockError(user, workstation) ?? error
      }
      let result: Verified = { recoveryCodesLeft: null, lowOnRecoveryCodes: false, viaAccessCode: false }

      if (method === 'totp') {
        if (factor?.method !== 'totp') return new DomainError('NOT_ENROLLED')
        const digits = normalizeOtp(code)
        if (!digits) return fail()
        const check = checkTotp(sealer.open(factor.secret!, secretContext(user.id)), digits, now, factor.last_step)
        if (!check.valid) {
          if (check.replayedStep !== null) {
            audit.record({ event: 'login.code-replayed', subject: who(user), workstation, details: { step: check.replayedStep } })
            return fail(new DomainError('CODE_ALREADY_USED', undefined, 'code'))
          }
          return fail()
        }
        setLastStep(db, user.id, check.step)
      } else if (method === 'email') {
        if (!factor) return new DomainError('NOT_ENROLLED')
        const outcome = takeEmailCode(user, 'login', code)
        if (outcome === 'wrong') return fail()
        if (outcome !== 'ok') return emailCodeError(outcome)
      } else if (method === 'recovery') {
        if (!factor) return new DomainError('NOT_ENROLLED')
        const normal = normalizeCode(code, RECOVERY_CODE_CHARS)
        const hash = normal ? sealer.codeHash(normal, recoveryContext(user.id)) : ''
        // Compare against every unused code, in constant time each, without stopping at a match.
        let match: number | null = null
        const unused = unusedRecoveryCodes(db, user.id)
        for (const row of unused) if (sameHash(hash, row.code_hash)) match = row.id
        if (match === null) return fail()
        markRecoveryCodeUsed(db, match, now)
        const left = unused.length - 1
        result = { ...result, recoveryCodesLeft: left, lowOnRecoveryCodes: left <= FEW_RECOVERY_CODES }
        audit.record({ event: 'login.recovery-code-used', subject: who(user), workstation, details: { left } })
      } else {
        if (!allowAccessCode) return new DomainError('METHOD_NOT_ALLOWED')
        const normal = normalizeCode(code, ACCESS_CODE_CHARS)
        const hash = normal ? sealer.codeHash(normal, accessContext(user.id)) : ''
        const live = db
          .prepare('SELECT id, code_hash FROM access_codes WHERE user_id = ? AND used_at IS NULL AND expires_at > ?')
          .all(user.id, now) as { id: number; code_hash: string }[]
        const row = live.find((r) => sameHash(hash, r.code_hash))
        if (!row) return fail()
        db.prepare('UPDATE access_codes SET used_at = ? WHERE id = ?').run(now, row.id)
        // The access code replaces the second factor once: the old one is gone, setup comes next.
        removeFactor(db, user.id)
        db.prepare('UPDATE users SET must_enrol = 1 WHERE id = ?').run(user.id)
        audit.record({ event: 'login.access-code-used', subject: who(user), workstation })
        result = { ...result, viaAccessCode: true }
      }
      lockout.succeed('account', String(user.id), 'second-factor')
      lockout.succeed('workstation', workstation, 'second-factor')
      return result
    })
  }

  return {
    status(user: UserRow): TwoFactorStatus {
      const p = policy.get()
      const factor = activeFactor(db, user.id)
      const left = factor ? recoveryCodesLeft(user.id) : 0
      return {
        active: !!factor,
        method: factor?.method ?? null,
        activatedAt: factor?.activated_at ?? null,
        recoveryCodesLeft: left,
        lowOnRecoveryCodes: !!factor && left <= FEW_RECOVERY_CODES,
        mandatory: p.mandatory,
        canDisable: !!factor && !p.mandatory,
        allowedMethods: p.allowedMethods
      }
    },

    isActive(userId: number): boolean {
      return activeFactor(db, userId) !== undefined
    },

    /** "Send a code by e-mail" at login: for e-mail users always, for others when the policy allows it. */
    emailCodeAllowed(method: Method | null): boolean {
      return method === 'email' || policy.get().allowedMethods.includes('email')
    },

    activeMethod(userId: number): Method | null {
      return activeFactor(db, userId)?.method ?? null
    },

    lockError,

    /** Sends a fresh 6-digit code (the previous one stops working). Throttled per user. */
    async sendEmailCode(user: UserRow, purpose: EmailPurpose, workstation: string): Promise<{ maskedEmail: string; expiresAt: number }> {
      const now = clock.now()
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
      const expiresAt = now + EMAIL_CODE_LIFETIME_MS
      decide(() => {
        const live = getEmailCode(db, user.id)
        if (live && live.sent_at + EMAIL_RESEND_AFTER_MS > now) {
          return new DomainError('RESEND_TOO_SOON', undefined, undefined, { retryAt: live.sent_at + EMAIL_RESEND_AFTER_MS })
        }
        putEmailCode(db, { user_id: user.id, purpose, code_hash: sealer.codeHash(code, emailContext(user.id, purpose)), sent_at: now, expires_at: expiresAt })
        return null
      })
      const issuer = policy.get().issuer
      try {
        const delivery = await mailer.send({
          to: user.email,
          subject: `${issuer} verification code: ${code}`,
          text:
            `Hello ${user.display_name},\n\nYour ${issuer} verification code is:\n\n    ${code}\n\n` +
            `It works once, for the next 5 minutes. If you did not try to sign in, tell your help desk.\n`
        })
        audit.record({ event: 'email-code.sent', subject: who(user), workstation, details: { purpose, via: delivery.via } })
      } catch (error) {
        deleteEmailCode(db, user.id)
        throw error
      }
      return { maskedEmail: maskEmail(user.email), expiresAt }
    },

    // ---- Enrolment: start -> (verify-email) -> scan / email-code -> confirmed (codes shown) -> active

    async startEnrolment(user: UserRow, method: Method, workstation: string): Promise<EnrolStep> {
      const p = policy.get()
      if (!p.allowedMethods.includes(method)) throw new DomainError('METHOD_NOT_ALLOWED')
      decide(() => {
        if (activeFactor(db, user.id)) return new DomainError('ALREADY_ENROLLED')
        removeFactor(db, user.id) // whatever an abandoned setup left behind
        const verifyFirst = method === 'totp' && p.emailVerificationBeforeSetup
        putFactor(db, {
          user_id: user.id,
          method,
          state: verifyFirst ? 'verify-email' : 'scan',
          secret: method === 'totp' ? sealer.seal(newTotpSecret(), secretContext(user.id)) : null,
          started_at: clock.now()
        })
        audit.record({ event: 'enrol.started', subject: who(user), workstation, details: { method } })
        return null
      })
      const factor = getFactor(db, user.id)!
      if (factor.state === 'scan' && method === 'totp') return scanStep(user, factor)
      const sent = await this.sendEmailCode(user, 'enrol', workstation)
      return factor.state === 'verify-email' ? { step: 'verify-email', maskedEmail: sent.maskedEmail } : { step: 'email-code', maskedEmail: sent.maskedEmail }
    },

    /** E-mail verification before an authenticator app is shown (policy). */
    async verifyEnrolmentEmail(user: UserRow, code: string, workstation: string): Promise<EnrolStep> {
      decide(() => {
        const factor = getFactor(db, user.id)
        if (!factor || factor.state === 'active') return new DomainError('ENROLMENT_NOT_STARTED')
        if (factor.state !== 'verify-email') return new DomainError('ENROLMENT_STEP')
        const outcome = takeEmailCode(user, 'enrol', code)
        if (outcome !== 'ok') return emailCodeError(outcome)
        setFactorState(db, user.id, 'scan', clock.now())
        audit.record({ event: 'enrol.email-verified', subject: who(user), workstation })
        return null
      })
      return scanStep(user, getFactor(db, user.id)!)
    },

    /** A current code proves the app (or mailbox) works; the recovery codes are issued now. */
    confirmEnrolment(user: UserRow, code: string, workstation: string): EnrolStep {
      return decide((): EnrolStep | DomainError => {
        const factor = getFactor(db, user.id)
        if (!factor || factor.state === 'active') return new DomainError('ENROLMENT_NOT_STARTED')
        if (factor.state !== 'scan') return new DomainError('ENROLMENT_STEP')
        if (factor.method === 'totp') {
          const digits = normalizeOtp(code)
          const check = digits ? checkTotp(sealer.open(factor.secret!, secretContext(user.id)), digits, clock.now(), null) : null
          if (!check?.valid) return new DomainError('INVALID_CODE', 'That code is not correct. Check that the time on your phone is set automatically, then try the current code.', 'code')
          setLastStep(db, user.id, check.step) // the confirming code cannot be used again to log in
        } else {
          const outcome = takeEmailCode(user, 'enrol', code)
          if (outcome !== 'ok') return emailCodeError(outcome)
        }
        setFactorState(db, user.id, 'confirmed', clock.now())
        audit.record({ event: 'enrol.confirmed', subject: who(user), workstation, details: { method: factor.method } })
        return issueRecoveryCodes(user)
      })
    },

    /** The user said they saved the recovery codes: only now is 2FA on. */
    completeEnrolment(user: UserRow, workstation: string): void {
      decide(() => {
        const factor = getFactor(db, user.id)
        if (!factor || factor.state === 'active') return new DomainError('ENROLMENT_NOT_STARTED')
        if (factor.state !== 'confirmed') return new DomainError('ENROLMENT_STEP')
        setFactorState(db, user.id, 'active', clock.now())
        db.prepare('UPDATE users SET must_enrol = 0, postponements_used = 0 WHERE id = ?').run(user.id)
        audit.record({ event: 'enrol.completed', subject: who(user), workstation, details: { method: factor.method } })
        return null
      })
    },

    /** Leaving setup mid-way: nothing of it is kept. An active factor is never touched. */
    cancelEnrolment(user: UserRow): void {
      db.transaction(() => {
        if (!activeFactor(db, user.id)) removeFactor(db, user.id)
      }).immediate()
    },

    /** An e-mailed code outside login (password reset): the same lock and the same counting. */
    useEmailCode(user: UserRow, purpose: EmailPurpose, code: string, workstation: string): void {
      decide(() => {
        const locked = lockError(user, workstation)
        if (locked) return locked
        const outcome = takeEmailCode(user, purpose, code)
        if (outcome === 'wrong') {
          countFailure(user, workstation, 'email')
          return lockError(user, workstation) ?? new DomainError('INVALID_CODE', undefined, 'code')
        }
        return outcome === 'ok' ? null : emailCodeError(outcome)
      })
    },

    verify(user: UserRow, method: SecondFactorMethod, code: string, workstation: string): Verified {
      return attempt(user, method, code, workstation, true)
    },

    // ---- Self-service

    reissueRecoveryCodes(user: UserRow, workstation: string): EnrolStep {
      return decide((): EnrolStep | DomainError => {
        if (!activeFactor(db, user.id)) return new DomainError('NOT_ENROLLED')
        audit.record({ event: 'recovery-codes.reissued', subject: who(user), workstation })
        return issueRecoveryCodes(user)
      })
    },

    /** Password already checked by the caller; needs a current code or a recovery code too. */
    disable(user: UserRow, method: 'totp' | 'email' | 'recovery', code: string, workstation: string): void {
      if (policy.get().mandatory) throw new DomainError('TWO_FACTOR_REQUIRED')
      if (!activeFactor(db, user.id)) throw new DomainError('NOT_ENROLLED')
      attempt(user, method, code, workstation, false)
      db.transaction(() => {
        removeFactor(db, user.id)
        audit.record({ event: 'two-factor.disabled', subject: who(user), workstation, details: { method } })
      }).immediate()
    },

    // ---- Help desk

    /** Secret and recovery codes removed; the user must enrol at next login. */
    reset(actor: UserRow | null, target: UserRow, workstation: string, details: Record<string, unknown>): void {
      db.transaction(() => {
        removeFactor(db, target.id)
        db.prepare('UPDATE access_codes SET used_at = ? WHERE user_id = ? AND used_at IS NULL').run(clock.now(), target.id)
        db.prepare('UPDATE users SET must_enrol = 1, postponements_used = 0 WHERE id = ?').run(target.id)
        audit.record({ event: 'two-factor.reset', actor: actor && who(actor), subject: who(target), workstation, details })
      }).immediate()
    },

    issueAccessCode(actor: UserRow | null, target: UserRow, workstation: string, details: Record<string, unknown>): { code: string; expiresAt: number } {
      const code = randomCode(ACCESS_CODE_CHARS)
      const now = clock.now()
      const expiresAt = now + policy.get().accessCodeLifetimeMinutes * 60_000
      db.transaction(() => {
        // One live code per user: a new one replaces any other.
        db.prepare('UPDATE access_codes SET used_at = ? WHERE user_id = ? AND used_at IS NULL').run(now, target.id)
        db.prepare('INSERT INTO access_codes (user_id, code_hash, issued_by, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(
          target.id,
          sealer.codeHash(normalizeCode(code, ACCESS_CODE_CHARS)!, accessContext(target.id)),
          actor?.id ?? null,
          now,
          expiresAt
        )
        audit.record({ event: 'access-code.issued', actor: actor && who(actor), subject: who(target), workstation, details: { ...details, expiresAt } })
      }).immediate()
      return { code, expiresAt }
    }
  }
}

export type TwoFactor = ReturnType<typeof createTwoFactor>
