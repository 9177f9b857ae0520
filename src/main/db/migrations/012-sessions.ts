import type { Migration } from './types'

/**
 * Sessions in the database, so that on a shared server every seat sees them ("Sign out
 * everywhere" ends them at every seat, a disabled user is signed out everywhere). A session is
 * found by the SHA-256 of its id: the id itself (the bearer secret) stays in the engine's memory.
 */
export const migration012: Migration = {
  version: 12,
  name: 'sessions',
  up(db) {
    db.exec(`
      CREATE TABLE sessions (
        seq INTEGER PRIMARY KEY,
        id_hash TEXT NOT NULL UNIQUE,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        stage TEXT NOT NULL CHECK (stage IN ('second-factor', 'enrol', 'change-password', 'full')),
        started_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        logged_in_at INTEGER NOT NULL,
        workstation TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sessions_by_user ON sessions (user_id);
      CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);
      CREATE INDEX sessions_by_start ON sessions (started_at);
    `)
  }
}
