/**
 * Sessions live only in the main process's memory: the renderer never holds a token, and nothing
 * survives a restart of the app ("nothing is remembered between users").
 */
import { randomBytes } from 'node:crypto'
import type { Clock } from './clock'

/** A signed-in session ends after this long whatever the activity (OWASP ASVS 3.3.2). */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000

export type Session = {
  id: string
  userId: number
  startedAt: number
  lastSeenAt: number
}

export class SessionStore {
  readonly #sessions = new Map<string, Session>()

  constructor(
    private readonly clock: Clock,
    /** Idle timeout in ms, read on every check so a policy change applies at once. */
    private readonly idleMs: () => number
  ) {}

  create(userId: number): Session {
    const now = this.clock.now()
    const session: Session = { id: randomBytes(32).toString('base64url'), userId, startedAt: now, lastSeenAt: now }
    this.#sessions.set(session.id, session)
    return session
  }

  /** The live session with this id, marked as seen now; null when unknown, idle or too old. */
  touch(id: string | null): Session | null {
    if (id === null) return null
    const s = this.#sessions.get(id)
    if (!s) return null
    const now = this.clock.now()
    if (now - s.lastSeenAt > this.idleMs() || now - s.startedAt > SESSION_ABSOLUTE_MS) {
      this.#sessions.delete(id)
      return null
    }
    s.lastSeenAt = now
    return s
  }

  end(id: string | null): void {
    if (id !== null) this.#sessions.delete(id)
  }

  endAllFor(userId: number): void {
    for (const [id, s] of this.#sessions) if (s.userId === userId) this.#sessions.delete(id)
  }
}
