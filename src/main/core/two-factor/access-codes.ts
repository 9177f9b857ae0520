/**
 * One-time access codes from the help desk: 12 characters of base32 (60 bits), read out over the
 * phone, one live code per user, valid for the policy's lifetime, dead after a few wrong tries.
 * Called inside the caller's write transaction.
 */
import { sameHash, type Sealer } from '../secrets'
import type { Clock } from '../clock'
import type { Store } from '../../store'
import { CODE_MAX_WRONG_TRIES } from './email-codes'
import { normalizeCode, randomCode } from './recovery-codes'

export const ACCESS_CODE_CHARS = 12

export function createAccessCodes(deps: { store: Store; clock: Clock; sealer: Sealer }) {
  const { store, clock, sealer } = deps
  const context = (userId: number) => `access:${userId}`

  return {
    /** A new code replaces any live one. */
    async issue(userId: number, issuedBy: number | null, expiresAt: number): Promise<string> {
      const code = randomCode(ACCESS_CODE_CHARS)
      await this.revoke(userId)
      await store.run('INSERT INTO access_codes (user_id, code_hash, issued_by, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)', [
        userId,
        sealer.codeHash(normalizeCode(code, ACCESS_CODE_CHARS)!, context(userId)),
        issuedBy,
        clock.now(),
        expiresAt
      ])
      return code
    },

    /**
     * 'ok' consumes the code; 'wrong' counts a try on the live code (it dies at the limit); 'none': no
     * live code. A code is consumed only while still unused, so a code another check took first is
     * no live code ('none'): each code is accepted once.
     */
    async take(userId: number, typed: string): Promise<'ok' | 'wrong' | 'none'> {
      const now = clock.now()
      const live = await store.all<{ id: number; code_hash: string; wrong_tries: number }>(
        'SELECT id, code_hash, wrong_tries FROM access_codes WHERE user_id = ? AND used_at IS NULL AND expires_at > ?',
        [userId, now]
      )
      if (live.length === 0) return 'none'
      const normal = normalizeCode(typed, ACCESS_CODE_CHARS)
      const hash = normal ? sealer.codeHash(normal, context(userId)) : ''
      const match = live.find((r) => sameHash(hash, r.code_hash))
      if (match) {
        const taken = await store.run('UPDATE access_codes SET used_at = ? WHERE id = ? AND used_at IS NULL', [now, match.id])
        return taken.changes === 1 ? 'ok' : 'none'
      }
      for (const r of live) {
        await store.run(
          'UPDATE access_codes SET wrong_tries = wrong_tries + 1, used_at = CASE WHEN wrong_tries + 1 >= ? THEN ? ELSE used_at END WHERE id = ? AND used_at IS NULL',
          [CODE_MAX_WRONG_TRIES, now, r.id]
        )
      }
      return 'wrong'
    },

    async revoke(userId: number): Promise<void> {
      await store.run('UPDATE access_codes SET used_at = ? WHERE user_id = ? AND used_at IS NULL', [clock.now(), userId])
    }
  }
}

export type AccessCodes = ReturnType<typeof createAccessCodes>
