/**
 * What help-desk staff and administrators do to other accounts: create, unlock, disable, change
 * role, reset 2FA, issue one-time access codes, and the lost-device queue with its four-eyes rule
 * for administrators. `actor` is null for the offline CLI, which runs with the data directory's
 * owner's authority.
 */
import { randomBytes } from 'node:crypto'
import type { IdentityCheck, RequestKind } from '../../shared/admin-dto'
import type { Role, StaffMember } from '../../shared/dto'
import type { Accounts, NewUser } from './accounts'
import { type Audit, who } from './audit'
import type { Clock } from './clock'
import { DomainError } from './domain-error'
import type { Attempts } from './attempts'
import type { Background } from './background'
import { block, letter, recipientWords, utcMoment, type Mailer } from './mail'
import { message as refusal, type Translator } from '../../shared/i18n/translate'
import type { PolicyStore } from './policy'
import type { Sealer } from './secrets'
import type { SessionStore } from './sessions'
import type { TwoFactor } from './two-factor'
import { randomCode } from './two-factor/recovery-codes'
import { createStaffRules } from './staff-rules'
import type { Store } from '../store'
import type { UserRow } from '../db/queries/users'

export type Decision =
  | { action: 'reset'; identityCheck: IdentityCheck; note: string }
  | { action: 'access-code'; identityCheck: IdentityCheck; note: string }
  | { action: 'temporary-password'; identityCheck: IdentityCheck; note: string }
  | { action: 'token'; identityCheck: IdentityCheck; note: string; serial: string }
  | { action: 'remove-method'; identityCheck: IdentityCheck; note: string; methodId: number }
  | { action: 'reject'; reason: string }

export type DecisionResult = {
  status: RequestRow['status']
  accessCode?: { code: string; expiresAt: number }
  temporaryPassword?: { password: string; expiresAt: number }
  /** Only the method they lost was removed. */
  removedMethod?: true
  /** The serial of the spare token given instead of a reset. */
  token?: string
}

export type RequestRow = {
  id: number
  user_id: number
  kind: RequestKind
  created_at: number
  workstation: string
  message: string
  to_all: 0 | 1
  status: 'open' | 'awaiting-approval' | 'reset' | 'access-code' | 'rejected'
  identity_check: string | null
  identity_note: string | null
  reason: string | null
  handled_by: number | null
  approved_by: number | null
  closed_at: number | null
}


/** Registration links work for 7 days. */
export const ENROLMENT_LINK_LIFETIME_MS = 7 * 24 * 60 * 60_000
export const ENROLMENT_TOKEN_CONTEXT = 'enrolment-link'
/** A temporary password works for a day, once the help desk has read it out, and must then be replaced. */
export const TEMPORARY_PASSWORD_LIFETIME_MS = 24 * 60 * 60_000
/** 16 characters of base32 in groups (80 bits): easy to read out, longer than the minimum length. */
const TEMPORARY_PASSWORD_CHARS = 16

