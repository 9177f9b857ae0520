import type { PostgresMigration } from './index'

/**
 * What a seat needs to keep its sampled ranks exact while other seats write (see
 * store/postgres/directory/ranks.ts):
 * - `users_order_moves`: each row that entered (+1) or left (-1) one of the plain sorts' orders,
 *   with its key in that order and the transaction that moved it (`xid`). A seat took its sample
 *   under one snapshot; the moves of transactions that snapshot did not see are what corrects a
 *   sampled rank. A statement that adds or removes many rows at once (an import's slice) logs one
 *   row for every order instead (`sort = '*'`): every sample taken before it is dropped and built
 *   again, rather than the import paying five rows per user.
 * - a sort by last login that uses its index in both directions: SQLite sorts a NULL first in
 *   ascending order; an index `(last_login_at NULLS FIRST, id)` read backwards gives the descending
 *   order with NULLs last, as the list asks for.
 */
const KEYS: Record<string, string> = {
  displayName: "lower(R.display_name), NULL::text, NULL::smallint",
  username: 'lower(R.username::text), NULL::text, NULL::smallint',
  email: 'lower(R.email::text), NULL::text, NULL::smallint',
  role: 'R.role, lower(R.display_name), NULL::smallint',
  status: 'NULL::text, lower(R.display_name), R.status'
}

/** One move per (row, sort) of `rows` (`NEW`/`OLD` in a row trigger, a transition table in a statement one). */
const movesOf = (sorts: string[], delta: 1 | -1, from: string) =>
  sorts.map((s) => `SELECT '${s}', ${delta}, ${KEYS[s]!.replaceAll('R.', 'r.')}, r.id FROM ${from} r`).join(' UNION ALL ')

const ALL = Object.keys(KEYS)
/** Rows a statement may add or remove one move at a time; more, and it logs `'*'` once. */
const MANY = 64

const logged = (sorts: string[], delta: 1 | -1, from: string) =>
  `INSERT INTO users_order_moves (sort, delta, t1, t2, n, id) ${movesOf(sorts, delta, from)};`

export const postgres006: PostgresMigration = {
  version: 6,
  name: 'order-moves',
  sql: `
    CREATE TABLE users_order_moves (
      seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
      at timestamptz NOT NULL DEFAULT now(),
      sort text NOT NULL,
      delta smallint NOT NULL,
      t1 text, t2 text, n smallint, id bigint
    );
    CREATE INDEX users_order_moves_recent ON users_order_moves (sort, xid);
    CREATE INDEX users_order_moves_by_time ON users_order_moves (at);

    CREATE FUNCTION users_order_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      IF (SELECT count(*) FROM (SELECT 1 FROM new_rows LIMIT ${MANY + 1}) few) > ${MANY} THEN
        INSERT INTO users_order_moves (sort, delta) VALUES ('*', 0);
      ELSE
        ${logged(ALL, 1, 'new_rows')}
      END IF;
      RETURN NULL;
    END $$;
    CREATE FUNCTION users_order_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      IF (SELECT count(*) FROM (SELECT 1 FROM old_rows LIMIT ${MANY + 1}) few) > ${MANY} THEN
        INSERT INTO users_order_moves (sort, delta) VALUES ('*', 0);
      ELSE
        ${logged(ALL, -1, 'old_rows')}
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER users_order_inserted AFTER INSERT ON users REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION users_order_inserted();
    CREATE TRIGGER users_order_deleted AFTER DELETE ON users REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION users_order_deleted();

    ${updateTrigger('name', 'OLD.display_name IS DISTINCT FROM NEW.display_name', ['displayName', 'role', 'status'])}
    ${updateTrigger('username', 'OLD.username::text IS DISTINCT FROM NEW.username::text', ['username'])}
    ${updateTrigger('email', 'OLD.email::text IS DISTINCT FROM NEW.email::text', ['email'])}
    ${updateTrigger('role', 'OLD.role IS DISTINCT FROM NEW.role', ['role'])}
    ${updateTrigger('status', 'OLD.status IS DISTINCT FROM NEW.status', ['status'])}

    DROP INDEX users_by_last_login;
    CREATE INDEX users_by_last_login ON users (last_login_at NULLS FIRST, id);
    DROP INDEX users_by_status_last_login;
    CREATE INDEX users_by_status_last_login ON users (status, last_login_at NULLS FIRST, id);
  `
}

/**
 * A row trigger for one kind of change (a rename moves the orders by name; a lock, the status
 * order): the row leaves those orders at its old key and enters them at its new one. Only rows
 * whose key changed fire it, so a login (last_login_at) logs nothing.
 */
function updateTrigger(name: string, changed: string, sorts: string[]): string {
  const row = (delta: 1 | -1, r: 'OLD' | 'NEW') => sorts.map((s) => `INSERT INTO users_order_moves (sort, delta, t1, t2, n, id) SELECT '${s}', ${delta}, ${KEYS[s]!.replaceAll('R.', `${r}.`)}, ${r}.id;`).join('\n')
  return `
    CREATE FUNCTION users_order_${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      ${row(-1, 'OLD')}
      ${row(1, 'NEW')}
      RETURN NULL;
    END $$;
    CREATE TRIGGER users_order_${name} AFTER UPDATE ON users FOR EACH ROW WHEN (${changed}) EXECUTE FUNCTION users_order_${name}();`
}
