import type { Migration } from './types'

/**
 * The audit chain's head as one row, as on PostgreSQL: every append reads it and moves it in the
 * same transaction, so the chain has one head and one sequence whichever store holds it.
 */
export const migration011: Migration = {
  version: 11,
  name: 'audit-head',
  up(db) {
    db.exec(`
      CREATE TABLE audit_head (
        one INTEGER PRIMARY KEY CHECK (one = 1),
        id INTEGER NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      INSERT INTO audit_head (one, id, hash) SELECT 1, id, hash FROM audit_log ORDER BY id DESC LIMIT 1;
    `)
  }
}
