import type { Migration } from './types'

/**
 * Security keys (WebAuthn / FIDO2): each user may register several, each with the name they gave
 * it, its public key and signature counter (no secret is stored). A user's second factor may now
 * be 'webauthn'; `second_factors` is rebuilt to allow it, with its triggers.
 */
export const migration009: Migration = {
  version: 9,
  name: 'security-keys',
  up(db) {
    db.exec(`
      CREATE TABLE webauthn_credentials (
        id TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        public_key BLOB NOT NULL,
        counter INTEGER NOT NULL,
        transports TEXT NOT NULL DEFAULT '[]',
        rp_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER,
        UNIQUE (user_id, name)
      ) STRICT;
      CREATE INDEX webauthn_by_user ON webauthn_credentials (user_id);

      DROP TRIGGER second_factor_added;
      DROP TRIGGER second_factor_changed;
      DROP TRIGGER second_factor_removed;
      CREATE TABLE second_factors_new (
        user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        method TEXT NOT NULL CHECK (method IN ('totp', 'email', 'token', 'webauthn')),
        state TEXT NOT NULL CHECK (state IN ('verify-email', 'scan', 'confirmed', 'active')),
        secret BLOB,
        last_step INTEGER,
        started_at INTEGER NOT NULL,
        activated_at INTEGER,
        CHECK (method IN ('email', 'token', 'webauthn') OR state = 'verify-email' OR secret IS NOT NULL)
      ) STRICT;
      INSERT INTO second_factors_new SELECT user_id, method, state, secret, last_step, started_at, activated_at FROM second_factors;
      DROP TABLE second_factors;
      ALTER TABLE second_factors_new RENAME TO second_factors;
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
    `)
  }
}
