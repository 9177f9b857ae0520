import type { Migration } from './types'

/** Adds one user to the counts of their (role, status, source). */
const COUNTED = `INSERT INTO user_counts (role, status, source, n) VALUES (NEW.role, NEW.status, NEW.source, 1)
          ON CONFLICT (role, status, source) DO UPDATE SET n = n + 1;`
const UNCOUNTED = 'UPDATE user_counts SET n = n - 1 WHERE role = OLD.role AND status = OLD.status AND source = OLD.source;'

/**
 * Where a person comes from, as the directory filters and counts it: `users.source` is 1 for an
 * account the directory sync keeps (it has an `external_id`), 0 for a local one (break-glass
 * accounts, CSV imports). Each sort has an index within one source, as within one status, so a
 * page of "from the directory" or "local only" is an index range; the counts gain the source.
 */
export const migration018: Migration = {
  version: 18,
  name: 'user-source',
  up(db) {
    db.exec(`
      ALTER TABLE users ADD COLUMN source INTEGER GENERATED ALWAYS AS (external_id IS NOT NULL) VIRTUAL;
      CREATE INDEX users_by_source ON users (source, display_name COLLATE NOCASE, id);
      CREATE INDEX users_by_source_username ON users (source, username, id);
      CREATE INDEX users_by_source_email ON users (source, email, id);
      CREATE INDEX users_by_source_last_login ON users (source, last_login_at, id);

      DROP TRIGGER user_counted;
      DROP TRIGGER user_uncounted;
      DROP TRIGGER user_recounted;
      DROP TABLE user_counts;
      CREATE TABLE user_counts (
        role TEXT NOT NULL,
        status INTEGER NOT NULL,
        source INTEGER NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (role, status, source)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO user_counts (role, status, source, n) SELECT role, status, source, count(*) FROM users GROUP BY role, status, source;
      CREATE TRIGGER user_counted AFTER INSERT ON users BEGIN
        ${COUNTED}
      END;
      CREATE TRIGGER user_uncounted AFTER DELETE ON users BEGIN
        ${UNCOUNTED}
      END;
      CREATE TRIGGER user_recounted AFTER UPDATE ON users
        WHEN OLD.role IS NOT NEW.role OR OLD.status IS NOT NEW.status OR OLD.source IS NOT NEW.source BEGIN
        ${UNCOUNTED}
        ${COUNTED}
      END;
    `)
  }
}
