/**
 * Second factors: enrolment (a state machine stored per user), verification at login, e-mail
 * codes, recovery codes, one-time access codes, and the help-desk reset. Every code check goes
 * through the attempt limiter (../attempts.ts): the lock, the check, the consumed code or replay
 * record, and the failure count are decided in one transaction. A code (a TOTP step, a recovery,
 * access or e-mail code, a token's counter value) is consumed by a conditional write, or decided on
 * a locked read, so that it is accepted once even when two processes check it at the same moment.
 */
import QRCode from 'qrcode'
import type { EnrolStep, SecondFactorResult, TwoFactorStatus } from '../../../shared/dto'
import { methodComplies, type Method } from '../../../shared/policy'
import { neutral, right, wrong, type Attempt, type Attempts, type Outcome } from '../attempts'
import { type Audit, type AuditEvent, who } from '../audit'
import type { Clock } from '../clock'
import { DomainError } from '../domain-error'
import type { Mailer } from '../mail'
import type { PolicyStore } from '../policy'
import { amongHashes, sameHash, type Sealer } from '../secrets'
import type { Store } from '../../store'
import {
  activeFactor,
  getFactor,
  markRecoveryCodeUsed,
  putFactor,
  removeFactor,
  replaceRecoveryCodes,
  setFactorState,
  setLastStep,
  takeStep,
  unusedRecoveryCodes,
  type FactorRow
} from '../../db/queries/factors'
import type { UserRow } from '../../db/queries/users'
import { createAccessCodes, JUST_USED_MS } from './access-codes'
import { codeError, createEmailCodes, type EmailPurpose, type Taken } from './email-codes'
import { FEW_RECOVERY_CODES, newRecoveryCodes, normalizeCode, RECOVERY_CODE_CHARS } from './recovery-codes'
import { checkTotp, groupKey, newTotpSecret, normalizeOtp, totpUri } from './totp'
import { createTokens, type TokenCheck } from './oath-token'
import { createSecurityKeys, type RelyingParty } from './webauthn'
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server'


export type SecondFactorMethod = Method | 'recovery' | 'access-code'

export type Verified = SecondFactorResult & { viaAccessCode: boolean }

export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@')
  return `${local.slice(0, 1)}${'•'.repeat(Math.max(1, Math.min(local.length - 1, 6)))}@${domain}`
}


/** A new phone must confirm its first code this soon after the old one proved it was them. */
export const REPLACEMENT_MS = 10 * 60_000

/** An e-mail code's outcome for the attempt limiter: an expired or missing code hides nothing to guess. */
function emailOutcome(taken: Taken): Outcome<null> {
  if (taken.result === 'ok') return right(null)
  return taken.result === 'wrong' ? wrong(codeError(taken)) : neutral(codeError(taken))
}

