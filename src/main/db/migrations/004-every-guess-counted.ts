import type { Migration } from './types'

/**
 * Every secret check counted (see core/attempts.ts):
 * - failure counters for password-reset codes and registration tokens, and the refusals during a
 *   lock aggregated instead of one audit row each. Counters keyed by a typed name kept that name
 *   in clear (a password typed into the username field): they are dropped, new ones use a keyed hash;
 * - an e-mail code slot per purpose (a reset code no longer replaces a login code), a count of
 *   wrong tries per code (it dies after a few), and a log of codes sent for the hourly limit;
 * - wrong tries per one-time access code;
 * - temporary passwords set by the help desk (must be changed at next login, expire);
 * - lost-device and forgotten-password requests told apart;
 * - the audit chain's version per row: 1 = plain SHA-256 (before this), 2 = HMAC under the data key.
 */
export const migration004: Migration = {
  version: 4,
  name: 'every-guess-counted',
  up(db) {
    db.exec(`
      CREATE TABLE failure_counters_v4 (
        scope TEXT NOT NULL CHECK (scope IN ('account', 'workstation')),
        subject TEXT NOT NULL,
        factor TEXT NOT NULL CHECK (factor IN ('password', 'second-factor', 'reset', 'token')),
        failures INTEGER NOT NULL DEFAULT 0,
        locks INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER,
        last_failure_at INTEGER,
        -- attempts refused during the lock since the last audit row about them
        refused INTEGER NOT NULL DEFAULT 0,
        refused_logged_at INTEGER,
        PRIMARY KEY (scope, subject, factor)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO failure_counters_v4 (scope, subject, factor, failures, locks, locked_until, last_failure_at)
        SELECT scope, subject, factor, failures, locks, locked_until, last_failure_at FROM failure_counters
        WHERE subject NOT LIKE 'name:%';
      DROP TABLE failure_counters;
      ALTER TABLE failure_counters_v4 RENAME TO failure_counters;

      CREATE TABLE email_codes_v4 (
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        purpose TEXT NOT NULL CHECK (purpose IN ('login', 'enrol', 'password-reset')),
        code_hash TEXT NOT NULL,
        sent_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        wrong_tries INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (user_id, purpose)
      ) STRICT;
      INSERT INTO email_codes_v4 (user_id, purpose, code_hash, sent_at, expires_at)
        SELECT user_id, purpose, code_hash, sent_at, expires_at FROM email_codes;
      DROP TABLE email_codes;
      ALTER TABLE email_codes_v4 RENAME TO email_codes;

      CREATE TABLE email_code_sends (
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        purpose TEXT NOT NULL,
        sent_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX email_code_sends_by_user ON email_code_sends (user_id, purpose, sent_at);

      ALTER TABLE access_codes ADD COLUMN wrong_tries INTEGER NOT NULL DEFAULT 0;

      ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));
      -- Set for a temporary password: it stops working then.
      ALTER TABLE password_credentials ADD COLUMN expires_at INTEGER;

      ALTER TABLE reset_requests ADD COLUMN kind TEXT NOT NULL DEFAULT 'lost-device' CHECK (kind IN ('lost-device', 'password'));
      CREATE INDEX reset_requests_by_user_kind ON reset_requests (user_id, kind, status);

      ALTER TABLE audit_log ADD COLUMN chain INTEGER NOT NULL DEFAULT 1 CHECK (chain IN (1, 2));
    `)
  }
}
