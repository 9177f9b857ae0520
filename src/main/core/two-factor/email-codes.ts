/**
 * E-mailed codes: 6 digits, one live code per user *and purpose* (a password-reset code never
 * replaces a login code), stored as a keyed hash. A code dies after a few wrong tries, so guessing
 * on needs a new code, and new codes are limited per user and purpose (one per 30 s, 10 an hour).
 * Called inside the caller's write transaction.
 */
import { randomInt } from 'node:crypto'
import { DomainError } from '../domain-error'
import { message } from '../../../shared/i18n/translate'
import { sameHash, type Sealer } from '../secrets'
import type { Clock } from '../clock'
import type { Store } from '../../store'
import { normalizeOtp } from './totp'

export type EmailPurpose = 'login' | 'enrol' | 'password-reset'

/** E-mail codes live 5 minutes and can be re-sent after 30 seconds. */
export const EMAIL_CODE_LIFETIME_MS = 5 * 60_000
export const EMAIL_RESEND_AFTER_MS = 30_000
/** At most this many codes per user and purpose in an hour. */
export const EMAIL_CODES_PER_HOUR = 10
const HOUR_MS = 60 * 60_000
/** A code (e-mailed or a one-time access code) stops working after this many wrong tries. */
export const CODE_MAX_WRONG_TRIES = 5

/** ok; wrong (and whether that try killed the code); expired; none live. */
export type Taken = { result: 'ok' } | { result: 'wrong'; died: boolean } | { result: 'expired' } | { result: 'none' }

type Row = { code_hash: string; sent_at: number; expires_at: number; wrong_tries: number }

export function createEmailCodes(deps: { store: Store; clock: Clock; sealer: Sealer }) {
  const { store, clock, sealer } = deps
  const context = (userId: number, purpose: EmailPurpose) => `email:${purpose}:${userId}`
  /** The live code, locked until the caller's transaction ends: one check at a time decides about it. */
  const live = (userId: number, purpose: EmailPurpose) =>
    store.get<Row>(`SELECT code_hash, sent_at, expires_at, wrong_tries FROM email_codes WHERE user_id = ? AND purpose = ?${store.forUpdate}`, [userId, purpose])
  const remove = (userId: number, purpose: EmailPurpose) => store.run('DELETE FROM email_codes WHERE user_id = ? AND purpose = ?', [userId, purpose])

  return {
    /**
     * A new code for (user, purpose), replacing the live one; or the limit that refuses it. Inside a
     * transaction: the limits are decided under a lock per (user, purpose), so two processes cannot
     * both pass them.
     */
    async issue(userId: number, purpose: EmailPurpose): Promise<{ code: string; expiresAt: number } | DomainError> {
      await store.lock(context(userId, purpose))
      const now = clock.now()
      const current = await live(userId, purpose)
      if (current && current.sent_at + EMAIL_RESEND_AFTER_MS > now) {
        return new DomainError('RESEND_TOO_SOON', undefined, undefined, { retryAt: current.sent_at + EMAIL_RESEND_AFTER_MS })
      }
      const hour = (await store.get<{ n: number; first: number | null }>(
        'SELECT count(*) AS n, min(sent_at) AS first FROM email_code_sends WHERE user_id = ? AND purpose = ? AND sent_at > ?',
        [userId, purpose, now - HOUR_MS]
      ))!
      if (hour.n >= EMAIL_CODES_PER_HOUR) {
        return new DomainError('TOO_MANY_CODES', undefined, undefined, { retryAt: (hour.first ?? now) + HOUR_MS })
      }
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
      const expiresAt = now + EMAIL_CODE_LIFETIME_MS
      await store.run(
        `INSERT INTO email_codes (user_id, purpose, code_hash, sent_at, expires_at, wrong_tries) VALUES (?, ?, ?, ?, ?, 0)
         ON CONFLICT (user_id, purpose) DO UPDATE SET code_hash = excluded.code_hash, sent_at = excluded.sent_at,
           expires_at = excluded.expires_at, wrong_tries = 0`,
        [userId, purpose, sealer.codeHash(code, context(userId, purpose)), now, expiresAt]
      )
      await store.run('DELETE FROM email_code_sends WHERE user_id = ? AND purpose = ? AND sent_at <= ?', [userId, purpose, now - HOUR_MS])
      await store.run('INSERT INTO email_code_sends (user_id, purpose, sent_at) VALUES (?, ?, ?)', [userId, purpose, now])
      return { code, expiresAt }
    },

    /**
     * Checks and, when right, consumes the live code; a wrong try is counted on the code. The code
     * is read locked and deleted only if it is still the one checked: a code that another check
     * consumed first is no live code ('none'), so it is accepted once.
     */
    async take(userId: number, purpose: EmailPurpose, typed: string): Promise<Taken> {
      const row = await live(userId, purpose)
      if (!row) return { result: 'none' }
      if (row.expires_at <= clock.now()) {
        await remove(userId, purpose)
        return { result: 'expired' }
      }
      const digits = normalizeOtp(typed)
      if (digits && sameHash(sealer.codeHash(digits, context(userId, purpose)), row.code_hash)) {
        const taken = await store.run('DELETE FROM email_codes WHERE user_id = ? AND purpose = ? AND code_hash = ?', [userId, purpose, row.code_hash])
        return taken.changes === 1 ? { result: 'ok' } : { result: 'none' }
      }
      const died = row.wrong_tries + 1 >= CODE_MAX_WRONG_TRIES
      if (died) await remove(userId, purpose)
      else await store.run('UPDATE email_codes SET wrong_tries = wrong_tries + 1 WHERE user_id = ? AND purpose = ?', [userId, purpose])
      return { result: 'wrong', died }
    },

    async discard(userId: number, purpose: EmailPurpose): Promise<void> {
      await remove(userId, purpose)
    }
  }
}

export type EmailCodes = ReturnType<typeof createEmailCodes>

/** The refusal for a code that did not work. */
export function codeError(taken: Exclude<Taken, { result: 'ok' }>): DomainError {
  if (taken.result === 'wrong') {
    return taken.died
      ? new DomainError('INVALID_CODE', message('signInRefusals.codeWornOut'), 'code')
      : new DomainError('INVALID_CODE', undefined, 'code')
  }
  return new DomainError(taken.result === 'expired' ? 'CODE_EXPIRED' : 'NO_CODE_SENT', undefined, 'code')
}
