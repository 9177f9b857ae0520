import type { PostgresMigration } from './index'

/** One statement's rows (`rows`) grouped by (role, status, source) with `n` each, added to the writer's stripe. */
const ADD = (grouped: string) => `INSERT INTO user_counts (role, status, source, stripe, n)
        SELECT role, status, source, pg_backend_pid() % 16, n FROM (${grouped}) AS g
        ON CONFLICT (role, status, source, stripe) DO UPDATE SET n = user_counts.n + excluded.n;`

/**
 * Where a person comes from, as SQLite's migration 18 (db/migrations/018-user-source.ts) says:
 * `users.source` (1 from the directory, 0 local), an index per sort within one source, and the
 * counts per (role, status, source), still kept once per statement (migrations 4 and 5).
 */
export const postgres011: PostgresMigration = {
  version: 11,
  name: 'user-source',
  sql: `
    ALTER TABLE users ADD COLUMN source smallint GENERATED ALWAYS AS (CASE WHEN external_id IS NULL THEN 0 ELSE 1 END) STORED;
    CREATE INDEX users_by_source ON users (source, lower(display_name), id);
    CREATE INDEX users_by_source_username ON users (source, username, id);
    CREATE INDEX users_by_source_email ON users (source, email, id);
    CREATE INDEX users_by_source_last_login ON users (source, last_login_at NULLS FIRST, id);

    DROP FUNCTION user_count_add(text, smallint, integer);
    ALTER TABLE user_counts ADD COLUMN source smallint NOT NULL DEFAULT 0;
    ALTER TABLE user_counts DROP CONSTRAINT user_counts_pkey;
    ALTER TABLE user_counts ADD PRIMARY KEY (role, status, source, stripe);
    DELETE FROM user_counts;
    INSERT INTO user_counts (role, status, source, stripe, n) SELECT role, status, source, 0, count(*) FROM users GROUP BY role, status, source;

    CREATE OR REPLACE FUNCTION users_counted_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      ${ADD('SELECT role, status, source, count(*) AS n FROM new_rows GROUP BY role, status, source')}
      RETURN NULL;
    END $$;
    CREATE OR REPLACE FUNCTION users_counted_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      ${ADD('SELECT role, status, source, -count(*) AS n FROM old_rows GROUP BY role, status, source')}
      RETURN NULL;
    END $$;
    CREATE OR REPLACE FUNCTION users_counted_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      ${ADD(`SELECT role, status, source, sum(d) AS n FROM (
          SELECT role, status, source, -count(*) AS d FROM old_rows GROUP BY role, status, source
          UNION ALL
          SELECT role, status, source, count(*) FROM new_rows GROUP BY role, status, source
        ) AS moved GROUP BY role, status, source HAVING sum(d) <> 0`)}
      RETURN NULL;
    END $$;
  `
}
