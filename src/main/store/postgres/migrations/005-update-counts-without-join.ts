import type { PostgresMigration } from './index'

/**
 * The counts' UPDATE trigger without joining its two transition tables (which have no index or
 * statistics: a 90,000-row UPDATE took minutes as a nested loop). Each (role, status) pair gets
 * minus its old rows plus its new rows; rows whose pair did not change cancel out, and a pair whose
 * sum is zero (a login, a rename) writes nothing.
 */
export const postgres005: PostgresMigration = {
  version: 5,
  name: 'update-counts-without-join',
  sql: `
    CREATE OR REPLACE FUNCTION users_counted_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      INSERT INTO user_counts (role, status, stripe, n)
        SELECT role, status, pg_backend_pid() % 16, sum(d) FROM (
          SELECT role, status, -count(*) AS d FROM old_rows GROUP BY role, status
          UNION ALL
          SELECT role, status, count(*) FROM new_rows GROUP BY role, status
        ) AS moved GROUP BY role, status HAVING sum(d) <> 0
        ON CONFLICT (role, status, stripe) DO UPDATE SET n = user_counts.n + excluded.n;
      RETURN NULL;
    END $$;
  `
}
