/**
 * Who is calling, and under which policy, in one read at the start of every call: the policy's
 * row, the caller's session (by the SHA-256 of its id) and that session's user, joined in one
 * statement, so that a call on a shared server pays one round trip before its own work, not
 * three. A policy another seat saved applies at this call; a session another seat ended is gone.
 */
import type { UserRow } from '../db/queries/users'
import type { Store } from '../store'
import type { PolicyRow, PolicyStore } from './policy'
import { SESSION_COLUMNS, sessionKey, type Session, type SessionRow, type SessionStore } from './sessions'

const CALLER_SQL = `SELECT p.json AS p_json, p.smtp_password AS p_smtp_password, ${SESSION_COLUMNS.map((c) => `s.${c} AS s_${c}`).join(', ')}, u.*
  FROM (SELECT 1 AS one) o LEFT JOIN policy p ON p.id = 1 LEFT JOIN sessions s ON s.id_hash = ? LEFT JOIN users u ON u.id = s.user_id`

type Joined = Record<string, unknown>

/** The columns of one table in the joined row: the policy's (`p_`), the session's (`s_`), the user's (no prefix: users has no column named so). */
const part = (r: Joined, prefix: 'p_' | 's_') => Object.fromEntries(Object.entries(r).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]))
const userPart = (r: Joined) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('p_') && !k.startsWith('s_'))) as UserRow

export function createCallerReader(deps: { store: Store; policy: PolicyStore; sessions: SessionStore }) {
  const { store, policy, sessions } = deps
  return {
    /**
     * The policy brought up to date, and the live session with this id (marked as seen unless
     * `passive`) with its user; a session whose user is gone or disabled is ended.
     */
    async read(sessionId: string | null, passive: boolean): Promise<{ session: Session | null; user: UserRow | null }> {
      const r = (await store.get<Joined>(CALLER_SQL, [sessionId === null ? null : sessionKey(sessionId)]))!
      policy.accept(r['p_json'] === null ? undefined : (part(r, 'p_') as PolicyRow))
      await sessions.sweep() // sessions that ran out are ended (and audited) whoever calls: after the policy, for its idle timeout
      const found = r['s_user_id'] === null ? undefined : (part(r, 's_') as SessionRow)
      const session = await sessions.touchRead(sessionId, found, { passive })
      if (!session) return { session: null, user: null }
      const user = r['id'] === null ? null : userPart(r)
      if (!user || user.disabled) {
        await sessions.end(session.id)
        return { session: null, user: null }
      }
      return { session, user }
    }
  }
}

export type CallerReader = ReturnType<typeof createCallerReader>
