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
import { message } from '../../../shared/i18n/translate'
import { block, letter, recipientWords, type Mailer } from '../mail'
import type { PolicyStore } from '../policy'
import { amongHashes, sameHash, type Sealer } from '../secrets'
import type { Store } from '../../store'
import {
  activeFactors,
  DEFAULT_FIRST,
  defaultFactor,
  hasAnyFactor,
  heldMethod,
  markFactorUsed,
  markRecoveryCodeUsed,
  pendingFactor,
  removeFactor,
  removeOneFactor,
  replaceRecoveryCodes,
  setFactorState,
  setLastStep,
  startFactor,
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

/** After a person proves it is them in My account, this long to add or remove methods. */
export const CONFIRMED_MS = 10 * 60_000

const kinds = (factors: FactorRow[]): Method[] => [...new Set(factors.map((f) => f.method))]

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

  /** Device replacements under way, by session: the app being moved, the new secret until its first code confirms it. */
  const replacements = new Map<string, { userId: number; factorId: number; secret: string; startedAt: number }>()
  /** Sessions whose person proved it was them in My account, and when (see CONFIRMED_MS). */
  const confirmed = new Map<string, { userId: number; at: number }>()
  const confirmedUntil = (userId: number, sessionId: string | null): number | null => {
    const c = sessionId === null ? undefined : confirmed.get(sessionId)
    return c && c.userId === userId && clock.now() - c.at < CONFIRMED_MS ? c.at + CONFIRMED_MS : null
  }

  /** Runs `body` in a transaction; a DomainError it returns is thrown after the commit. */
  async function decide<T>(body: () => Promise<T | DomainError>): Promise<T> {
    const out = await store.transaction(body)
    if (out instanceof DomainError) throw out
    return out
  }

  /** The setup under way, locked until the caller's transaction ends: what is decided on it still holds at the commit. */
  const lockedPending = (userId: number) => store.get<FactorRow>(`SELECT * FROM second_factors WHERE user_id = ? AND state <> 'active'${store.forUpdate}`, [userId])
  const lockedAll = (userId: number) => store.all<FactorRow>(`SELECT * FROM second_factors WHERE user_id = ? ORDER BY id${store.forUpdate}`, [userId])
  /** The methods held, default first, locked likewise. */
  const lockedActive = (userId: number) =>
    store.all<FactorRow>(`SELECT * FROM second_factors WHERE user_id = ? AND state = 'active' ORDER BY ${DEFAULT_FIRST}${store.forUpdate}`, [userId])

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
   * A login TOTP code, checked against each of the person's apps; the app it belongs to is returned.
   * The step is taken only if no check took it (or a later one) first, so it is accepted once; a step
   * taken meanwhile by another check is a replay like any other.
   */
  async function totpOutcome(user: UserRow, apps: FactorRow[], code: string, workstation: string): Promise<Outcome<FactorRow>> {
    const digits = normalizeOtp(code)
    if (!digits) return wrong()
    for (const app of apps) {
      const check = checkTotp(sealer.open(app.secret!, secretContext(user.id)), digits, clock.now(), app.last_step)
      if (check.valid) {
        if (await takeStep(store, app.id, check.step)) return right(app)
        const now = await store.get<{ last_step: number | null }>('SELECT last_step FROM second_factors WHERE id = ?', [app.id])
        if (!now) return neutral(new DomainError('NOT_ENROLLED'))
        return replayOutcome(user, check.step, now.last_step, workstation)
      }
      if (check.replayedStep !== null) return replayOutcome(user, check.replayedStep, app.last_step, workstation)
    }
    return wrong()
  }

  /** A step already used: the code that just succeeded, sent again, is no guess: it is refused, not counted. */
  async function replayOutcome(user: UserRow, step: number, lastStep: number | null, workstation: string): Promise<Outcome<never>> {
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
    return result === 'replayed' ? neutral(new DomainError('CODE_ALREADY_USED', message('signInRefusals.codeAlreadyUsedToken'), 'code')) : wrong()
  }

  /**
   * The setup under way goes, with what it left behind (a key registered, recovery codes of a first
   * setup); a token the help desk gave goes back to them.
   */
  async function discardPending(userId: number, workstation: string): Promise<void> {
    const pending = await lockedPending(userId)
    if (!pending) return
    const token = pending.method === 'token' ? await tokens.heldBy(userId) : null
    if (token) await tokens.release(null, token.serial, false, workstation)
    await removeOneFactor(store, pending)
  }

  /**
   * Gives the user a token, awaiting its first code: beside the methods they hold (confirmed from My
   * account), or `replacing` them all (a spare in place of a lost device: setup at their next login).
   */
  async function putTokenFactor(target: UserRow, replacing: boolean, workstation: string): Promise<DomainError | null> {
    if (replacing) {
      await removeFactor(store, target.id)
      await accessCodes.revoke(target.id)
    } else if ((await lockedActive(target.id)).some((f) => f.method === 'token')) {
      return new DomainError('METHOD_HELD', message('signInRefusals.tokenAlreadyHeld'))
    }
    await discardPending(target.id, workstation)
    await startFactor(store, { user_id: target.id, method: 'token', state: 'scan', secret: null, started_at: clock.now() })
    if (!(await defaultFactor(store, target.id))) await store.run('UPDATE users SET must_enrol = 1, postponements_used = 0 WHERE id = ?', [target.id])
    return null
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
      return (await recoveryJustUsed(user.id, hash)) ? neutral(new DomainError('CODE_ALREADY_USED', message('signInRefusals.recoveryCodeJustUsed'), 'code')) : wrong()
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
    if (taken === 'just-used') return neutral(new DomainError('CODE_ALREADY_USED', message('signInRefusals.accessCodeJustUsed'), 'code'))
    if (taken !== 'ok') return wrong()
    await removeFactor(store, user.id)
    await store.run('UPDATE users SET must_enrol = 1 WHERE id = ?', [user.id])
    await audit.record({ event: 'login.access-code-used', subject: who(user), workstation })
    return right({ recoveryCodesLeft: null, lowOnRecoveryCodes: false, viaAccessCode: true })
  }

  /**
   * One second-factor code of any kind, inside the limiter's transaction. `atLogin`: access codes
   * count, and the method that let them in becomes their default (a check in My account changes neither).
   */
  async function loginOutcome(user: UserRow, method: SecondFactorMethod, code: string, workstation: string, atLogin: boolean): Promise<Outcome<Verified>> {
    const plain: Verified = { recoveryCodesLeft: null, lowOnRecoveryCodes: false, viaAccessCode: false }
    const held = await activeFactors(store, user.id)
    if (method === 'access-code') return atLogin ? accessCodeOutcome(user, code, workstation) : neutral(new DomainError('METHOD_NOT_ALLOWED'))
    if (held.length === 0) return neutral(new DomainError('NOT_ENROLLED'))
    if (method === 'recovery') return recoveryOutcome(user, code, workstation)
    if (method === 'webauthn') return neutral(new DomainError('METHOD_NOT_ALLOWED', message('signInRefusals.useSecurityKey')))
    const factor = held.find((f) => f.method === method)
    let o: Outcome<unknown>
    if (method === 'totp' && !factor) return neutral(new DomainError('NOT_ENROLLED'))
    if (method === 'totp') o = await totpOutcome(user, held.filter((f) => f.method === 'totp'), code, workstation)
    else if (!factor && (method === 'token' || !emailAllowedFor(kinds(held)))) return neutral(new DomainError(method === 'token' ? 'NOT_ENROLLED' : 'METHOD_NOT_ALLOWED'))
    else o = method === 'token' ? await tokenOutcome(user, code, workstation) : emailOutcome(await emailCodes.take(user.id, 'login', code))
    if (o.result !== 'right') return o
    const used = method === 'totp' ? (o.value as FactorRow) : factor
    if (used && atLogin) await markFactorUsed(store, used.id, clock.now())
    return right(plain)
  }

  /** E-mail codes at login: for e-mail users, and for others only where the policy allows falling back. */
  function emailAllowedFor(held: readonly Method[]): boolean {
    const p = policy.get()
    return held.includes('email') || (held.length > 0 && p.emailFallback && p.allowedMethods.includes('email'))
  }

  /** A setup step's code (e-mail check or confirmation), counted like a login code; the factor stays locked until it is decided. */
  function setupStep<T>(user: UserRow, workstation: string, step: string, expected: FactorRow['state'], check: (factor: FactorRow) => Promise<Outcome<T>>): Promise<T> {
    return attempts.checkNow(attemptOf(user, workstation, 'enrol.code-failed', { step }), async () => {
      const factor = await lockedPending(user.id)
      if (!factor) return neutral(new DomainError('ENROLMENT_NOT_STARTED'))
      if (factor.state !== expected) return neutral(new DomainError('ENROLMENT_STEP'))
      return check(factor)
    })
  }

  /** Why `method` may not be set up now, or null. `held`: the methods the person holds. */
  function startRefusal(user: UserRow, held: FactorRow[], method: Method, appName: string | null, sessionId: string | null): DomainError | null {
    const p = policy.get()
    const compliant = held.length > 0 && methodComplies(p, user.role, kinds(held))
    const required = p.requiredMethod[user.role]
    if (!compliant && required !== null && method !== required) return new DomainError('METHOD_NOT_ALLOWED', message('signInRefusals.anotherMethodRequired'))
    // One more beside methods that already do: only after proving it is them (My account).
    if (compliant && confirmedUntil(user.id, sessionId) === null) return new DomainError('CONFIRM_IT_IS_YOU')
    if (method === 'webauthn' && held.some((f) => f.method === 'webauthn')) return new DomainError('METHOD_HELD', message('signInRefusals.securityKeysHeld'))
    if (method !== 'totp' && held.some((f) => f.method === method)) return new DomainError('METHOD_HELD')
    if (method === 'totp' && held.some((f) => f.method === 'totp')) {
      if (appName === null) return new DomainError('INVALID_INPUT', message('signInRefusals.nameThisApp'), 'name')
      if (held.some((f) => f.name?.toLowerCase() === appName.toLowerCase())) return new DomainError('APP_NAME_TAKEN', undefined, 'name')
    }
    return null
  }

  /** A setup's method proved to work: a first one comes with recovery codes; one more keeps the codes the person has. */
  async function provedToWork(user: UserRow, factor: FactorRow, workstation: string): Promise<EnrolStep> {
    await setFactorState(store, factor.id, 'confirmed', clock.now())
    await audit.record({ event: 'enrol.confirmed', subject: who(user), workstation, details: { method: factor.method } })
    if ((await activeFactors(store, user.id)).length > 0) return { step: 'added', method: factor.method, name: factor.name }
    return issueRecoveryCodes(user)
  }

  async function confirmSession(user: UserRow, sessionId: string, method: SecondFactorMethod, workstation: string): Promise<number> {
    for (const [id, c] of confirmed) if (clock.now() - c.at >= CONFIRMED_MS) confirmed.delete(id)
    confirmed.set(sessionId, { userId: user.id, at: clock.now() })
    await audit.record({ event: 'two-factor.confirmed-identity', subject: who(user), workstation, details: { method } })
    return clock.now() + CONFIRMED_MS
  }

  /** One more key (My account): for someone who holds keys, after proving it is them. */
  async function mayAddKey(user: UserRow, sessionId: string): Promise<void> {
    if (!kinds(await activeFactors(store, user.id)).includes('webauthn')) throw new DomainError('NOT_ENROLLED', message('signInRefusals.noSecurityKeysHeld'))
    if (confirmedUntil(user.id, sessionId) === null) throw new DomainError('CONFIRM_IT_IS_YOU')
  }

  /**
   * Why `f` may not be removed from the methods `held`, or null: never the last while 2FA is
   * mandatory (or for staff), never the last of the kind the person's role requires.
   */
  function removalRefusal(user: UserRow, held: FactorRow[], f: FactorRow): DomainError | null {
    const p = policy.get()
    const rest = held.filter((h) => h.id !== f.id)
    if (rest.length === 0) return p.mandatory || user.role !== 'user' ? new DomainError(f.method === 'webauthn' ? 'LAST_KEY' : 'LAST_METHOD') : null
    const required = p.requiredMethod[user.role]
    return required !== null && f.method === required && !rest.some((h) => h.method === required) ? new DomainError('LAST_REQUIRED_METHOD') : null
  }

  return {
    async status(user: UserRow, sessionId: string | null = null): Promise<TwoFactorStatus> {
      const p = policy.get()
      const held = await activeFactors(store, user.id)
      const factor = held[0]
      const left = factor ? (await unusedRecoveryCodes(store, user.id)).length : 0
      return {
        active: !!factor,
        method: factor?.method ?? null,
        methods: held.map(heldMethod),
        confirmedUntil: confirmedUntil(user.id, sessionId),
        pendingToken: await this.pendingTokenSerial(user.id),
        activatedAt: factor?.activated_at ?? null,
        recoveryCodesLeft: left,
        lowOnRecoveryCodes: !!factor && left <= FEW_RECOVERY_CODES,
        mandatory: p.mandatory,
        canDisable: !!factor && !p.mandatory,
        allowedMethods: p.allowedMethods
      }
    },

    async isActive(userId: number): Promise<boolean> {
      return (await defaultFactor(store, userId)) !== undefined
    },

    emailCodeAllowed: emailAllowedFor,

    /** The default method, or null. */
    async activeMethod(userId: number): Promise<Method | null> {
      return (await defaultFactor(store, userId))?.method ?? null
    },

    /** Every kind of method the person holds, the default first. */
    async heldMethods(userId: number): Promise<Method[]> {
      return kinds(await activeFactors(store, userId))
    },

    /** The second-factor lock in force for this account or workstation, or null. */
    lockOf(user: UserRow, workstation: string): Promise<DomainError | null> {
      return attempts.lockOf({ factor: 'second-factor', account: String(user.id), workstation })
    },

    /** Sends a fresh 6-digit code for `purpose` (that purpose's previous code stops working). Limited per user. */
    async sendEmailCode(user: UserRow, purpose: EmailPurpose, workstation: string): Promise<{ maskedEmail: string; expiresAt: number }> {
      const { code, expiresAt } = await decide(() => emailCodes.issue(user.id, purpose))
      const issuer = policy.get().issuer
      const words = recipientWords(policy, user)
      try {
        const delivery = await mailer.send({
          to: user.email,
          // Never the code itself: subject lines show on lock screens and in mail lists.
          subject: purpose === 'password-reset' ? words.t('mail.code.subject.reset', { issuer }) : words.t('mail.code.subject.verify', { issuer }),
          text: letter(words, user.display_name, [words.t('mail.code.body', { issuer }), block(code), words.t('mail.code.lifetime')])
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

    /**
     * Starts setting up `method`: a person's first, the one their role requires, or (after proving it
     * is them in My account) one more beside those they hold. Any other setup under way goes.
     */
    async startEnrolment(user: UserRow, method: Method, workstation: string, sessionId: string | null = null, name: string | null = null): Promise<EnrolStep> {
      const p = policy.get()
      const pending = await pendingFactor(store, user.id)
      if (method === 'token') {
        const held = await tokens.heldBy(user.id)
        if (pending?.method !== 'token' || pending.state !== 'scan' || !held) throw new DomainError('TOKEN_FROM_HELP_DESK')
        return { step: 'token-code', serial: held.serial, digits: held.digits }
      }
      if (!p.allowedMethods.includes(method)) throw new DomainError('METHOD_NOT_ALLOWED')
      if (method === 'webauthn' && (!keys.available() || sessionId === null)) throw new DomainError('METHOD_NOT_ALLOWED', message('signInRefusals.securityKeysUnavailable'))
      const appName = method === 'totp' ? name?.trim() || null : null
      await decide(async () => {
        const held = await lockedActive(user.id)
        const refusal = startRefusal(user, held, method, appName, sessionId)
        if (refusal) return refusal
        await discardPending(user.id, workstation) // whatever an abandoned setup left behind
        const verifyFirst = method === 'totp' && p.emailVerificationBeforeSetup && held.length === 0
        await startFactor(store, {
          user_id: user.id,
          method,
          name: appName,
          state: verifyFirst ? 'verify-email' : 'scan',
          secret: method === 'totp' ? sealer.seal(newTotpSecret(), secretContext(user.id)) : null,
          started_at: clock.now()
        })
        await audit.record({ event: 'enrol.started', subject: who(user), workstation, details: { method, ...(held.length > 0 ? { adding: true } : {}) } })
        return null
      })
      const factor = (await pendingFactor(store, user.id))!
      if (factor.state === 'scan' && method === 'totp') return scanStep(user, factor)
      if (method === 'webauthn') return { step: 'register-key', options: await keys.registrationOptions(user, sessionId!) }
      const sent = await this.sendEmailCode(user, 'enrol', workstation)
      return factor.state === 'verify-email' ? { step: 'verify-email', maskedEmail: sent.maskedEmail } : { step: 'email-code', maskedEmail: sent.maskedEmail }
    },

    /** E-mail verification before an authenticator app is shown (policy). */
    async verifyEnrolmentEmail(user: UserRow, code: string, workstation: string): Promise<EnrolStep> {
      const factor = await setupStep(user, workstation, 'verify-email', 'verify-email', async (factor) => {
        const o = emailOutcome(await emailCodes.take(user.id, 'enrol', code))
        if (o.result !== 'right') return o
        await setFactorState(store, factor.id, 'scan', clock.now())
        await audit.record({ event: 'enrol.email-verified', subject: who(user), workstation })
        return right(factor)
      })
      return scanStep(user, factor)
    },

    /** A current code proves the app (or mailbox, or token) works; a first method's recovery codes are issued now. */
    confirmEnrolment(user: UserRow, code: string, workstation: string): Promise<EnrolStep> {
      return setupStep(user, workstation, 'confirm', 'scan', async (factor): Promise<Outcome<EnrolStep>> => {
        if (factor.method === 'totp') {
          const digits = normalizeOtp(code)
          const check = digits ? checkTotp(sealer.open(factor.secret!, secretContext(user.id)), digits, clock.now(), null) : null
          if (!check?.valid) return wrong(new DomainError('INVALID_CODE', message('signInRefusals.appCodeWrongCheckTime'), 'code'))
          await setLastStep(store, factor.id, check.step) // the confirming code cannot be used again to log in
        } else if (factor.method === 'token') {
          const o = await tokenOutcome(user, code, workstation)
          if (o.result !== 'right') return o
        } else {
          const o = emailOutcome(await emailCodes.take(user.id, 'enrol', code))
          if (o.result !== 'right') return o
        }
        return right(await provedToWork(user, factor, workstation))
      })
    },

    /** The user said they saved the recovery codes (or took note of the method added): only now does it count. */
    async completeEnrolment(user: UserRow, workstation: string): Promise<void> {
      await decide(async () => {
        const factor = await lockedPending(user.id)
        if (!factor) return new DomainError('ENROLMENT_NOT_STARTED')
        if (factor.state !== 'confirmed') return new DomainError('ENROLMENT_STEP')
        await setFactorState(store, factor.id, 'active', clock.now())
        await store.run('UPDATE users SET must_enrol = 0, postponements_used = 0 WHERE id = ?', [user.id])
        await audit.record({ event: 'enrol.completed', subject: who(user), workstation, details: { method: factor.method } })
        return null
      })
    },

    /** Leaving setup mid-way: nothing of it is kept (but an assigned token). The methods held are never touched. */
    async cancelEnrolment(user: UserRow): Promise<void> {
      await store.transaction(async () => {
        const factor = await lockedPending(user.id)
        // A token the help desk handed out stays waiting for its first code.
        if (factor && factor.method !== 'token') await removeOneFactor(store, factor)
      })
    },

    verify(user: UserRow, method: SecondFactorMethod, code: string, workstation: string): Promise<Verified> {
      return attempts.checkNow(attemptOf(user, workstation, 'login.second-factor-failed', { method }), () => loginOutcome(user, method, code, workstation, true))
    },

    // ---- Self-service

    reissueRecoveryCodes(user: UserRow, workstation: string): Promise<EnrolStep> {
      return decide(async (): Promise<EnrolStep | DomainError> => {
        if (!(await defaultFactor(store, user.id))) return new DomainError('NOT_ENROLLED')
        await audit.record({ event: 'recovery-codes.reissued', subject: who(user), workstation })
        return issueRecoveryCodes(user)
      })
    },

    /** Password already checked by the caller; needs a current code or a recovery code too. */
    async disable(user: UserRow, method: 'totp' | 'email' | 'token' | 'recovery', code: string, workstation: string): Promise<void> {
      if (policy.get().mandatory) throw new DomainError('TWO_FACTOR_REQUIRED')
      if (!(await defaultFactor(store, user.id))) throw new DomainError('NOT_ENROLLED')
      await attempts.checkNow(attemptOf(user, workstation, 'login.second-factor-failed', { method, purpose: 'disable' }), () => loginOutcome(user, method, code, workstation, false))
      await store.transaction(async () => {
        const held = await tokens.heldBy(user.id)
        if (held) await tokens.release(null, held.serial, false, workstation)
        await removeFactor(store, user.id)
        await audit.record({ event: 'two-factor.disabled', subject: who(user), workstation, details: { method } })
      })
    },

    // ---- Replacing the authenticator app's phone (the old one proves it is them; it works until the new one is confirmed)

    /** A code from the app being moved (of those the person holds); returns the new app's QR code. The new secret waits in memory, for this session only. */
    async startDeviceReplacement(user: UserRow, sessionId: string, code: string, workstation: string): Promise<EnrolStep> {
      const apps = async () => (await activeFactors(store, user.id)).filter((f) => f.method === 'totp')
      if ((await apps()).length === 0) throw new DomainError('METHOD_NOT_ALLOWED', message('signInRefusals.onlyAppMoves'))
      const app = await attempts.checkNow(attemptOf(user, workstation, 'login.second-factor-failed', { method: 'totp', purpose: 'replace-device' }), async () =>
        totpOutcome(user, await apps(), code, workstation)
      )
      const secret = newTotpSecret()
      replacements.set(sessionId, { userId: user.id, factorId: app.id, secret, startedAt: clock.now() })
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
        if (!check?.valid) return wrong(new DomainError('INVALID_CODE', message('signInRefusals.newPhoneCodeWrong'), 'code'))
        const moved = await store.run("UPDATE second_factors SET secret = ?, last_step = ?, activated_at = ? WHERE id = ? AND user_id = ? AND method = 'totp' AND state = 'active'", [
          sealer.seal(pending.secret, secretContext(user.id)), check.step, clock.now(), pending.factorId, user.id
        ])
        if (moved.changes !== 1) return neutral(new DomainError('NOT_ENROLLED', message('signInRefusals.appRemovedMeanwhile')))
        await audit.record({ event: 'two-factor.device-replaced', subject: who(user), workstation, details: { method: 'totp' } })
        return right(null)
      })
      replacements.delete(sessionId)
    },

    // ---- Help desk

    /** Whether there is anything to reset: an active factor or a setup under way. */
    hasFactor: (userId: number): Promise<boolean> => hasAnyFactor(store, userId),

    /** Secret and recovery codes removed, the second-factor lock lifted; the user must enrol at next login. */
    async reset(actor: UserRow | null, target: UserRow, workstation: string, details: Record<string, unknown>): Promise<void> {
      await decide(async () => {
        if ((await lockedAll(target.id)).length === 0) return new DomainError('NOT_ENROLLED', message('signInRefusals.nothingToReset'))
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

    /** Registers the key the browser created for this session's setup; a first method's recovery codes come next. */
    async registerKey(user: UserRow, sessionId: string, response: RegistrationResponseJSON, name: string, workstation: string): Promise<EnrolStep> {
      return decide(async () => {
        const factor = await lockedPending(user.id)
        if (!factor || factor.method !== 'webauthn') return new DomainError('ENROLMENT_NOT_STARTED')
        if (factor.state !== 'scan') return new DomainError('ENROLMENT_STEP')
        await keys.register(user, sessionId, response, name, workstation)
        return provedToWork(user, factor, workstation)
      })
    },

    /** The options for the browser's navigator.credentials.get, bound to this pending login. */
    async keyOptions(user: UserRow, sessionId: string) {
      if (!(await this.heldMethods(user.id)).includes('webauthn')) throw new DomainError('NOT_ENROLLED')
      return keys.authenticationOptions(user, sessionId)
    },

    /** A login (or, not `atLogin`, a check) with a security key; a key that fails counts toward the lockout like a wrong code. */
    async verifyKey(user: UserRow, sessionId: string, response: AuthenticationResponseJSON, workstation: string, atLogin = true): Promise<Verified> {
      const lock = await attempts.lockOf({ factor: 'second-factor', account: String(user.id), workstation })
      if (lock) throw lock
      const checked = await keys.check(user, sessionId, response, workstation)
      return attempts.checkNow(attemptOf(user, workstation, 'login.second-factor-failed', { method: 'webauthn', ...(checked.result === 'wrong' ? { why: checked.why } : {}) }), async () => {
        if (checked.result !== 'ok') return wrong(new DomainError('INVALID_CODE', message('signInRefusals.securityKeyNotAccepted')))
        const row = atLogin ? (await activeFactors(store, user.id)).find((f) => f.method === 'webauthn') : undefined
        if (row) await markFactorUsed(store, row.id, clock.now())
        return right({ recoveryCodesLeft: null, lowOnRecoveryCodes: false, viaAccessCode: false })
      })
    },

    securityKeys: (userId: number) => keys.list(userId),

    /** Another key for a user who logs in with keys (My account, after proving it is them): the browser's creation options. */
    async addKeyOptions(user: UserRow, sessionId: string) {
      await mayAddKey(user, sessionId)
      return keys.registrationOptions(user, sessionId)
    },

    async addKey(user: UserRow, sessionId: string, response: RegistrationResponseJSON, name: string, workstation: string) {
      await mayAddKey(user, sessionId)
      return keys.register(user, sessionId, response, name, workstation)
    },

    /**
     * Removes one key. The last one goes only where the person may lose their keys as a method (see
     * removalRefusal), and then the method goes with it.
     */
    async removeKey(actor: UserRow | null, user: UserRow, keyId: string, workstation: string): Promise<void> {
      await decide(async () => {
        const held = await lockedActive(user.id)
        const row = held.find((f) => f.method === 'webauthn')
        const last = (await keys.count(user.id)) === 1
        const refusal = last && row ? removalRefusal(user, held, row) : null
        if (refusal) return refusal
        if (last && held.length === 1 && actor?.id !== user.id) return new DomainError('LAST_METHOD', message('signInRefusals.theirOnlyMethod'))
        await keys.remove(user, keyId, actor, workstation)
        if (last && row) await removeOneFactor(store, row)
        return null
      })
    },

    // ---- Several methods (My account; the help desk removes one)

    /** A current code (or a recovery code) proves it is them: for CONFIRMED_MS this session may add and remove methods. */
    async confirmIdentity(user: UserRow, sessionId: string, method: 'totp' | 'email' | 'token' | 'recovery', code: string, workstation: string): Promise<number> {
      await attempts.checkNow(attemptOf(user, workstation, 'login.second-factor-failed', { method, purpose: 'confirm' }), () => loginOutcome(user, method, code, workstation, false))
      return confirmSession(user, sessionId, method, workstation)
    },

    /** The same with one of their security keys (options from keyOptions). */
    async confirmIdentityWithKey(user: UserRow, sessionId: string, response: AuthenticationResponseJSON, workstation: string): Promise<number> {
      await this.verifyKey(user, sessionId, response, workstation, false)
      return confirmSession(user, sessionId, 'webauthn', workstation)
    },

    /**
     * Removes one of several methods: by its person (who proved it was them), or by the help desk
     * (`actor`). A token removed goes back to the help desk.
     */
    async removeMethod(actor: UserRow | null, user: UserRow, factorId: number, workstation: string, sessionId: string | null = null, details: Record<string, unknown> = {}): Promise<void> {
      const self = actor?.id === user.id
      if (self && confirmedUntil(user.id, sessionId) === null) throw new DomainError('CONFIRM_IT_IS_YOU')
      await decide(async () => {
        const held = await lockedActive(user.id)
        const f = held.find((h) => h.id === factorId)
        if (!f) return new DomainError('NOT_ENROLLED', message('signInRefusals.methodGone'))
        // The only one goes with a reset (help desk), or with "Disable 2FA" and the password (its person).
        if (held.length === 1 && !self) return new DomainError('LAST_METHOD', message('signInRefusals.theirOnlyMethod'))
        if (held.length === 1 && !policy.get().mandatory && user.role === 'user') return new DomainError('LAST_METHOD', message('signInRefusals.yourOnlyMethod'))
        const refusal = removalRefusal(user, held, f)
        if (refusal) return refusal
        const token = f.method === 'token' ? await tokens.heldBy(user.id) : null
        if (token) await tokens.release(actor, token.serial, false, workstation)
        await removeOneFactor(store, f)
        await audit.record({ event: 'two-factor.method-removed', actor: actor && who(actor), subject: who(user), workstation, details: { ...details, method: f.method, name: f.name, self } })
        return null
      })
    },

    async renameMethod(user: UserRow, factorId: number, name: string, workstation: string): Promise<void> {
      await decide(async () => {
        const held = await lockedActive(user.id)
        const f = held.find((h) => h.id === factorId && h.method === 'totp')
        if (!f) return new DomainError('NOT_ENROLLED', message('signInRefusals.onlyAppHasName'))
        if (held.some((h) => h.id !== f.id && h.name?.toLowerCase() === name.toLowerCase())) return new DomainError('APP_NAME_TAKEN', undefined, 'name')
        await store.run('UPDATE second_factors SET name = ? WHERE id = ?', [name, f.id])
        await audit.record({ event: 'two-factor.method-renamed', subject: who(user), workstation, details: { name } })
        return null
      })
    },

    /** The method asked first at login from now on, whichever was used last. */
    async chooseDefault(user: UserRow, factorId: number, workstation: string): Promise<void> {
      await decide(async () => {
        const f = (await lockedActive(user.id)).find((h) => h.id === factorId)
        if (!f) return new DomainError('NOT_ENROLLED', message('signInRefusals.methodGone'))
        await store.run('UPDATE second_factors SET preferred = 0 WHERE user_id = ? AND preferred = 1', [user.id])
        await store.run('UPDATE second_factors SET preferred = 1 WHERE id = ?', [f.id])
        await audit.record({ event: 'two-factor.default-chosen', subject: who(user), workstation, details: { method: f.method, name: f.name } })
        return null
      })
    },

    // ---- Hardware tokens (help desk, administrators)

    tokens: { importSeeds: tokens.importSeeds, importFile: tokens.importFile.bind(tokens), list: tokens.list, heldBy: tokens.heldBy, holderOf: tokens.holderOf },

    /** The serial of the token the help desk assigned this user, while it waits for its first code. */
    async pendingTokenSerial(userId: number): Promise<string | null> {
      const factor = await pendingFactor(store, userId)
      return factor?.method === 'token' && factor.state === 'scan' ? ((await tokens.heldBy(userId))?.serial ?? null) : null
    },

    /**
     * Assigns a token by serial, confirmed by its first code at the user's next login: one more method
     * beside those they hold, or (`replacing`: a spare for a lost device) in place of them all.
     */
    async assignToken(actor: UserRow | null, serial: string, target: UserRow, workstation: string, replacing = false) {
      if (!policy.get().allowedMethods.includes('token')) throw new DomainError('METHOD_NOT_ALLOWED', message('signInRefusals.allowTokensFirst'))
      return decide(async () => {
        const refused = await putTokenFactor(target, replacing, workstation)
        return refused ?? tokens.assign(actor, serial, target, workstation)
      })
    },

    /** Takes a token back from its user (unassigned, or marked lost); a user whose factor it was must set up again. */
    async releaseToken(actor: UserRow | null, serial: string, lost: boolean, workstation: string): Promise<void> {
      await decide(async () => {
        const { userId } = await tokens.release(actor, serial, lost, workstation)
        const row = userId === null ? undefined : (await lockedAll(userId)).find((f) => f.method === 'token')
        if (row) {
          await removeOneFactor(store, row)
          if (!(await defaultFactor(store, row.user_id))) await store.run('UPDATE users SET must_enrol = 1, postponements_used = 0 WHERE id = ?', [row.user_id])
        }
        return null
      })
    },

    /** A one-time access code (replacing any live one); it lifts the second-factor lock it is meant to get past. */
    issueAccessCode(actor: UserRow | null, target: UserRow, workstation: string, details: Record<string, unknown>): Promise<{ code: string; expiresAt: number }> {
      return decide(async () => {
        if (!(await defaultFactor(store, target.id))) return new DomainError('NOT_ENROLLED', message('signInRefusals.accessCodeNotNeeded'))
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
