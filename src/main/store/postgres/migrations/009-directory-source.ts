import type { PostgresMigration } from './index'

/** People from an Active Directory or LDAP server, as SQLite's migration 16 (db/migrations/016-directory-source.ts) says. */
export const postgres009: PostgresMigration = {
  version: 9,
  name: 'directory-source',
  sql: `
    CREATE TABLE directory_source (one smallint PRIMARY KEY CHECK (one = 1), json text NOT NULL, bind_password bytea, updated_at bigint NOT NULL);
    CREATE TABLE directory_sync_state (
      one smallint PRIMARY KEY CHECK (one = 1),
      changed_since text,
      invocation_id text,
      last_full_at bigint,
      last_sync_at bigint,
      waiting text
    );
    CREATE UNLOGGED TABLE directory_seen (external_id text PRIMARY KEY, disable smallint NOT NULL DEFAULT 0);
    ALTER TABLE users ADD COLUMN external_id text, ADD COLUMN external_dn text, ADD COLUMN disabled_by_directory smallint NOT NULL DEFAULT 0;
    CREATE UNIQUE INDEX users_external_id ON users (external_id) WHERE external_id IS NOT NULL;
  `
}
