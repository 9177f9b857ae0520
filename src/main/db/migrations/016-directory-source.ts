import type { Migration } from './types'

/**
 * People from an Active Directory or LDAP server (core/directory-source/):
 * - `directory_source`: the server's settings (JSON, shared/directory-source.ts) and the service
 *   account's password, sealed by the data key like the SMTP password;
 * - `directory_sync_state`: where the last syncs left off (the highest change stamp seen, AD's
 *   invocation id), and a sync waiting for an administrator's confirmation;
 * - `directory_seen`: a sync's scratch, the stable ids it read (and whether the directory disables
 *   each), so that those gone from a full read are found by a query, however many there are;
 * - on users: the directory's stable id for the account (objectGUID, entryUUID: unique, and never
 *   the DN, which changes when someone moves), their DN as last seen, and whether the directory
 *   disabled them (only those are enabled again when they come back).
 */
export const migration016: Migration = {
  version: 16,
  name: 'directory-source',
  up(db) {
    db.exec(`
      CREATE TABLE directory_source (one INTEGER PRIMARY KEY CHECK (one = 1), json TEXT NOT NULL, bind_password BLOB, updated_at INTEGER NOT NULL) STRICT;
      CREATE TABLE directory_sync_state (
        one INTEGER PRIMARY KEY CHECK (one = 1),
        changed_since TEXT,
        invocation_id TEXT,
        last_full_at INTEGER,
        last_sync_at INTEGER,
        waiting TEXT
      ) STRICT;
      CREATE TABLE directory_seen (external_id TEXT PRIMARY KEY, disable INTEGER NOT NULL DEFAULT 0) STRICT;
      ALTER TABLE users ADD COLUMN external_id TEXT;
      ALTER TABLE users ADD COLUMN external_dn TEXT;
      ALTER TABLE users ADD COLUMN disabled_by_directory INTEGER NOT NULL DEFAULT 0;
      CREATE UNIQUE INDEX users_external_id ON users (external_id) WHERE external_id IS NOT NULL;
    `)
  }
}
