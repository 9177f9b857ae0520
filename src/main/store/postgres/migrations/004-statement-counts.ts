import type { PostgresMigration } from './index'

/**
 * The counts per (role, status) kept once per statement instead of once per row: each statement's
 * transition tables are grouped and added to the writer's stripe in one upsert per pair, so a bulk
 * import's INSERT of thousands of users costs a few upserts (a per-row trigger was some 40 % of its
 * time), and an UPDATE that changes neither role nor status (a login) writes no count at all.
 */
export const postgres004: PostgresMigration = {
  version: 4,
  name: 'statement-counts',
  sql: `
    DROP TRIGGER users_counted ON users;
    DROP FUNCTION users_counted();

    CREATE FUNCTION users_counted_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      INSERT INTO user_counts (role, status, stripe, n)
        SELECT role, status, pg_backend_pid() % 16, count(*) FROM new_rows GROUP BY role, status
        ON CONFLICT (role, status, stripe) DO UPDATE SET n = user_counts.n + excluded.n;
      RETURN NULL;
    END $$;
    CREATE FUNCTION users_counted_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      INSERT INTO user_counts (role, status, stripe, n)
        SELECT role, status, pg_backend_pid() % 16, -count(*) FROM old_rows GROUP BY role, status
        ON CONFLICT (role, status, stripe) DO UPDATE SET n = user_counts.n + excluded.n;
      RETURN NULL;
    END $$;
    CREATE FUNCTION users_counted_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      INSERT INTO user_counts (role, status, stripe, n)
        SELECT role, status, pg_backend_pid() % 16, sum(d) FROM (
          SELECT o.role, o.status, -1 AS d FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE o.role IS DISTINCT FROM n.role OR o.status IS DISTINCT FROM n.status
          UNION ALL
          SELECT n.role, n.status, 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE o.role IS DISTINCT FROM n.role OR o.status IS DISTINCT FROM n.status
        ) AS moved GROUP BY role, status HAVING sum(d) <> 0
        ON CONFLICT (role, status, stripe) DO UPDATE SET n = user_counts.n + excluded.n;
      RETURN NULL;
    END $$;
    CREATE TRIGGER users_counted_insert AFTER INSERT ON users REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION users_counted_insert();
    CREATE TRIGGER users_counted_delete AFTER DELETE ON users REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION users_counted_delete();
    CREATE TRIGGER users_counted_update AFTER UPDATE ON users REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION users_counted_update();
  `
}