export function createTwoFactor(deps: {
  store: Store
  clock: Clock
  sealer: Sealer
  policy: PolicyStore
  audit: Audit
  attempts: Attempts
  mailer: Mailer
  relyingParty: RelyingParty | null
}) {
  const { store, clock, sealer, policy, audit, attempts, mailer } = deps
  const emailCodes = createEmailCodes({ store, clock, sealer })
  const accessCodes = createAccessCodes({ store, clock, sealer })
  const tokens = createTokens({ store, clock, sealer, audit })
  const keys = createSecurityKeys({ store, clock, audit, policy, rp: deps.relyingParty })
  const secretContext = (userId: number) => `totp:${userId}`
  const recoveryContext = (userId: number) => `recovery:${userId}`

  /** A second-factor attempt of this user at this workstation, and the audit row of a wrong one. */
  const attemptOf = (user: UserRow, workstation: string, event: AuditEvent, details: Record<string, unknown>): Attempt => ({
    factor: 'second-factor',
    account: String(user.id),
    workstation,
    user: who(user),
    failure: { event, details }
  })

  /** Device replacements under way, by session: the new secret until its first code confirms it. */
  const replacements = new Map<string, { userId: number; secret: string; startedAt: number }>()

  /** Runs `body` in a transaction; a DomainError it returns is thrown after the commit. */
  async function decide<T>(body: () => Promise<T | DomainError>): Promise<T> {
    const out = await store.transaction(body)
    if (out instanceof DomainError) throw out
    return out
  }

  /** The user's factor, locked until the caller's transaction ends: what is decided on it still holds at the commit. */
  const lockedFactor = (userId: number) => store.get<FactorRow>(`SELECT * FROM second_factors WHERE user_id = ?${store.forUpdate}`, [userId])

  async function issueRecoveryCodes(user: UserRow): Promise<EnrolStep> {
    const codes = newRecoveryCodes(policy.get().recoveryCodeCount)
    const hashes = codes.map((c) => sealer.codeHash(normalizeCode(c, RECOVERY_CODE_CHARS)!, recoveryContext(user.id)))
    await replaceRecoveryCodes(store, user.id, hashes, clock.now())
    return { step: 'recovery-codes', codes, issuer: policy.get().issuer, account: user.email, issuedAt: clock.now() }
  }

  async function scanStep(user: UserRow, factor: FactorRow): Promise<EnrolStep> {
    return scanStepFor(user, sealer.open(factor.secret!, secretContext(user.id)))
  }

  async function scanStepFor(user: UserRow, secret: string): Promise<EnrolStep> {
    const issuer = policy.get().issuer
    const uri = totpUri(issuer, user.email, secret)
    const qrDataUrl = await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, scale: 6 })
    return { step: 'scan', issuer, account: user.email, uri, qrDataUrl, key: groupKey(secret) }
  }

  /**
   * A login TOTP code. The step is taken only if no check took it (or a later one) first, so it is
   * accepted once; a step taken meanwhile by another check is a replay like any other.
   */
  async function totpOutcome(user: UserRow, factor: FactorRow, code: string, workstation: string): Promise<Outcome<null>> {
    const digits = normalizeOtp(code)
    if (!digits) return wrong()
    const check = checkTotp(sealer.open(factor.secret!, secretContext(user.id)), digits, clock.now(), factor.last_step)
    if (check.valid) {
      if (await takeStep(store, user.id, check.step)) return right(null)
      const now = await store.get<{ last_step: number | null }>('SELECT last_step FROM second_factors WHERE user_id = ?', [user.id])
      if (!now) return neutral(new DomainError('NOT_ENROLLED'))
      return replayOutcome(user, check.step, now.last_step, workstation)
    }
    if (check.replayedStep === null) return wrong()
    return replayOutcome(user, check.replayedStep, factor.last_step, workstation)
  }

  /** A step already used: the code that just succeeded, sent again, is no guess: it is refused, not counted. */
  async function replayOutcome(user: UserRow, step: number, lastStep: number | null, workstation: string): Promise<Outcome<null>> {
    const used = new DomainError('CODE_ALREADY_USED', undefined, 'code')
    if (step === lastStep) return neutral(used)
    await audit.record({ event: 'login.code-replayed', subject: who(user), workstation, details: { step } })
    return wrong(used)
  }

  /** A hardware token's code: wrong ones count; a replayed step or a resynchronisation's first code do not. */
  async function tokenOutcome(user: UserRow, code: string, workstation: string): Promise<Outcome<null>> {
    const result: TokenCheck = await tokens.check(user.id, code)
    if (result === 'ok') return right(null)
    if (result === 'resync') {
      await audit.record({ event: 'token.resync-started', subject: who(user), workstation })
      return neutral(new DomainError('TOKEN_RESYNC', undefined, 'code'))
    }
    return result === 'replayed' ? neutral(new DomainError('CODE_ALREADY_USED', 'That code was already used. Wait for the next code on your token.', 'code')) : wrong()
  }

  /** Gives the user a token as their second factor, awaiting its first code; their old factor goes. */
  async function putTokenFactor(target: UserRow): Promise<void> {
    await removeFactor(store, target.id)
    await accessCodes.revoke(target.id)
    await putFactor(store, { user_id: target.id, method: 'token', state: 'scan', secret: null, started_at: clock.now() })
    await store.run('UPDATE users SET must_enrol = 1, postponements_used = 0 WHERE id = ?', [target.id])
  }

  /**
   * Compared against every unused code, in constant time each, without stopping at a match. The
   * match is marked used only while still unused: a code another check used first is wrong, as any
   * used code is.
   */
  async function recoveryOutcome(user: UserRow, code: string, workstation: string): Promise<Outcome<Verified>> {
    const normal = normalizeCode(code, RECOVERY_CODE_CHARS)
    const hash = normal ? sealer.codeHash(normal, recoveryContext(user.id)) : ''
    let match: number | null = null
    const unused = await unusedRecoveryCodes(store, user.id)
    for (const row of unused) if (sameHash(hash, row.code_hash)) match = row.id
    if (match === null || !(await markRecoveryCodeUsed(store, match, clock.now()))) {
      return (await recoveryJustUsed(user.id, hash)) ? neutral(new DomainError('CODE_ALREADY_USED', 'That recovery code was just used: each one works once.', 'code')) : wrong()
    }
    const left = unused.length - 1
    await audit.record({ event: 'login.recovery-code-used', subject: who(user), workstation, details: { left } })
    return right({ recoveryCodesLeft: left, lowOnRecoveryCodes: left <= FEW_RECOVERY_CODES, viaAccessCode: false })
  }

  /** A recovery code that succeeded a moment ago, sent again: no guess (see JUST_USED_MS). */
  async function recoveryJustUsed(userId: number, hash: string): Promise<boolean> {
    const recent = await store.all<{ code_hash: string }>('SELECT code_hash FROM recovery_codes WHERE user_id = ? AND used_at > ?', [userId, clock.now() - JUST_USED_MS])
    return amongHashes(hash, recent.map((r) => r.code_hash))
  }

  /** The access code replaces the second factor once: the old one is gone, setup comes next. */
  async function accessCodeOutcome(user: UserRow, code: string, workstation: string): Promise<Outcome<Verified>> {
    const taken = await accessCodes.take(user.id, code)
    if (taken === 'just-used') return neutral(new DomainError('CODE_ALREADY_USED', 'That access code was just used: each one works once.', 'code'))
    if (taken !== 'ok') return wrong()
    await removeFactor(store, user.id)
    await store.run('UPDATE users SET must_enrol = 1 WHERE id = ?', [user.id])
    await audit.record({ event: 'login.access-code-used', subject: who(user), workstation })
    return right({ recoveryCodesLeft: null, lowOnRecoveryCodes: false, viaAccessCode: true })
  }

  /** One second-factor code of any kind, inside the limiter's transaction. */
  async function loginOutcome(user: UserRow, method: SecondFactorMethod, code: string, workstation: string, allowAccessCode: boolean): Promise<Outcome<Verified>> {
    const plain: Verified = { recoveryCodesLeft: null, lowOnRecoveryCodes: false, viaAccessCode: false }
    const factor = await activeFactor(store, user.id)
    if (method === 'access-code') return allowAccessCode ? accessCodeOutcome(user, code, workstation) : neutral(new DomainError('METHOD_NOT_ALLOWED'))
    if (!factor) return neutral(new DomainError('NOT_ENROLLED'))
    if (method === 'recovery') return recoveryOutcome(user, code, workstation)
    if (method === 'webauthn') return neutral(new DomainError('METHOD_NOT_ALLOWED', 'Use your security key.'))
    if (method === 'totp' || method === 'token') {
      if (factor.method !== method) return neutral(new DomainError('NOT_ENROLLED'))
      const o = method === 'totp' ? await totpOutcome(user, factor, code, workstation) : await tokenOutcome(user, code, workstation)
      return o.result === 'right' ? right(plain) : o
    }
    if (!emailAllowedFor(factor.method)) return neutral(new DomainError('METHOD_NOT_ALLOWED'))
    const o = emailOutcome(await emailCodes.take(user.id, 'login', code))
    return o.result === 'right' ? right(plain) : o
  }

  /** E-mail codes at login: for e-mail users, and for others only where the policy allows falling back. */
  function emailAllowedFor(method: Method | null): boolean {
    const p = policy.get()
    return method === 'email' || (method !== null && p.emailFallback && p.allowedMethods.includes('email'))
  }

  /** A setup step's code (e-mail check or confirmation), counted like a login code; the factor stays locked until it is decided. */
  function setupStep<T>(user: UserRow, workstation: string, step: string, expected: FactorRow['state'], check: (factor: FactorRow) => Promise<Outcome<T>>): Promise<T> {
    return attempts.checkNow(attemptOf(user, workstation, 'enrol.code-failed', { step }), async () => {
      const factor = await lockedFactor(user.id)
      if (!factor || factor.state === 'active') return neutral(new DomainError('ENROLMENT_NOT_STARTED'))
      if (factor.state !== expected) return neutral(new DomainError('ENROLMENT_STEP'))
      return check(factor)
    })
  }

  return {
    async status(user: UserRow): Promise<TwoFactorStatus> {
      const p = policy.get()
      const factor = await activeFactor(store, user.id)
      const left = factor ? (await unusedRecoveryCodes(store, user.id)).length : 0
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

    async isActive(userId: number): Promise<boolean> {
      return (await activeFactor(store, userId)) !== undefined
    },

    emailCodeAllowed: emailAllowedFor,

    async activeMethod(userId: number): Promise<Method | null> {
      return (await activeFactor(store, userId))?.method ?? null
    },

    /** The second-factor lock in force for this account or workstation, or null. */
    lockOf(user: UserRow, workstation: string): Promise<DomainError | null> {
      return attempts.lockOf({ factor: 'second-factor', account: String(user.id), workstation })
    },

    /** Sends a fresh 6-digit code for `purpose` (that purpose's previous code stops working). Limited per user. */
    async sendEmailCode(user: UserRow, purpose: EmailPurpose, workstation: string): Promise<{ maskedEmail: string; expiresAt: number }> {
      const { code, expiresAt } = await decide(() => emailCodes.issue(user.id, purpose))
      const issuer = policy.get().issuer
      try {
        const delivery = await mailer.send({
          to: user.email,
          // Never the code itself: subject lines show on lock screens and in mail lists.
          subject: purpose === 'password-reset' ? `${issuer}: reset your password` : `${issuer}: your verification code`,
          text:
            `Hello ${user.display_name},\n\nYour ${issuer} verification code is:\n\n    ${code}\n\n` +
            `It works once, for the next 5 minutes. If you did not ask for it, tell your help desk.\n`
        })
        await audit.record({ event: 'email-code.sent', subject: who(user), workstation, details: { purpose, via: delivery.via } })
      } catch (error) {
        await emailCodes.discard(user.id, purpose)
        throw error
      }
      return { maskedEmail: maskEmail(user.email), expiresAt }
    },

    /** Checks an e-mailed code of `purpose` for the caller's own counters (password reset: ../self-service.ts). */
    takeEmailCode(userId: number, purpose: EmailPurpose, code: string): Promise<Taken> {
      return emailCodes.take(userId, purpose, code)
    },

    // ---- Enrolment: start -> (verify-email) -> scan / email-code -> confirmed (codes shown) -> active

    async startEnrolment(user: UserRow, method: Method, workstation: string, sessionId: string | null = null): Promise<EnrolStep> {
      const p = policy.get()
      const pending = await getFactor(store, user.id)
      if (method === 'token') {
        const held = await tokens.heldBy(user.id)
        if (pending?.method !== 'token' || pending.state !== 'scan' || !held) throw new DomainError('TOKEN_FROM_HELP_DESK')
        return { step: 'token-code', serial: held.serial, digits: held.digits }
      }
      if (!p.allowedMethods.includes(method)) throw new DomainError('METHOD_NOT_ALLOWED')
      if (method === 'webauthn' && (!keys.available() || sessionId === null)) throw new DomainError('METHOD_NOT_ALLOWED', 'Security keys cannot be used here.')
      const required = p.requiredMethod[user.role]
      if (required !== null && method !== required) throw new DomainError('METHOD_NOT_ALLOWED', 'Your organisation requires another method for your role.')
      const active = await activeFactor(store, user.id)
      // Moving to the method the policy requires: a key is registered beside the current factor,
      // which stays until the new one is complete (a cancelled switch leaves the user as they were).
      if (active && !methodComplies(p, user.role, active.method) && method === 'webauthn') return { step: 'register-key', options: await keys.registrationOptions(user, sessionId!) }
      await decide(async () => {
        if ((await lockedFactor(user.id))?.state === 'active' && methodComplies(p, user.role, active?.method ?? null)) return new DomainError('ALREADY_ENROLLED')
        // A token the help desk gave but the user sets up something else instead: it goes back.
        const held = pending?.method === 'token' ? await tokens.heldBy(user.id) : null
        if (held) await tokens.release(null, held.serial, false, workstation)
        await removeFactor(store, user.id) // whatever an abandoned setup left behind
        const verifyFirst = method === 'totp' && p.emailVerificationBeforeSetup
        await putFactor(store, {
          user_id: user.id,
          method,
          state: verifyFirst ? 'verify-email' : 'scan',
          secret: method === 'totp' ? sealer.seal(newTotpSecret(), secretContext(user.id)) : null,
          started_at: clock.now()
        })
        await audit.record({ event: 'enrol.started', subject: who(user), workstation, details: { method } })
        return null
      })
      const factor = (await getFactor(store, user.id))!
      if (factor.state === 'scan' && method === 'totp') return scanStep(user, factor)
      if (method === 'webauthn') return { step: 'register-key', options: await keys.registrationOptions(user, sessionId!) }
      const sent = await this.sendEmailCode(user, 'enrol', workstation)
      return factor.state === 'verify-email' ? { step: 'verify-email', maskedEmail: sent.maskedEmail } : { step: 'email-code', maskedEmail: sent.maskedEmail }
    },

    /** E-mail verification before an authenticator app is shown (policy). */
    async verifyEnrolmentEmail(user: UserRow, code: string, workstation: string): Promise<EnrolStep> {
      await setupStep(user, workstation, 'verify-email', 'verify-email', async () => {
        const o = emailOutcome(await emailCodes.take(user.id, 'enrol', code))
        if (o.result !== 'right') return o
        await setFactorState(store, user.id, 'scan', clock.now())
        await audit.record({ event: 'enrol.email-verified', subject: who(user), workstation })
        return o
      })
      return scanStep(user, (await getFactor(store, user.id))!)
    },

    /** A current code proves the app (or mailbox) works; the recovery codes are issued now. */
    confirmEnrolment(user: UserRow, code: string, workstation: string): Promise<EnrolStep> {
      return setupStep(user, workstation, 'confirm', 'scan', async (factor): Promise<Outcome<EnrolStep>> => {
        if (factor.method === 'totp') {
          const digits = normalizeOtp(code)
          const check = digits ? checkTotp(sealer.open(factor.secret!, secretContext(user.id)), digits, clock.now(), null) : null
          if (!check?.valid) return wrong(new DomainError('INVALID_CODE', 'That code is not correct. Check that the time on your phone is set automatically, then try the current code.', 'code'))
          await setLastStep(store, user.id, check.step) // the confirming code cannot be used again to log in
        } else if (factor.method === 'token') {
          const o = await tokenOutcome(user, code, workstation)
          if (o.result !== 'right') return o
        } else {
          const o = emailOutcome(await emailCodes.take(user.id, 'enrol', code))
          if (o.result !== 'right') return o
        }
        await setFactorState(store, user.id, 'confirmed', clock.now())
        await audit.record({ event: 'enrol.confirmed', subject: who(user), workstation, details: { method: factor.method } })
        return right(await issueRecoveryCodes(user))
      })
    },

    /** The user said they saved the recovery codes: only now is 2FA on. */
    async completeEnrolment(user: UserRow, workstation: string): Promise<void> {
      await decide(async () => {
        const factor = await lockedFactor(user.id)
        if (!factor || factor.state === 'active') return new DomainError('ENROLMENT_NOT_STARTED')
        if (factor.state !== 'confirmed') return new DomainError('ENROLMENT_STEP')
        await setFactorState(store, user.id, 'active', clock.now())
        await store.run('UPDATE users SET must_enrol = 0, postponements_used = 0 WHERE id = ?', [user.id])
        await audit.record({ event: 'enrol.completed', subject: who(user), workstation, details: { method: factor.method } })
        return null
      })
    },

    /** Leaving setup mid-way: nothing of it is kept (but an assigned token). An active factor is never touched. */
    async cancelEnrolment(user: UserRow): Promise<void> {
      await store.transaction(async () => {
        const factor = await lockedFactor(user.id)
        // A token the help desk handed out stays waiting for its first code.
        if (factor && factor.state !== 'active' && factor.method !== 'token') await removeFactor(store, user.id)
      })
    },

    verify(user: UserRow, method: SecondFactorMethod, code: string, workstation: string): Promise<Verified> {
      return attempts.checkNow(attemptOf(user, workstation, 'login.second-factor-failed', { method }), () => loginOutcome(user, method, code, workstation, true))
    },

    // ---- Self-service

    reissueRecoveryCodes(user: UserRow, workstation: string): Promise<EnrolStep> {
      return decide(async (): Promise<EnrolStep | DomainError> => {
        if (!(await activeFactor(store, user.id))) return new DomainError('NOT_ENROLLED')
        await audit.record({ event: 'recovery-codes.reissued', subject: who(user), workstation })
        return issueRecoveryCodes(user)
      })
    },

    /** Password already checked by the caller; needs a current code or a recovery code too. */
    async disable(user: UserRow, method: 'totp' | 'email' | 'token' | 'recovery', code: string, workstation: string): Promise<void> {
      if (policy.get().mandatory) throw new DomainError('TWO_FACTOR_REQUIRED')
      if (!(await activeFactor(store, user.id))) throw new DomainError('NOT_ENROLLED')
      await attempts.checkNow(attemptOf(user, workstation, 'login.second-factor-failed', { method, purpose: 'disable' }), () => loginOutcome(user, method, code, workstation, false))
      await store.transaction(async () => {
        const held = await tokens.heldBy(user.id)
        if (held) await tokens.release(null, held.serial, false, workstation)
        await removeFactor(store, user.id)
        await audit.record({ event: 'two-factor.disabled', subject: who(user), workstation, details: { method } })
      })
    },

    // ---- Replacing the authenticator app's phone (the old one proves it is them; it works until the new one is confirmed)

    /** A code from the current app; returns the new app's QR code. The new secret waits in memory, for this session only. */
    async startDeviceReplacement(user: UserRow, sessionId: string, code: string, workstation: string): Promise<EnrolStep> {
      const factor = await activeFactor(store, user.id)
      if (factor?.method !== 'totp') throw new DomainError('METHOD_NOT_ALLOWED', 'Only an authenticator app is moved to a new phone this way.')
      await attempts.checkNow(attemptOf(user, workstation, 'login.second-factor-failed', { method: 'totp', purpose: 'replace-device' }), () => loginOutcome(user, 'totp', code, workstation, false))
      const secret = newTotpSecret()
      replacements.set(sessionId, { userId: user.id, secret, startedAt: clock.now() })
      await audit.record({ event: 'enrol.started', subject: who(user), workstation, details: { method: 'totp', replacing: true } })
      return scanStepFor(user, secret)
    },

    /** A code from the new app: it replaces the old one at once (the recovery codes stay). */
    async confirmDeviceReplacement(user: UserRow, sessionId: string, code: string, workstation: string): Promise<void> {
      const pending = replacements.get(sessionId)
      if (!pending || pending.userId !== user.id || clock.now() - pending.startedAt > REPLACEMENT_MS) throw new DomainError('ENROLMENT_NOT_STARTED')
      await attempts.checkNow(attemptOf(user, workstation, 'enrol.code-failed', { step: 'replace-device' }), async (): Promise<Outcome<null>> => {
        const digits = normalizeOtp(code)
        const check = digits ? checkTotp(pending.secret, digits, clock.now(), null) : null
        if (!check?.valid) return wrong(new DomainError('INVALID_CODE', 'That code is not correct. Enter the code your new phone shows now.', 'code'))
        await store.run("UPDATE second_factors SET secret = ?, last_step = ?, activated_at = ? WHERE user_id = ? AND method = 'totp' AND state = 'active'", [
          sealer.seal(pending.secret, secretContext(user.id)), check.step, clock.now(), user.id
        ])
        await audit.record({ event: 'two-factor.device-replaced', subject: who(user), workstation, details: { method: 'totp' } })
        return right(null)
      })
      replacements.delete(sessionId)
    },

    // ---- Help desk

    /** Whether there is anything to reset: an active factor or a setup under way. */
    async hasFactor(userId: number): Promise<boolean> {
      return (await getFactor(store, userId)) !== undefined
    },

    /** Secret and recovery codes removed, the second-factor lock lifted; the user must enrol at next login. */
    async reset(actor: UserRow | null, target: UserRow, workstation: string, details: Record<string, unknown>): Promise<void> {
      await decide(async () => {
        if (!(await lockedFactor(target.id))) return new DomainError('NOT_ENROLLED', 'This user has no second factor to reset.')
        // A reset means the factor is gone from the user's hands: their token is presumed lost.
        const held = await tokens.heldBy(target.id)
        if (held) await tokens.release(actor, held.serial, true, workstation)
        await removeFactor(store, target.id)
        await accessCodes.revoke(target.id)
        await store.run('UPDATE users SET must_enrol = 1, postponements_used = 0 WHERE id = ?', [target.id])
        const unlocked = await attempts.clear('account', String(target.id), 'second-factor')
        await audit.record({ event: 'two-factor.reset', actor: actor && who(actor), subject: who(target), workstation, details: { ...details, unlocked } })
        return null
      })
    },

    // ---- Security keys

    /** Registers the key the browser created for this session's setup; the recovery codes come next. */
    async registerKey(user: UserRow, sessionId: string, response: RegistrationResponseJSON, name: string, workstation: string): Promise<EnrolStep> {
      const factor = await getFactor(store, user.id)
      const switching = factor?.state === 'active' && !methodComplies(policy.get(), user.role, factor.method) && policy.get().requiredMethod[user.role] === 'webauthn'
      if (!switching && (!factor || factor.method !== 'webauthn' || factor.state === 'active')) throw new DomainError('ENROLMENT_NOT_STARTED')
      if (!switching && factor!.state !== 'scan') throw new DomainError('ENROLMENT_STEP')
      await keys.register(user, sessionId, response, name, workstation)
      return decide(async () => {
        if (switching) {
          const held = await tokens.heldBy(user.id)
          if (held) await tokens.release(null, held.serial, false, workstation)
          await putFactor(store, { user_id: user.id, method: 'webauthn', state: 'confirmed', secret: null, started_at: clock.now() })
        }
        await setFactorState(store, user.id, 'confirmed', clock.now())
        await audit.record({ event: 'enrol.confirmed', subject: who(user), workstation, details: { method: 'webauthn' } })
        return issueRecoveryCodes(user)
      })
    },

    /** The options for the browser's navigator.credentials.get, bound to this pending login. */
    async keyOptions(user: UserRow, sessionId: string) {
      if ((await activeFactor(store, user.id))?.method !== 'webauthn') throw new DomainError('NOT_ENROLLED')
      return keys.authenticationOptions(user, sessionId)
    },

    /** A login with a security key; a key that fails counts toward the lockout like a wrong code. */
    async verifyKey(user: UserRow, sessionId: string, response: AuthenticationResponseJSON, workstation: string): Promise<Verified> {
      const lock = await attempts.lockOf({ factor: 'second-factor', account: String(user.id), workstation })
      if (lock) throw lock
      const checked = await keys.check(user, sessionId, response, workstation)
      return attempts.checkNow(attemptOf(user, workstation, 'login.second-factor-failed', { method: 'webauthn', ...(checked.result === 'wrong' ? { why: checked.why } : {}) }), async () =>
        checked.result === 'ok' ? right({ recoveryCodesLeft: null, lowOnRecoveryCodes: false, viaAccessCode: false }) : wrong(new DomainError('INVALID_CODE', 'That security key was not accepted.'))
      )
    },

    securityKeys: (userId: number) => keys.list(userId),

    /** Another key for a user who logs in with keys (My account): the browser's creation options. */
    async addKeyOptions(user: UserRow, sessionId: string) {
      if ((await activeFactor(store, user.id))?.method !== 'webauthn') throw new DomainError('NOT_ENROLLED', 'Security keys are not your second factor.')
      return keys.registrationOptions(user, sessionId)
    },

    async addKey(user: UserRow, sessionId: string, response: RegistrationResponseJSON, name: string, workstation: string) {
      if ((await activeFactor(store, user.id))?.method !== 'webauthn') throw new DomainError('NOT_ENROLLED', 'Security keys are not your second factor.')
      return keys.register(user, sessionId, response, name, workstation)
    },

    /**
     * Removes one key. The last one goes only where 2FA is optional for this user, and then 2FA is
     * off (their factor goes with it).
     */
    async removeKey(actor: UserRow | null, user: UserRow, keyId: string, workstation: string): Promise<void> {
      await decide(async () => {
        const last = (await keys.count(user.id)) === 1
        if (last && (policy.get().mandatory || user.role !== 'user')) return new DomainError('LAST_KEY')
        await keys.remove(user, keyId, actor, workstation)
        if (last) await removeFactor(store, user.id)
        return null
      })
    },

    // ---- Hardware tokens (help desk, administrators)

    tokens: { importSeeds: tokens.importSeeds, importFile: tokens.importFile.bind(tokens), list: tokens.list, heldBy: tokens.heldBy, holderOf: tokens.holderOf },

    /** The serial of the token the help desk assigned this user, while it waits for its first code. */
    async pendingTokenSerial(userId: number): Promise<string | null> {
      const factor = await getFactor(store, userId)
      return factor?.method === 'token' && factor.state === 'scan' ? ((await tokens.heldBy(userId))?.serial ?? null) : null
    },

    /** Assigns a token by serial; it replaces the user's second factor once they confirm its first code. */
    async assignToken(actor: UserRow | null, serial: string, target: UserRow, workstation: string) {
      if (!policy.get().allowedMethods.includes('token')) throw new DomainError('METHOD_NOT_ALLOWED', 'Allow hardware tokens in the policy first.')
      return decide(async () => {
        const token = await tokens.assign(actor, serial, target, workstation)
        await putTokenFactor(target)
        return token
      })
    },

    /** Takes a token back from its user (unassigned, or marked lost); a user whose factor it was must set up again. */
    async releaseToken(actor: UserRow | null, serial: string, lost: boolean, workstation: string): Promise<void> {
      await decide(async () => {
        const { userId } = await tokens.release(actor, serial, lost, workstation)
        if (userId !== null && (await lockedFactor(userId))?.method === 'token') {
          await removeFactor(store, userId)
          await store.run('UPDATE users SET must_enrol = 1, postponements_used = 0 WHERE id = ?', [userId])
        }
        return null
      })
    },

    /** A one-time access code (replacing any live one); it lifts the second-factor lock it is meant to get past. */
    issueAccessCode(actor: UserRow | null, target: UserRow, workstation: string, details: Record<string, unknown>): Promise<{ code: string; expiresAt: number }> {
      return decide(async () => {
        if (!(await activeFactor(store, target.id))) return new DomainError('NOT_ENROLLED', 'This user has no second factor: an access code would not be asked for.')
        const expiresAt = clock.now() + policy.get().accessCodeLifetimeMinutes * 60_000
        const code = await accessCodes.issue(target.id, actor?.id ?? null, expiresAt)
        const unlocked = await attempts.clear('account', String(target.id), 'second-factor')
        await audit.record({ event: 'access-code.issued', actor: actor && who(actor), subject: who(target), workstation, details: { ...details, expiresAt, unlocked } })
        return { code, expiresAt }
      })
    }
  }
}

export type TwoFactor = ReturnType<typeof createTwoFactor>
