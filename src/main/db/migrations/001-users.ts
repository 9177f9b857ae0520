import type { Migration } from './types'

/** Users and their password credentials. Times are milliseconds since the epoch (UTC). */
export const migration001: Migration = {
  version: 1,
  name: 'users',
  up(db) {
    db.exec(`
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL COLLATE NOCASE UNIQUE,
        email TEXT NOT NULL COLLATE NOCASE UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('user', 'helpdesk', 'admin')),
        disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE password_credentials (
        user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        phc TEXT NOT NULL,
        changed_at INTEGER NOT NULL
      ) STRICT;
    `)
  }
}
