import type { Migration } from './types'

/**
 * The fingerprint of the organisation's data key (never the key): an engine holding another key
 * says so and writes nothing, instead of sealing secrets nobody else can open.
 */
export const migration014: Migration = {
  version: 14,
  name: 'data-key-check',
  up(db) {
    db.exec('CREATE TABLE data_key_check (one INTEGER PRIMARY KEY CHECK (one = 1), fingerprint TEXT NOT NULL, created_at INTEGER NOT NULL) STRICT')
  }
}
