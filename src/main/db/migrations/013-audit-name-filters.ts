import type { Migration } from './types'

/**
 * The audit log's actor and subject filters compare `lower(name)`, as PostgreSQL's schema indexes
 * them, instead of SQLite's NOCASE collation (the same SQL on both stores): the indexes follow.
 */
export const migration013: Migration = {
  version: 13,
  name: 'audit-name-filters',
  up(db) {
    db.exec(`
      DROP INDEX audit_by_actor;
      DROP INDEX audit_by_subject_name;
      CREATE INDEX audit_by_actor ON audit_log (lower(actor), id);
      CREATE INDEX audit_by_subject_name ON audit_log (lower(subject), id);
    `)
  }
}
