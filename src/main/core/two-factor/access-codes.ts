/**
 * One-time access codes from the help desk: 12 characters of base32 (60 bits), read out over the
 * phone, one live code per user, valid for the policy's lifetime, dead after a few wrong tries.
 * Called inside the caller's write transaction.
 */
import { amongHashes, sameHash, type Sealer } from '../secrets'
import type { Clock } from '../clock'
import type { Store } from '../../store'
import { CODE_MAX_WRONG_TRIES } from './email-codes'
import { normalizeCode, randomCode } from './recovery-codes'

export const ACCESS_CODE_CHARS = 12

/**
 * A single-use code that succeeded this recently, sent again (a double click, the same code typed at
 * two seats at once), is refused as already used without counting as a guess: it guesses nothing.
 */
export const JUST_USED_MS = 2 * 60_000

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
    async take(userId: number, typed: string): Promise<'ok' | 'wrong' | 'none' | 'just-used'> {
      const now = clock.now()
      const normal = normalizeCode(typed, ACCESS_CODE_CHARS)
      const hash = normal ? sealer.codeHash(normal, context(userId)) : ''
      const live = await store.all<{ id: number; code_hash: string; wrong_tries: number }>(
        'SELECT id, code_hash, wrong_tries FROM access_codes WHERE user_id = ? AND used_at IS NULL AND expires_at > ?',
        [userId, now]
      )
      const match = live.find((r) => sameHash(hash, r.code_hash))
      const taken = match ? (await store.run('UPDATE access_codes SET used_at = ? WHERE id = ? AND used_at IS NULL', [now, match.id])).changes === 1 : false
      if (taken) return 'ok'
      if (await this.justUsed(userId, hash, now)) return 'just-used'
      if (live.length === 0 || match) return 'none'
      for (const r of live) {
        await store.run(
          'UPDATE access_codes SET wrong_tries = wrong_tries + 1, used_at = CASE WHEN wrong_tries + 1 >= ? THEN ? ELSE used_at END WHERE id = ? AND used_at IS NULL',
          [CODE_MAX_WRONG_TRIES, now, r.id]
        )
      }
      return 'wrong'
    },

    /** Whether this code is one of the user's that succeeded in the last JUST_USED_MS (compared in constant time). */
    async justUsed(userId: number, hash: string, now: number): Promise<boolean> {
      const recent = await store.all<{ code_hash: string }>('SELECT code_hash FROM access_codes WHERE user_id = ? AND used_at > ? AND wrong_tries < ?', [userId, now - JUST_USED_MS, CODE_MAX_WRONG_TRIES])
      return amongHashes(hash, recent.map((r) => r.code_hash))
    },

    async revoke(userId: number): Promise<void> {
      await store.run('UPDATE access_codes SET used_at = ? WHERE user_id = ? AND used_at IS NULL', [clock.now(), userId])
    }
  }
}

export type AccessCodes = ReturnType<typeof createAccessCodes>
