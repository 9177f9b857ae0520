/**
 * E-mailed codes: 6 digits, one live code per user *and purpose* (a password-reset code never
 * replaces a login code), stored as a keyed hash. A code dies after a few wrong tries, so guessing
 * on needs a new code, and new codes are limited per user and purpose (one per 30 s, 10 an hour).
 * Called inside the caller's write transaction.
 */
import { randomInt } from 'node:crypto'
import { DomainError } from '../domain-error'
import { sameHash, type Sealer } from '../secrets'
import type { Clock } from '../clock'
import type { Db } from '../../db/open'
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

export function createEmailCodes(deps: { db: Db; clock: Clock; sealer: Sealer }) {
  const { db, clock, sealer } = deps
  const context = (userId: number, purpose: EmailPurpose) => `email:${purpose}:${userId}`
  const get = db.prepare('SELECT code_hash, sent_at, expires_at, wrong_tries FROM email_codes WHERE user_id = ? AND purpose = ?')
  const remove = db.prepare('DELETE FROM email_codes WHERE user_id = ? AND purpose = ?')
  const sentSince = db.prepare('SELECT count(*) AS n, min(sent_at) AS first FROM email_code_sends WHERE user_id = ? AND purpose = ? AND sent_at > ?')

  return {
    /** A new code for (user, purpose), replacing the live one; or the limit that refuses it. */
    issue(userId: number, purpose: EmailPurpose): { code: string; expiresAt: number } | DomainError {
      const now = clock.now()
      const live = get.get(userId, purpose) as Row | undefined
      if (live && live.sent_at + EMAIL_RESEND_AFTER_MS > now) {
        return new DomainError('RESEND_TOO_SOON', undefined, undefined, { retryAt: live.sent_at + EMAIL_RESEND_AFTER_MS })
      }
      const hour = sentSince.get(userId, purpose, now - HOUR_MS) as { n: number; first: number | null }
      if (hour.n >= EMAIL_CODES_PER_HOUR) {
        return new DomainError('TOO_MANY_CODES', undefined, undefined, { retryAt: (hour.first ?? now) + HOUR_MS })
      }
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
      const expiresAt = now + EMAIL_CODE_LIFETIME_MS
      db.prepare(
        `INSERT INTO email_codes (user_id, purpose, code_hash, sent_at, expires_at, wrong_tries) VALUES (?, ?, ?, ?, ?, 0)
         ON CONFLICT (user_id, purpose) DO UPDATE SET code_hash = excluded.code_hash, sent_at = excluded.sent_at,
           expires_at = excluded.expires_at, wrong_tries = 0`
      ).run(userId, purpose, sealer.codeHash(code, context(userId, purpose)), now, expiresAt)
      db.prepare('DELETE FROM email_code_sends WHERE user_id = ? AND purpose = ? AND sent_at <= ?').run(userId, purpose, now - HOUR_MS)
      db.prepare('INSERT INTO email_code_sends (user_id, purpose, sent_at) VALUES (?, ?, ?)').run(userId, purpose, now)
      return { code, expiresAt }
    },

    /** Checks and, when right, consumes the live code; a wrong try is counted on the code. */
    take(userId: number, purpose: EmailPurpose, typed: string): Taken {
      const row = get.get(userId, purpose) as Row | undefined
      if (!row) return { result: 'none' }
      if (row.expires_at <= clock.now()) {
        remove.run(userId, purpose)
        return { result: 'expired' }
      }
      const digits = normalizeOtp(typed)
      if (digits && sameHash(sealer.codeHash(digits, context(userId, purpose)), row.code_hash)) {
        remove.run(userId, purpose)
        return { result: 'ok' }
      }
      const died = row.wrong_tries + 1 >= CODE_MAX_WRONG_TRIES
      if (died) remove.run(userId, purpose)
      else db.prepare('UPDATE email_codes SET wrong_tries = wrong_tries + 1 WHERE user_id = ? AND purpose = ?').run(userId, purpose)
      return { result: 'wrong', died }
    },

    discard(userId: number, purpose: EmailPurpose): void {
      remove.run(userId, purpose)
    }
  }
}

export type EmailCodes = ReturnType<typeof createEmailCodes>

/** The refusal for a code that did not work. */
export function codeError(taken: Exclude<Taken, { result: 'ok' }>): DomainError {
  if (taken.result === 'wrong') {
    return taken.died
      ? new DomainError('INVALID_CODE', 'That code is not correct, and after so many tries it no longer works: ask for a new one.', 'code')
      : new DomainError('INVALID_CODE', undefined, 'code')
  }
  return new DomainError(taken.result === 'expired' ? 'CODE_EXPIRED' : 'NO_CODE_SENT', undefined, 'code')
}
