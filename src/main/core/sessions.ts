/**
 * Sessions live only in the main process's memory: the renderer never holds a token, and nothing
 * survives a restart of the app ("nothing is remembered between users").
 *
 * A session moves through stages: 'second-factor' (password accepted, only the second step is
 * open, for a few minutes), 'enrol' (setup required before anything else) and 'full'.
 */
import { randomBytes } from 'node:crypto'
import type { SessionView, Stage } from '../../shared/dto'
import type { Clock } from './clock'

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
  expired(s: Session, now: number): void
  ended(userId: number, count: number, reason: EndReason, by: EndedBy): void
}

export class SessionStore {
  readonly #sessions = new Map<string, Session>()

  constructor(
    private readonly clock: Clock,
    /** Idle timeout in ms, read on every check so a policy change applies at once. */
    private readonly idleMs: () => number,
    private readonly events: SessionEvents = { expired: () => {}, ended: () => {} }
  ) {}

  create(userId: number, stage: Stage, workstation: string): Session {
    const now = this.clock.now()
    const session: Session = { id: randomBytes(32).toString('base64url'), userId, stage, startedAt: now, lastSeenAt: now, workstation, loggedInAt: now }
    this.#sessions.set(session.id, session)
    return session
  }

  expired(s: Session, now = this.clock.now()): boolean {
    if (s.stage === 'second-factor') return now - s.startedAt > PENDING_SECOND_FACTOR_MS
    return now - s.lastSeenAt > this.idleMs() || now - s.startedAt > SESSION_ABSOLUTE_MS
  }

  /** The live session with this id, marked as seen now; null when unknown, idle or too old. */
  touch(id: string | null): Session | null {
    if (id === null) return null
    const s = this.#sessions.get(id)
    if (!s) return null
    const now = this.clock.now()
    if (this.expired(s, now)) {
      this.#sessions.delete(id)
      this.events.expired(s, now)
      return null
    }
    s.lastSeenAt = now
    return s
  }

  /** Ends (and reports) every session that has run out, whether or not its window calls again. */
  sweep(): void {
    const now = this.clock.now()
    for (const [id, s] of this.#sessions) {
      if (!this.expired(s, now)) continue
      this.#sessions.delete(id)
      this.events.expired(s, now)
    }
  }

  /** Moves a session to its next stage, whose clock starts then (staying in a stage changes nothing). */
  advance(s: Session, stage: Stage): void {
    if (s.stage === stage) return
    s.stage = stage
    s.startedAt = s.lastSeenAt = this.clock.now()
  }

  end(id: string | null): void {
    if (id !== null) this.#sessions.delete(id)
  }

  /** The user's live sessions, oldest first; `current` marks the caller's own (ids never leave). */
  listFor(userId: number, currentId: string | null = null): SessionView[] {
    const now = this.clock.now()
    return [...this.#sessions.values()]
      .filter((s) => s.userId === userId && !this.expired(s, now))
      .map((s) => ({ workstation: s.workstation, loggedInAt: s.loggedInAt, lastSeenAt: s.lastSeenAt, stage: s.stage, current: s.id === currentId }))
      .sort((a, b) => a.loggedInAt - b.loggedInAt)
  }

  /** Ends the user's sessions (all but `exceptId`, the caller's own); the count is audited. */
  endAllFor(userId: number, reason: EndReason, exceptId: string | null = null, by: EndedBy = null): number {
    let count = 0
    for (const [id, s] of this.#sessions) {
      if (s.userId !== userId || id === exceptId) continue
      this.#sessions.delete(id)
      count += 1
    }
    if (count > 0) this.events.ended(userId, count, reason, by)
    return count
  }
}
