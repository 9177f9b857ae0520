import type { Migration } from './types'

/**
 * Second factors, policy, lockout counters, lost-device requests and the audit log.
 * Secrets are sealed (AES-256-GCM) or hashed before they reach these tables.
 */
export const migration002: Migration = {
  version: 2,
  name: 'second-factors',
  up(db) {
    db.exec(`
      ALTER TABLE users ADD COLUMN postponements_used INTEGER NOT NULL DEFAULT 0;
      -- Set by a help-desk reset or a one-time access code: enrol at next login, no postponing.
      ALTER TABLE users ADD COLUMN must_enrol INTEGER NOT NULL DEFAULT 0 CHECK (must_enrol IN (0, 1));
      ALTER TABLE users ADD COLUMN last_login_at INTEGER;

      CREATE TABLE policy (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        json TEXT NOT NULL,
        smtp_password BLOB,
        updated_at INTEGER NOT NULL
      ) STRICT;

      -- One row per user with a factor in any state; 2FA is on only in state 'active'.
      CREATE TABLE second_factors (
        user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        method TEXT NOT NULL CHECK (method IN ('totp', 'email')),
        state TEXT NOT NULL CHECK (state IN ('verify-email', 'scan', 'confirmed', 'active')),
        secret BLOB,
        last_step INTEGER,
        started_at INTEGER NOT NULL,
        activated_at INTEGER,
        CHECK (method = 'email' OR state = 'verify-email' OR secret IS NOT NULL)
      ) STRICT;

      CREATE TABLE recovery_codes (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        used_at INTEGER
      ) STRICT;
      CREATE INDEX recovery_codes_by_user ON recovery_codes (user_id);

      -- At most one live e-mail code per user (the primary key).
      CREATE TABLE email_codes (
        user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        purpose TEXT NOT NULL CHECK (purpose IN ('login', 'enrol', 'password-reset')),
        code_hash TEXT NOT NULL,
        sent_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE access_codes (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash TEXT NOT NULL,
        issued_by INTEGER REFERENCES users (id),
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      ) STRICT;
      CREATE INDEX access_codes_by_user ON access_codes (user_id);

      CREATE TABLE enrolment_tokens (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_by INTEGER REFERENCES users (id),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      ) STRICT;

      -- Consecutive failures per account and per workstation, and the locks they caused.
      CREATE TABLE failure_counters (
        scope TEXT NOT NULL CHECK (scope IN ('account', 'workstation')),
        subject TEXT NOT NULL,
        factor TEXT NOT NULL CHECK (factor IN ('password', 'second-factor')),
        failures INTEGER NOT NULL DEFAULT 0,
        locks INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER,
        last_failure_at INTEGER,
        PRIMARY KEY (scope, subject, factor)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE reset_requests (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        workstation TEXT NOT NULL,
        message TEXT NOT NULL DEFAULT '',
        to_all INTEGER NOT NULL CHECK (to_all IN (0, 1)),
        status TEXT NOT NULL CHECK (status IN ('open', 'awaiting-approval', 'reset', 'access-code', 'rejected')),
        identity_check TEXT,
        identity_note TEXT,
        reason TEXT,
        handled_by INTEGER REFERENCES users (id),
        approved_by INTEGER REFERENCES users (id),
        closed_at INTEGER
      ) STRICT;
      CREATE INDEX reset_requests_by_status ON reset_requests (status, created_at);

      CREATE TABLE reset_request_recipients (
        request_id INTEGER NOT NULL REFERENCES reset_requests (id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        PRIMARY KEY (request_id, user_id)
      ) STRICT, WITHOUT ROWID;

      -- Append-only; each row carries the hash of the previous one (see core/audit.ts).
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        event TEXT NOT NULL,
        actor_id INTEGER,
        actor TEXT,
        subject_id INTEGER,
        subject TEXT,
        workstation TEXT,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_by_subject ON audit_log (subject_id, id);
      CREATE INDEX audit_by_event ON audit_log (event, id);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    `)
  }
}
