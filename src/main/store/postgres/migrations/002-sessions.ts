import type { PostgresMigration } from './index'

/** Sessions in the database (SQLite's migration 12): found by the SHA-256 of their id. */
export const postgres002: PostgresMigration = {
  version: 2,
  name: 'sessions',
  sql: `
    CREATE TABLE sessions (
      id_hash text PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      stage text NOT NULL CHECK (stage IN ('second-factor', 'enrol', 'change-password', 'full')),
      started_at bigint NOT NULL,
      last_seen_at bigint NOT NULL,
      logged_in_at bigint NOT NULL,
      workstation text NOT NULL
    );
    CREATE INDEX sessions_by_user ON sessions (user_id);
    CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);
    CREATE INDEX sessions_by_start ON sessions (started_at);
  `
}
