import type { PostgresMigration } from './index'

/** The fingerprint of the organisation's data key (SQLite's migration 14): the first seat writes it. */
export const postgres003: PostgresMigration = {
  version: 3,
  name: 'data-key-check',
  sql: 'CREATE TABLE data_key_check (one smallint PRIMARY KEY CHECK (one = 1), fingerprint text NOT NULL, created_at bigint NOT NULL)'
}
