/**
 * Sessions live in the database, so every seat on a shared server sees them: ending a user's
 * sessions ends them at every seat. Each is found by the SHA-256 of its id; the id itself stays in
 * the engine's memory (the renderer never holds a token), so nothing survives a restart of the app
 * ("nothing is remembered between users"): a row left behind cannot be used and runs out.
 *
 * A session moves through stages: 'second-factor' (password accepted, only the second step is
 * open, for a few minutes), 'enrol' (setup required before anything else) and 'full'.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { SessionView, Stage } from '../../shared/dto'
import type { Clock } from './clock'
import type { Store } from '../store'

/** A signed-in session ends after this long whatever the activity (OWASP ASVS 3.3.2). */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000
/** The second step must be completed this soon after the password. */
export const PENDING_SECOND_FACTOR_MS = 5 * 60 * 1000

export type Session = {
  id: string
  userId: number
  stage: Stage
  startedAt: number
  lastSeenAt: number
  /** Where it was opened (the machine's name). */
  workstation: string
  /** When the login began (the stage clock restarts at each stage; this does not). */
  loggedInAt: number
}

/** Why a user's sessions were ended from outside them (audited with the count). */
export type EndReason = 'password-changed' | 'password-reset' | 'temporary-password' | 'two-factor-reset' | 'disabled' | 'role-changed' | 'signed-out-everywhere' | 'deleted'

/** Who ended them, when someone else did (a staff member's "Sign out everywhere"). */
export type EndedBy = { id: number; username: string } | null

export type SessionEvents = {
  expired(s: Session, now: number): Promise<unknown> | void
  ended(userId: number, count: number, reason: EndReason, by: EndedBy): Promise<unknown> | void
}

export type SessionRow = { user_id: number; stage: Stage; started_at: number; last_seen_at: number; logged_in_at: number; workstation: string }
/** The columns of a SessionRow, for a read that joins a session to other rows (core/caller.ts). */
export const SESSION_COLUMNS = ['user_id', 'stage', 'started_at', 'last_seen_at', 'logged_in_at', 'workstation'] as const satisfies readonly (keyof SessionRow)[]

/** How often one seat looks for sessions that ran out (each is ended, and audited, once: by the seat that deletes it). */
const SWEEP_INTERVAL_MS = 5_000
/** A session's last activity is written at most this often (an idle timeout counts in minutes). */
const SEEN_WRITE_MS = 1_000

/** What the database holds of a session id (the key of its row). */
export const sessionKey = (id: string) => createHash('sha256').update(id).digest('base64url')
const hashOf = sessionKey

