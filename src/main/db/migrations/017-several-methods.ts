import type { Migration } from './types'

/** The default among a person's active methods (chosen, else used last, else the newest): `users.method`. */
const DEFAULT_METHOD = (userId: string) => `(SELECT f.method FROM second_factors f WHERE f.user_id = ${userId} AND f.state = 'active'
  ORDER BY f.preferred DESC, f.last_used_at DESC, f.id DESC LIMIT 1)`

/** Sets `users.method` of one user to their default method, writing (and counting) only when it changes. */
const MIRROR = (userId: string) => `UPDATE users SET method = ${DEFAULT_METHOD(userId)} WHERE id = ${userId} AND method IS NOT ${DEFAULT_METHOD(userId)};`

/**
 * Several second factors per person: `second_factors` holds one row per method a person holds (an
 * authenticator app each, named; their security keys as one row, the keys themselves in
 * `webauthn_credentials`; a hardware token; e-mail), keyed by its own id, and at most one setup under
 * way beside them. Everyone keeps the one method they had, as their default. `users.method`, which
 * the directory lists and counts, is the default active method, kept by the triggers.
 */
export const migration017: Migration = {
  version: 17,
  name: 'several-methods',
  up(db) {
    db.exec(`
      DROP TRIGGER second_factor_added;
      DROP TRIGGER second_factor_changed;
      DROP TRIGGER second_factor_removed;
      CREATE TABLE second_factors_new (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        method TEXT NOT NULL CHECK (method IN ('totp', 'email', 'token', 'webauthn')),
        name TEXT,
        state TEXT NOT NULL CHECK (state IN ('verify-email', 'scan', 'confirmed', 'active')),
        secret BLOB,
        last_step INTEGER,
        started_at INTEGER NOT NULL,
        activated_at INTEGER,
        last_used_at INTEGER,
        preferred INTEGER NOT NULL DEFAULT 0 CHECK (preferred IN (0, 1)),
        CHECK (method IN ('email', 'token', 'webauthn') OR state = 'verify-email' OR secret IS NOT NULL)
      ) STRICT;
      INSERT INTO second_factors_new (user_id, method, state, secret, last_step, started_at, activated_at, last_used_at)
        SELECT user_id, method, state, secret, last_step, started_at, activated_at, activated_at FROM second_factors;
      DROP TABLE second_factors;
      ALTER TABLE second_factors_new RENAME TO second_factors;
      CREATE INDEX second_factors_by_user ON second_factors (user_id);
      -- One setup under way at a time; one row of each method but apps; one chosen default; apps named apart.
      CREATE UNIQUE INDEX second_factors_one_setup ON second_factors (user_id) WHERE state <> 'active';
      CREATE UNIQUE INDEX second_factors_one_of_a_kind ON second_factors (user_id, method) WHERE method <> 'totp';
      CREATE UNIQUE INDEX second_factors_one_preferred ON second_factors (user_id) WHERE preferred = 1;
      CREATE UNIQUE INDEX second_factors_app_names ON second_factors (user_id, lower(name)) WHERE name IS NOT NULL;

      CREATE TRIGGER second_factor_added AFTER INSERT ON second_factors BEGIN
        ${MIRROR('NEW.user_id')}
      END;
      CREATE TRIGGER second_factor_changed AFTER UPDATE OF state, method, user_id, preferred, last_used_at ON second_factors BEGIN
        ${MIRROR('OLD.user_id')}
        ${MIRROR('NEW.user_id')}
      END;
      CREATE TRIGGER second_factor_removed AFTER DELETE ON second_factors BEGIN
        ${MIRROR('OLD.user_id')}
      END;
    `)
  }
}