export function createHelpdesk(deps: {
  store: Store
  clock: Clock
  accounts: Accounts
  audit: Audit
  attempts: Attempts
  twoFactor: TwoFactor
  sessions: SessionStore
  mailer: Mailer
  policy: PolicyStore
  sealer: Sealer
  background: Background
}) {
  const { store, clock, accounts, audit, attempts, twoFactor, sessions, mailer, policy, sealer, background } = deps

  const rules = createStaffRules(store)
  const { user, assertMayActOn, activeAdmins } = rules

  /** An access code replaces an administrator's second factor as a reset would: that takes two administrators. */
  function assertNotAdminBypass(actor: UserRow | null, target: UserRow): void {
    if (actor && target.role === 'admin') {
      throw new DomainError('SECOND_APPROVAL_REQUIRED', refusal('staffRefusals.adminResetNeedsApproval'))
    }
  }

  async function request(id: number): Promise<RequestRow> {
    const r = await store.get<RequestRow>('SELECT * FROM reset_requests WHERE id = ?', [id])
    if (!r) throw new DomainError('NOT_FOUND', refusal('staffRefusals.noSuchRequest'))
    return r
  }

  /** Writes the request's status and handling fields while its status is still `from`; whether it did. */
  async function move(id: number, from: RequestRow['status'], to: RequestRow): Promise<boolean> {
    const { changes } = await store.run(
      `UPDATE reset_requests SET status = ?, identity_check = ?, identity_note = ?, reason = ?, handled_by = ?, approved_by = ?, closed_at = ?
       WHERE id = ? AND status = ?`,
      [to.status, to.identity_check, to.identity_note, to.reason, to.handled_by, to.approved_by, to.closed_at, id, from]
    )
    return changes === 1
  }

  /**
   * Closes (or moves on) `r` as it was read, only while its status is still the one read: of two
   * seats deciding the same request at once, the second gets REQUEST_CLOSED (and its transaction,
   * with the action it took, is rolled back).
   */
  async function close(r: RequestRow, status: RequestRow['status'], fields: Partial<RequestRow>): Promise<void> {
    if (!(await move(r.id, r.status, { ...r, ...fields, status }))) throw new DomainError('REQUEST_CLOSED')
  }

  /** Best effort, after the answer: the request is in the queue whatever happens to the e-mail. Each in its recipient's language. */
  function notify(recipients: UserRow[], mail: (words: Translator) => { subject: string; text: string }): void {
    if (!mailer.smtpConfigured()) return
    background.run('notify staff', () => Promise.allSettled(recipients.map((r) => mailer.send({ to: r.email, ...mail(recipientWords(policy, r)) }))))
  }

  /** The token assigned, in the caller's transaction (the user's sessions end after it, by the caller). */
  async function giveToken(actor: UserRow | null, target: UserRow, serial: string, workstation: string, replacing: boolean) {
    // A token given to an administrator who holds methods would let its giver in as them: it needs a reset's approval.
    if (await twoFactor.isActive(target.id)) assertNotAdminBypass(actor, target)
    return twoFactor.assignToken(actor, serial, target, workstation, replacing)
  }

  return {
    /**
     * Creates an account. Without a password (the console) it gets a temporary one, returned once for
     * the staff member to read out: it works for a day and must be replaced at the first login.
     */
    async createUser(actor: UserRow | null, u: Omit<NewUser, 'password'> & { password?: string }, workstation: string): Promise<{ user: UserRow; temporaryPassword: { password: string; expiresAt: number } | null }> {
      if (actor?.role === 'helpdesk' && u.role !== 'user') throw new DomainError('ROLE_NOT_ALLOWED', refusal('staffRefusals.helpDeskCreatesUsersOnly'), 'role')
      const temporaryPassword = u.password === undefined ? { password: randomCode(TEMPORARY_PASSWORD_CHARS), expiresAt: clock.now() + TEMPORARY_PASSWORD_LIFETIME_MS } : null
      const created = await accounts.createUser({ ...u, password: u.password ?? temporaryPassword!.password, ...(temporaryPassword ? { temporaryUntil: temporaryPassword.expiresAt } : {}) })
      await audit.record({ event: 'user.created', actor: actor && who(actor), subject: who(created), workstation, details: { role: u.role, ...(temporaryPassword ? { temporaryPasswordUntil: temporaryPassword.expiresAt } : {}) } })
      return { user: created, temporaryPassword }
    },

    /** `also`: more to write in the unlock's own transaction (a bulk action's record of it). */
    async unlock(actor: UserRow | null, targetId: number, workstation: string, also?: () => Promise<void>): Promise<void> {
      const target = await user(targetId)
      assertMayActOn(actor, target)
      const out = await store.transaction(async () => {
        // Nothing locked: nothing to do, and nothing for the log (the counters stay as they are).
        if (!(await attempts.isLocked('account', String(target.id)))) return new DomainError('NOT_LOCKED')
        await attempts.unlock('account', String(target.id))
        await audit.record({ event: 'unlock', actor: actor && who(actor), subject: who(target), workstation, details: { wasLocked: true } })
        await also?.()
        return null
      })
      if (out) throw out
    },

    async unlockWorkstation(actor: UserRow | null, workstationToUnlock: string, workstation: string): Promise<void> {
      await store.transaction(async () => {
        await attempts.unlock('workstation', workstationToUnlock)
        await audit.record({ event: 'unlock', actor: actor && who(actor), workstation, details: { workstation: workstationToUnlock } })
      })
    },

    async setDisabled(actor: UserRow | null, targetId: number, disabled: boolean, workstation: string): Promise<void> {
      const target = await user(targetId)
      assertMayActOn(actor, target)
      await store.transaction(async () => {
        if (disabled) {
          const admins = await activeAdmins(target.id)
          if (admins.target.role === 'admin' && !admins.target.disabled && admins.n <= 1) throw new DomainError('LAST_ADMIN')
        }
        // Disabled or enabled by the help desk is theirs: a sync re-enables only whom the directory disabled.
        await store.run('UPDATE users SET disabled = ?, disabled_by_directory = 0, updated_at = ? WHERE id = ?', [disabled ? 1 : 0, clock.now(), target.id])
        await audit.record({ event: disabled ? 'user.disabled' : 'user.enabled', actor: actor && who(actor), subject: who(target), workstation })
      })
      if (disabled) await sessions.endAllFor(target.id, 'disabled')
    },

    async setRole(actor: UserRow | null, targetId: number, role: Role, workstation: string): Promise<void> {
      const target = await user(targetId)
      assertMayActOn(actor, target)
      if (target.role === role) return
      await store.transaction(async () => {
        const admins = await activeAdmins(target.id)
        if (admins.target.role === 'admin' && admins.n <= 1) throw new DomainError('LAST_ADMIN')
        await store.run('UPDATE users SET role = ?, updated_at = ? WHERE id = ?', [role, clock.now(), target.id])
        await audit.record({ event: 'user.role-changed', actor: actor && who(actor), subject: who(target), workstation, details: { from: target.role, to: role } })
      })
      // Their open sessions were granted under the old role.
      await sessions.endAllFor(target.id, 'role-changed')
    },

    /**
     * Resets a user's 2FA (they enrol at next login). An administrator's reset from the console
     * needs a second administrator: the first call files it for approval.
     */
    async resetTwoFactor(actor: UserRow | null, targetId: number, reason: string, workstation: string, also?: () => Promise<void>): Promise<'reset' | 'awaiting-approval'> {
      const target = await user(targetId)
      assertMayActOn(actor, target)
      if (!(await twoFactor.hasFactor(target.id))) throw new DomainError('NOT_ENROLLED', refusal('staffRefusals.noSecondFactorToReset'))
      if (actor && target.role === 'admin') {
        await store.transaction(async () => {
          const id = await this.fileRequest(target, 'all', reason, workstation, { status: 'awaiting-approval', handledBy: actor.id })
          await audit.record({ event: 'two-factor.reset-proposed', actor: who(actor), subject: who(target), workstation, details: { request: id, reason } })
          await also?.()
        })
        return 'awaiting-approval'
      }
      await store.transaction(async () => {
        await twoFactor.reset(actor, target, workstation, { reason })
        await also?.()
      })
      await sessions.endAllFor(target.id, 'two-factor-reset')
      return 'reset'
    },

    async issueAccessCode(actor: UserRow | null, targetId: number, workstation: string, details: Record<string, unknown> = {}): Promise<{ code: string; expiresAt: number }> {
      const target = await user(targetId)
      assertMayActOn(actor, target)
      assertNotAdminBypass(actor, target)
      return twoFactor.issueAccessCode(actor, target, workstation, details)
    },

    /** Removes one of a user's security keys (never the last one where 2FA is required). */
    async removeKey(actor: UserRow | null, targetId: number, keyId: string, workstation: string): Promise<void> {
      const target = await user(targetId)
      assertMayActOn(actor, target)
      await twoFactor.removeKey(actor, target, keyId, workstation)
    },

    /** Removes one of a user's methods ("I lost my phone": the app goes, the key stays; their sessions end); never their only one. */
    async removeMethod(actor: UserRow | null, targetId: number, methodId: number, workstation: string): Promise<void> {
      const target = await user(targetId)
      assertMayActOn(actor, target)
      await twoFactor.removeMethod(actor, target, methodId, workstation)
      await sessions.endAllFor(target.id, 'two-factor-reset')
    },

    /** A hardware token beside the user's methods, confirmed with its first code at their next login. */
    async assignToken(actor: UserRow | null, targetId: number, serial: string, workstation: string) {
      const target = await user(targetId)
      assertMayActOn(actor, target)
      return store.transaction(() => giveToken(actor, target, serial, workstation, false))
    },

    /** Takes a token back (unassigned, or marked lost); its holder sets up again at their next login. */
    async releaseToken(actor: UserRow | null, serial: string, lost: boolean, workstation: string): Promise<void> {
      const holder = await twoFactor.tokens.holderOf(serial)
      if (holder !== null) assertMayActOn(actor, await user(holder))
      await twoFactor.releaseToken(actor, serial, lost, workstation)
      if (holder !== null) await sessions.endAllFor(holder, 'two-factor-reset')
    },

    /** Administrators and help-desk staff a user may send a lost-device request to. */
    async staff(exceptUserId: number): Promise<StaffMember[]> {
      const rows = await store.all<{ id: number; display_name: string; role: Role }>(
        "SELECT id, display_name, role FROM users WHERE role IN ('admin', 'helpdesk') AND disabled = 0 AND id != ? ORDER BY role, display_name",
        [exceptUserId]
      )
      return rows.map((r) => ({ id: r.id, displayName: r.display_name, role: r.role }))
    },

    async fileRequest(
      requester: UserRow,
      recipientIds: number[] | 'all',
      message: string,
      workstation: string,
      as: { status: 'open' | 'awaiting-approval'; handledBy: number | null; kind?: RequestKind } = { status: 'open', handledBy: null }
    ): Promise<number> {
      const kind = as.kind ?? 'lost-device'
      const staffIds = new Set((await this.staff(requester.id)).map((s) => s.id))
      const chosen = recipientIds === 'all' ? [...staffIds] : recipientIds
      if (recipientIds !== 'all' && (chosen.length === 0 || chosen.some((id) => !staffIds.has(id)))) {
        throw new DomainError('INVALID_INPUT', refusal('staffRefusals.chooseRecipients'), 'recipients')
      }
      const id = await store.transaction(async () => {
        // The requester's row, locked: two filings of theirs at once take turns, and the second sees the first's request.
        await store.get(`SELECT id FROM users WHERE id = ?${store.forUpdate}`, [requester.id])
        if (await openRequest(requester.id, kind)) throw new DomainError('REQUEST_ALREADY_OPEN')
        const inserted = await store.get<{ id: number }>(
          'INSERT INTO reset_requests (user_id, kind, created_at, workstation, message, to_all, status, handled_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
          [requester.id, kind, clock.now(), workstation, message, recipientIds === 'all' ? 1 : 0, as.status, as.handledBy]
        )
        const rid = inserted!.id
        for (const uid of chosen) await store.run('INSERT INTO reset_request_recipients (request_id, user_id) VALUES (?, ?)', [rid, uid])
        if (as.status === 'open' && kind === 'lost-device') {
          await audit.record({ event: 'lost-device.requested', subject: who(requester), workstation, details: { request: rid, to: recipientIds === 'all' ? 'all' : chosen } })
        }
        return rid
      })
      if (as.status === 'open') {
        const recipients: UserRow[] = []
        for (const uid of chosen) recipients.push(await user(uid))
        const person = { issuer: policy.get().issuer, name: requester.display_name, username: requester.username }
        notify(recipients, (words) => ({
          subject: kind === 'password' ? words.t('mail.staff.subject.password', person) : words.t('mail.staff.subject.device', person),
          text: `${[kind === 'password' ? words.t('mail.staff.body.password', person) : words.t('mail.staff.body.device', person), words.t('mail.staff.verify', { id: String(id) })].join('\n\n')}\n`
        }))
      }
      return id
    },

    /** "Forgot password?" without e-mail: a request to every staff member (an open one is kept, not doubled). */
    async filePasswordRequest(requester: UserRow, workstation: string): Promise<number> {
      const open = await openRequest(requester.id, 'password')
      if (open) return open.id
      return this.fileRequest(requester, 'all', 'Forgot their password: verify who they are, then set a temporary password.', workstation, {
        status: 'open',
        handledBy: null,
        kind: 'password'
      })
    },

    /**
     * Handling a request: identity checked and recorded, then the action that fits its kind, or
     * reject. The action and the request's closing are one transaction (see `close`).
     */
    async decide(actor: UserRow, requestId: number, decision: Decision, workstation: string): Promise<DecisionResult> {
      const r = await request(requestId)
      if (r.status !== 'open' && r.status !== 'awaiting-approval') throw new DomainError('REQUEST_CLOSED')
      if (r.user_id === actor.id) throw new DomainError('OWN_ACCOUNT', refusal('staffRefusals.ownRequest'))
      const target = await user(r.user_id)
      // Before any branch, rejecting included: help desk cannot decide about staff accounts.
      assertMayActOn(actor, target)
      const now = clock.now()
      if (decision.action === 'reject') {
        await store.transaction(async () => {
          await close(r, 'rejected', { reason: decision.reason, handled_by: actor.id, closed_at: now })
          await audit.record({ event: 'lost-device.rejected', actor: who(actor), subject: who(target), workstation, details: { request: r.id, reason: decision.reason } })
        })
        return { status: 'rejected' }
      }
      // A disabled account is let in by nothing the help desk gives (a code could outlive the disabling).
      if (target.disabled) throw new DomainError('ACCOUNT_DISABLED', refusal('staffRefusals.requesterDisabled', { name: target.display_name }))
      const allowed = r.kind === 'password' ? ['temporary-password'] : ['reset', 'access-code', 'token', 'remove-method']
      if (!allowed.includes(decision.action)) throw new DomainError('INVALID_INPUT', refusal('staffRefusals.actionDoesNotFitRequest'), 'action')
      if (decision.identityCheck === 'call-back' && !target.phone) {
        throw new DomainError('INVALID_INPUT', refusal('staffRefusals.noPhoneToCallBack', { name: target.display_name }), 'identityCheck')
      }
      const details = { request: r.id, identityCheck: decision.identityCheck, note: decision.note }
      const checked = { identity_check: decision.identityCheck, identity_note: decision.note, handled_by: actor.id }
      if (decision.action === 'temporary-password') {
        // Closed first, on its own: the password's hashing cannot run in a transaction. So two seats
        // cannot both read out a password; if setting it fails, the request is open again.
        await close(r, 'reset', { ...checked, closed_at: now })
        try {
          return { status: 'reset', temporaryPassword: await this.setTemporaryPassword(actor, target.id, workstation, details) }
        } catch (error) {
          await move(r.id, 'reset', r).catch(() => false) // the error to report is the first one
          throw error
        }
      }
      if (decision.action === 'access-code') {
        assertNotAdminBypass(actor, target)
        const accessCode = await store.transaction(async () => {
          await close(r, 'access-code', { ...checked, closed_at: now })
          return twoFactor.issueAccessCode(actor, target, workstation, details)
        })
        return { status: 'access-code', accessCode }
      }
      if (decision.action === 'token') {
        // A spare token in place of the lost device: it replaces their factor once they confirm it.
        const token = await store.transaction(async () => {
          await close(r, 'reset', { ...checked, closed_at: now })
          const given = await giveToken(actor, target, decision.serial, workstation, true)
          await audit.record({ event: 'lost-device.token-given', actor: who(actor), subject: who(target), workstation, details: { ...details, serial: given.serial } })
          return given
        })
        await sessions.endAllFor(target.id, 'two-factor-reset')
        return { status: 'reset', token: token.serial }
      }
      if (decision.action === 'remove-method') {
        // The lost one only: what else they hold still lets them in. Their sessions end (the lost device may be in other hands).
        await store.transaction(async () => {
          await close(r, 'reset', { ...checked, closed_at: now })
          await twoFactor.removeMethod(actor, target, decision.methodId, workstation, null, details)
        })
        await sessions.endAllFor(target.id, 'two-factor-reset')
        return { status: 'reset', removedMethod: true }
      }
      return resetFromRequest(actor, r, target, workstation, details, checked)
    },

    /**
     * A temporary password for the user, shown once to the staff member who reads it out: it works
     * for a day and must be replaced at login; the user's sessions end. The second factor stays.
     */
    async setTemporaryPassword(actor: UserRow | null, targetId: number, workstation: string, details: Record<string, unknown> = {}): Promise<{ password: string; expiresAt: number }> {
      const target = await user(targetId)
      assertMayActOn(actor, target)
      const password = randomCode(TEMPORARY_PASSWORD_CHARS)
      const expiresAt = clock.now() + TEMPORARY_PASSWORD_LIFETIME_MS
      await accounts.setTemporaryPassword(target.id, password, expiresAt)
      await store.transaction(async () => {
        await attempts.clear('account', String(target.id), 'password')
        await audit.record({ event: 'password.temporary-set', actor: actor && who(actor), subject: who(target), workstation, details: { ...details, expiresAt } })
      })
      await sessions.endAllFor(target.id, 'temporary-password')
      return { password, expiresAt }
    },

    /**
     * E-mails a one-time registration link (`tessera://enroll?token=...`): it opens setup in the app,
     * and the token can be pasted where links do not open the app. A new link replaces older ones.
     */
    async sendEnrolmentLink(actor: UserRow | null, targetId: number, workstation: string, also?: () => Promise<void>): Promise<{ via: 'smtp' | 'pickup'; expiresAt: number }> {
      const target = await user(targetId)
      assertMayActOn(actor, target)
      const token = randomBytes(24).toString('base64url')
      const now = clock.now()
      const expiresAt = now + ENROLMENT_LINK_LIFETIME_MS
      await store.transaction(async () => {
        await store.run('UPDATE enrolment_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL', [now, target.id])
        await store.run('INSERT INTO enrolment_tokens (token_hash, user_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)', [
          sealer.codeHash(token, ENROLMENT_TOKEN_CONTEXT), target.id, actor?.id ?? null, now, expiresAt
        ])
        await also?.()
      })
      const issuer = policy.get().issuer
      const words = recipientWords(policy, target)
      const delivery = await mailer.send({
        to: target.email,
        subject: words.t('mail.link.subject', { issuer }),
        text: letter(words, target.display_name, [
          words.t('mail.link.body', { issuer }),
          block(`tessera://enroll?token=${token}`),
          words.t('mail.link.code'),
          block(token),
          words.t('mail.link.lifetime', { until: utcMoment(words, expiresAt) })
        ])
      })
      await audit.record({ event: 'enrolment-link.sent', actor: actor && who(actor), subject: who(target), workstation, details: { via: delivery.via, expiresAt } })
      return { via: delivery.via, expiresAt }
    }
  }

  function openRequest(userId: number, kind: RequestKind): Promise<{ id: number } | undefined> {
    return store.get<{ id: number }>("SELECT id FROM reset_requests WHERE user_id = ? AND kind = ? AND status IN ('open', 'awaiting-approval')", [userId, kind])
  }

  /** A reset from the queue; an administrator's needs a second administrator (four eyes). */
  async function resetFromRequest(actor: UserRow, r: RequestRow, target: UserRow, workstation: string, details: Record<string, unknown>, checked: Partial<RequestRow>): Promise<DecisionResult> {
    if (!(await twoFactor.hasFactor(target.id))) throw new DomainError('NOT_ENROLLED', refusal('staffRefusals.noSecondFactorToReset'))
    const now = clock.now()
    if (target.role === 'admin') {
      if (r.status === 'open') {
        await store.transaction(async () => {
          await close(r, 'awaiting-approval', { ...checked, closed_at: null })
          await audit.record({ event: 'two-factor.reset-proposed', actor: who(actor), subject: who(target), workstation, details })
        })
        return { status: 'awaiting-approval' }
      }
      // `close` only moves a request still awaiting approval: the proposer read here is still the one.
      if (r.handled_by === actor.id) throw new DomainError('SECOND_APPROVAL_REQUIRED', refusal('staffRefusals.differentAdminMustApprove'))
      await store.transaction(async () => {
        await close(r, 'reset', { approved_by: actor.id, closed_at: now })
        await twoFactor.reset(actor, target, workstation, { ...details, proposedBy: r.handled_by, approvedBy: actor.id })
      })
    } else {
      await store.transaction(async () => {
        await close(r, 'reset', { ...checked, closed_at: now })
        await twoFactor.reset(actor, target, workstation, details)
      })
    }
    await sessions.endAllFor(target.id, 'two-factor-reset')
    return { status: 'reset' }
  }

}

export type Helpdesk = ReturnType<typeof createHelpdesk>