export class SessionStore {
  #lastSweep = -Infinity

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** Idle timeout in ms, read on every check so a policy change applies at once. */
    private readonly idleMs: () => number,
    private readonly events: SessionEvents = { expired: () => {}, ended: () => {} }
  ) {}

  async create(userId: number, stage: Stage, workstation: string): Promise<Session> {
    const now = this.clock.now()
    const session: Session = { id: randomBytes(32).toString('base64url'), userId, stage, startedAt: now, lastSeenAt: now, workstation, loggedInAt: now }
    await this.store.run('INSERT INTO sessions (id_hash, user_id, stage, started_at, last_seen_at, logged_in_at, workstation) VALUES (?, ?, ?, ?, ?, ?, ?)', [hashOf(session.id), userId, stage, now, now, now, workstation])
    return session
  }

  expired(s: Pick<Session, 'stage' | 'startedAt' | 'lastSeenAt'>, now = this.clock.now()): boolean {
    if (s.stage === 'second-factor') return now - s.startedAt > PENDING_SECOND_FACTOR_MS
    return now - s.lastSeenAt > this.idleMs() || now - s.startedAt > SESSION_ABSOLUTE_MS
  }

  /** Ends a session that ran out: audited by whichever seat removes its row, once. */
  async #expire(idHash: string, s: Session, now: number): Promise<void> {
    const gone = await this.store.run('DELETE FROM sessions WHERE id_hash = ?', [idHash])
    if (gone.changes === 1) await this.events.expired(s, now)
  }

  /**
   * The live session with this id, marked as seen now (unless `passive`: a screen's own timer, not a
   * person); null when unknown, ended, idle or too old.
   */
  async touch(id: string | null, options: { passive?: boolean } = {}): Promise<Session | null> {
    if (id === null) return null
    return this.touchRead(id, await this.store.get<SessionRow>(`SELECT ${SESSION_COLUMNS.join(', ')} FROM sessions WHERE id_hash = ?`, [hashOf(id)]), options)
  }

  /** `touch`, given the session's row as read already (by a read that joined it to others), or undefined where none was found. */
  async touchRead(id: string | null, r: SessionRow | undefined, options: { passive?: boolean } = {}): Promise<Session | null> {
    if (id === null || !r) return null
    const idHash = hashOf(id)
    const s: Session = { id, userId: r.user_id, stage: r.stage, startedAt: r.started_at, lastSeenAt: r.last_seen_at, loggedInAt: r.logged_in_at, workstation: r.workstation }
    const now = this.clock.now()
    if (this.expired(s, now)) {
      await this.#expire(idHash, s, now)
      return null
    }
    if (options.passive) return s
    if (now - s.lastSeenAt >= SEEN_WRITE_MS) await this.store.run('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ? AND last_seen_at < ?', [now, idHash, now])
    s.lastSeenAt = now
    return s
  }

  /** Ends (and reports) every session that has run out, whether or not its window calls again. */
  async sweep(): Promise<void> {
    const now = this.clock.now()
    if (now - this.#lastSweep < SWEEP_INTERVAL_MS && now >= this.#lastSweep) return
    this.#lastSweep = now
    const idle = this.idleMs()
    const rows = await this.store.all<SessionRow & { id_hash: string }>(
      `SELECT id_hash, user_id, stage, started_at, last_seen_at, logged_in_at, workstation FROM sessions
       WHERE (stage = 'second-factor' AND started_at < ?) OR (stage <> 'second-factor' AND (last_seen_at < ? OR started_at < ?))`,
      [now - PENDING_SECOND_FACTOR_MS, now - idle, now - SESSION_ABSOLUTE_MS]
    )
    for (const r of rows) {
      const s: Session = { id: '', userId: r.user_id, stage: r.stage, startedAt: r.started_at, lastSeenAt: r.last_seen_at, loggedInAt: r.logged_in_at, workstation: r.workstation }
      if (this.expired(s, now)) await this.#expire(r.id_hash, s, now)
    }
  }

  /** Moves a session to its next stage, whose clock starts then (staying in a stage changes nothing). */
  async advance(s: Session, stage: Stage): Promise<void> {
    if (s.stage === stage) return
    s.stage = stage
    s.startedAt = s.lastSeenAt = this.clock.now()
    await this.store.run('UPDATE sessions SET stage = ?, started_at = ?, last_seen_at = ? WHERE id_hash = ?', [stage, s.startedAt, s.lastSeenAt, hashOf(s.id)])
  }

  async end(id: string | null): Promise<void> {
    if (id !== null) await this.store.run('DELETE FROM sessions WHERE id_hash = ?', [hashOf(id)])
  }

  /** The user's live sessions, oldest first; `current` marks the caller's own (ids never leave). */
  async listFor(userId: number, currentId: string | null = null): Promise<SessionView[]> {
    const now = this.clock.now()
    const current = currentId === null ? null : hashOf(currentId)
    const rows = await this.store.all<SessionRow & { id_hash: string }>('SELECT id_hash, user_id, stage, started_at, last_seen_at, logged_in_at, workstation FROM sessions WHERE user_id = ? ORDER BY logged_in_at, seq', [userId])
    return rows
      .filter((r) => !this.expired({ stage: r.stage, startedAt: r.started_at, lastSeenAt: r.last_seen_at }, now))
      .map((r) => ({ workstation: r.workstation, loggedInAt: r.logged_in_at, lastSeenAt: r.last_seen_at, stage: r.stage, current: r.id_hash === current }))
  }

  /** Ends the user's sessions at every seat (all but `exceptId`, the caller's own); the count is audited. */
  async endAllFor(userId: number, reason: EndReason, exceptId: string | null = null, by: EndedBy = null): Promise<number> {
    const except = exceptId === null ? '' : hashOf(exceptId)
    const { changes: count } = await this.store.run('DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?', [userId, except])
    if (count > 0) await this.events.ended(userId, count, reason, by)
    return count
  }
}
