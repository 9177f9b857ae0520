import type { Migration } from './types'

/**
 * Hardware OATH tokens (key fobs showing a 6- or 8-digit code): the seeds an administrator imports
 * from the vendor's file, sealed like TOTP secrets, each token held by at most one user. A user's
 * second factor may now be a token ('token'): `second_factors` is rebuilt to allow it (SQLite
 * cannot change a CHECK in place), with its triggers.
 */
export const migration008: Migration = {
  version: 8,
  name: 'hardware-tokens',
  up(db) {
    db.exec(`
      CREATE TABLE oath_tokens (
        serial TEXT PRIMARY KEY COLLATE NOCASE,
        kind TEXT NOT NULL CHECK (kind IN ('hotp', 'totp')),
        secret BLOB NOT NULL,
        digits INTEGER NOT NULL CHECK (digits IN (6, 8)),
        period INTEGER CHECK ((kind = 'totp') = (period IN (30, 60))),
        algorithm TEXT NOT NULL CHECK (algorithm IN ('sha1', 'sha256')),
        -- HOTP: the next counter value expected; TOTP: the last time step accepted (-1: none yet).
        counter INTEGER NOT NULL,
        -- A HOTP code matched beyond the look-ahead window: the counter the next code must have.
        resync_counter INTEGER,
        user_id INTEGER UNIQUE REFERENCES users (id) ON DELETE SET NULL,
        state TEXT NOT NULL CHECK (state IN ('available', 'assigned', 'lost')),
        imported_at INTEGER NOT NULL,
        assigned_at INTEGER,
        last_used_at INTEGER,
        CHECK ((state = 'assigned') = (user_id IS NOT NULL))
      ) STRICT;
      -- A deleted user's token goes back to the drawer.
      CREATE TRIGGER user_removed_token BEFORE DELETE ON users BEGIN
        UPDATE oath_tokens SET state = 'available', user_id = NULL, assigned_at = NULL, resync_counter = NULL WHERE user_id = OLD.id;
      END;

      DROP TRIGGER second_factor_added;
      DROP TRIGGER second_factor_changed;
      DROP TRIGGER second_factor_removed;
      CREATE TABLE second_factors_new (
        user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        method TEXT NOT NULL CHECK (method IN ('totp', 'email', 'token')),
        state TEXT NOT NULL CHECK (state IN ('verify-email', 'scan', 'confirmed', 'active')),
        secret BLOB,
        last_step INTEGER,
        started_at INTEGER NOT NULL,
        activated_at INTEGER,
        CHECK (method IN ('email', 'token') OR state = 'verify-email' OR secret IS NOT NULL)
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
