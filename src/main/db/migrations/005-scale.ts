import type { Migration } from './types'

/**
 * The directory at 1,000,000 users: what a list call needs is kept as indexed data instead of being
 * computed per row on every call.
 *
 * - `users.method`, `users.locked_until` and `users.open_requests` mirror the second factor, the
 *   account's lock and its open help-desk requests; triggers on those tables keep them right.
 * - `users.status` is a generated column over them (most urgent first, see `STATUS_CODES`), so
 *   every filter and sort is an index range.
 * - `user_counts` holds the number of users per (role, status), maintained by triggers, so the
 *   counts above the directory cost a few rows instead of a scan.
 * - `users_fts` is an FTS5 trigram index over name, username and e-mail for substring search.
 * - Audit filters get indexes; `audit_checkpoint` lets an everyday verify start where the last
 *   one ended.
 *
 * A lock ends by time, which no trigger sees: readers first clear `locked_until` values in the
 * past (an index range over the few locked accounts), see `directory.ts`.
 */
export const migration005: Migration = {
  version: 5,
  name: 'scale',
  up(db) {
    db.exec(`
      ALTER TABLE users ADD COLUMN method TEXT;
      ALTER TABLE users ADD COLUMN locked_until INTEGER;
      ALTER TABLE users ADD COLUMN open_requests INTEGER NOT NULL DEFAULT 0;
      -- 0 disabled, 1 locked, 2 reset-requested, 3 enrolled, 4 must-enrol, 5 postponed, 6 not-enrolled
      ALTER TABLE users ADD COLUMN status INTEGER GENERATED ALWAYS AS (CASE
        WHEN disabled = 1 THEN 0
        WHEN locked_until IS NOT NULL THEN 1
        WHEN open_requests > 0 THEN 2
        WHEN method IS NOT NULL THEN 3
        WHEN must_enrol = 1 THEN 4
        WHEN postponements_used > 0 THEN 5
        ELSE 6 END) VIRTUAL;

      UPDATE users SET
        method = (SELECT f.method FROM second_factors f WHERE f.user_id = users.id AND f.state = 'active'),
        locked_until = (SELECT max(c.locked_until) FROM failure_counters c
          WHERE c.scope = 'account' AND c.subject = CAST(users.id AS TEXT) AND c.factor IN ('password', 'second-factor')),
        open_requests = (SELECT count(*) FROM reset_requests r WHERE r.user_id = users.id AND r.status IN ('open', 'awaiting-approval'));

      -- Mirrors
      CREATE TRIGGER second_factor_added AFTER INSERT ON second_factors BEGIN
        UPDATE users SET method = CASE WHEN NEW.state = 'active' THEN NEW.method END WHERE id = NEW.user_id;
      END;
      CREATE TRIGGER second_factor_changed AFTER UPDATE OF state, method, user_id ON second_factors BEGIN
        UPDATE users SET method = NULL WHERE id = OLD.user_id AND OLD.user_id <> NEW.user_id;
        UPDATE users SET method = CASE WHEN NEW.state = 'active' THEN NEW.method END WHERE id = NEW.user_id;
      END;
      CREATE TRIGGER second_factor_removed AFTER DELETE ON second_factors BEGIN
        UPDATE users SET method = NULL WHERE id = OLD.user_id;
      END;

      CREATE TRIGGER request_added AFTER INSERT ON reset_requests WHEN NEW.status IN ('open', 'awaiting-approval') BEGIN
        UPDATE users SET open_requests = open_requests + 1 WHERE id = NEW.user_id;
      END;
      CREATE TRIGGER request_changed AFTER UPDATE OF status, user_id ON reset_requests BEGIN
        UPDATE users SET open_requests = open_requests - 1 WHERE id = OLD.user_id AND OLD.status IN ('open', 'awaiting-approval');
        UPDATE users SET open_requests = open_requests + 1 WHERE id = NEW.user_id AND NEW.status IN ('open', 'awaiting-approval');
      END;
      CREATE TRIGGER request_removed AFTER DELETE ON reset_requests WHEN OLD.status IN ('open', 'awaiting-approval') BEGIN
        UPDATE users SET open_requests = open_requests - 1 WHERE id = OLD.user_id;
      END;

      -- Only counters of an account (a user id, never a typed name) and of the factors that lock a login.
      CREATE TRIGGER lock_added AFTER INSERT ON failure_counters
        WHEN NEW.scope = 'account' AND NEW.factor IN ('password', 'second-factor') AND NEW.subject NOT GLOB '*[^0-9]*' BEGIN
        UPDATE users SET locked_until = (SELECT max(c.locked_until) FROM failure_counters c
          WHERE c.scope = 'account' AND c.subject = NEW.subject AND c.factor IN ('password', 'second-factor'))
        WHERE id = CAST(NEW.subject AS INTEGER);
      END;
      CREATE TRIGGER lock_changed AFTER UPDATE OF locked_until ON failure_counters
        WHEN NEW.scope = 'account' AND NEW.factor IN ('password', 'second-factor') AND NEW.subject NOT GLOB '*[^0-9]*' BEGIN
        UPDATE users SET locked_until = (SELECT max(c.locked_until) FROM failure_counters c
          WHERE c.scope = 'account' AND c.subject = NEW.subject AND c.factor IN ('password', 'second-factor'))
        WHERE id = CAST(NEW.subject AS INTEGER);
      END;
      CREATE TRIGGER lock_removed AFTER DELETE ON failure_counters
        WHEN OLD.scope = 'account' AND OLD.factor IN ('password', 'second-factor') AND OLD.subject NOT GLOB '*[^0-9]*' BEGIN
        UPDATE users SET locked_until = (SELECT max(c.locked_until) FROM failure_counters c
          WHERE c.scope = 'account' AND c.subject = OLD.subject AND c.factor IN ('password', 'second-factor'))
        WHERE id = CAST(OLD.subject AS INTEGER);
      END;

      -- Counts per (role, status)
      CREATE TABLE user_counts (
        role TEXT NOT NULL,
        status INTEGER NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (role, status)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO user_counts (role, status, n) SELECT role, status, count(*) FROM users GROUP BY role, status;
      CREATE TRIGGER user_counted AFTER INSERT ON users BEGIN
        INSERT INTO user_counts (role, status, n) VALUES (NEW.role, NEW.status, 1)
          ON CONFLICT (role, status) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER user_uncounted AFTER DELETE ON users BEGIN
        UPDATE user_counts SET n = n - 1 WHERE role = OLD.role AND status = OLD.status;
      END;
      CREATE TRIGGER user_recounted AFTER UPDATE ON users WHEN OLD.role IS NOT NEW.role OR OLD.status IS NOT NEW.status BEGIN
        UPDATE user_counts SET n = n - 1 WHERE role = OLD.role AND status = OLD.status;
        INSERT INTO user_counts (role, status, n) VALUES (NEW.role, NEW.status, 1)
          ON CONFLICT (role, status) DO UPDATE SET n = n + 1;
      END;

      -- Substring search
      CREATE VIRTUAL TABLE users_fts USING fts5(username, display_name, email, content = 'users', content_rowid = 'id', tokenize = 'trigram');
      INSERT INTO users_fts (users_fts) VALUES ('rebuild');
      -- A bulk import fills the index itself, in one statement per chunk (FTS5 flushes at every
      -- trigger's savepoint, which made a row cost 20 µs): it marks its transaction in bulk_load.
      CREATE TABLE bulk_load (one INTEGER PRIMARY KEY CHECK (one = 1)) STRICT;
      CREATE TRIGGER users_fts_added AFTER INSERT ON users WHEN NOT EXISTS (SELECT 1 FROM bulk_load) BEGIN
        INSERT INTO users_fts (rowid, username, display_name, email) VALUES (NEW.id, NEW.username, NEW.display_name, NEW.email);
      END;
      CREATE TRIGGER users_fts_removed AFTER DELETE ON users BEGIN
        INSERT INTO users_fts (users_fts, rowid, username, display_name, email) VALUES ('delete', OLD.id, OLD.username, OLD.display_name, OLD.email);
      END;
      CREATE TRIGGER users_fts_changed AFTER UPDATE OF username, display_name, email ON users BEGIN
        INSERT INTO users_fts (users_fts, rowid, username, display_name, email) VALUES ('delete', OLD.id, OLD.username, OLD.display_name, OLD.email);
        INSERT INTO users_fts (rowid, username, display_name, email) VALUES (NEW.id, NEW.username, NEW.display_name, NEW.email);
      END;

      -- A CSV import's checked rows, before any user is created (see directory/import.ts)
      CREATE TABLE import_rows (
        line INTEGER PRIMARY KEY,
        username TEXT NOT NULL COLLATE NOCASE UNIQUE,
        email TEXT NOT NULL COLLATE NOCASE UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL
      ) STRICT;

      -- Every sort on an index, alone and within one status or role
      DROP INDEX users_by_role;
      CREATE INDEX users_by_role ON users (role, display_name COLLATE NOCASE, id);
      CREATE INDEX users_by_status ON users (status, display_name COLLATE NOCASE, id);
      CREATE INDEX users_by_status_username ON users (status, username, id);
      CREATE INDEX users_by_status_email ON users (status, email, id);
      CREATE INDEX users_by_status_last_login ON users (status, last_login_at, id);
      CREATE INDEX users_locked ON users (locked_until) WHERE locked_until IS NOT NULL;

      -- Requests: the open queue and everything, newest first
      CREATE INDEX reset_requests_by_time ON reset_requests (created_at, id);
      CREATE INDEX reset_requests_by_recipient ON reset_request_recipients (user_id, request_id);

      -- Audit filters
      CREATE INDEX audit_by_actor ON audit_log (actor COLLATE NOCASE, id);
      CREATE INDEX audit_by_subject_name ON audit_log (subject COLLATE NOCASE, id);
      CREATE INDEX audit_by_time ON audit_log (at, id);
      CREATE TABLE audit_checkpoint (
        one INTEGER PRIMARY KEY CHECK (one = 1),
        id INTEGER NOT NULL,
        hash TEXT NOT NULL,
        rows INTEGER NOT NULL,
        at INTEGER NOT NULL
      ) STRICT;
      ANALYZE;
    `)
  }
}
