/**
 * One-time access codes from the help desk: 12 characters of base32 (60 bits), read out over the
 * phone, one live code per user, valid for the policy's lifetime, dead after a few wrong tries.
 * Called inside the caller's write transaction.
 */
import { sameHash, type Sealer } from '../secrets'
import type { Clock } from '../clock'
import type { Db } from '../../db/open'
import { CODE_MAX_WRONG_TRIES } from './email-codes'
import { normalizeCode, randomCode } from './recovery-codes'

export const ACCESS_CODE_CHARS = 12

export function createAccessCodes(deps: { db: Db; clock: Clock; sealer: Sealer }) {
  const { db, clock, sealer } = deps
  const context = (userId: number) => `access:${userId}`

  return {
    /** A new code replaces any live one. */
    issue(userId: number, issuedBy: number | null, expiresAt: number): string {
      const code = randomCode(ACCESS_CODE_CHARS)
      this.revoke(userId)
      db.prepare('INSERT INTO access_codes (user_id, code_hash, issued_by, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(
        userId,
        sealer.codeHash(normalizeCode(code, ACCESS_CODE_CHARS)!, context(userId)),
        issuedBy,
        clock.now(),
        expiresAt
      )
      return code
    },

    /** 'ok' consumes the code; 'wrong' counts a try on the live code (it dies at the limit); 'none': no live code. */
    take(userId: number, typed: string): 'ok' | 'wrong' | 'none' {
      const now = clock.now()
      const live = db
        .prepare('SELECT id, code_hash, wrong_tries FROM access_codes WHERE user_id = ? AND used_at IS NULL AND expires_at > ?')
        .all(userId, now) as { id: number; code_hash: string; wrong_tries: number }[]
      if (live.length === 0) return 'none'
      const normal = normalizeCode(typed, ACCESS_CODE_CHARS)
      const hash = normal ? sealer.codeHash(normal, context(userId)) : ''
      const match = live.find((r) => sameHash(hash, r.code_hash))
      if (match) {
        db.prepare('UPDATE access_codes SET used_at = ? WHERE id = ?').run(now, match.id)
        return 'ok'
      }
      for (const r of live) {
        const tries = r.wrong_tries + 1
        db.prepare('UPDATE access_codes SET wrong_tries = ?, used_at = ? WHERE id = ?').run(tries, tries >= CODE_MAX_WRONG_TRIES ? now : null, r.id)
      }
      return 'wrong'
    },

    revoke(userId: number): void {
      db.prepare('UPDATE access_codes SET used_at = ? WHERE user_id = ? AND used_at IS NULL').run(clock.now(), userId)
    }
  }
}

export type AccessCodes = ReturnType<typeof createAccessCodes>
