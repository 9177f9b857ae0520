import type { Migration } from './types'

/** Indexes for the user directory's sorted, paged views over 100,000+ users. */
export const migration003: Migration = {
  version: 3,
  name: 'directory-indexes',
  up(db) {
    db.exec(`
      CREATE INDEX users_by_display_name ON users (display_name COLLATE NOCASE, id);
      CREATE INDEX users_by_role ON users (role, display_name COLLATE NOCASE);
      CREATE INDEX users_by_last_login ON users (last_login_at, id);
      CREATE INDEX reset_requests_by_user ON reset_requests (user_id, status);
    `)
  }
}
