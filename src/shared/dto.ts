/** Data shapes that cross the IPC boundary. Never a hash, a secret or a recovery code at rest. */

export type Role = 'user' | 'helpdesk' | 'admin'

export type SessionInfo = {
  user: { id: number; username: string; email: string; displayName: string; role: Role }
  /** Milliseconds since the epoch. */
  startedAt: number
}

export type AppStatus = {
  /** False until the first administrator exists. */
  initialized: boolean
  session: SessionInfo | null
}
