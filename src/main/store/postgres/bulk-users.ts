/**
 * PostgreSQL-only: the CSV import's bulk statements (core/directory/import.ts), each one round trip
 * for a whole batch of rows: rows set aside by COPY (store/postgres/copy-text.ts), or passed as
 * arrays (`unnest($1::int[], ...)`: pg sends a JavaScript array as a PostgreSQL array), and users
 * created on the server. They run in the caller's transaction, through the store.
 */
import type { Queryable, Store } from '../types'
import { copyText, type CopyValue } from './copy-text'

/** A checked row of the file, as it waits in import_rows. */
export type ImportRow = { line: number; username: string; email: string; display_name: string; role: string; phone: string | null }

/** A user created from a row set aside. */
export type MadeUser = { line: number; id: number; username: string; role: string }

const STAGE = 'COPY import_rows (line, username, email, display_name, role, phone) FROM STDIN'
const STAGED: ((r: ImportRow) => CopyValue)[] = [(r) => r.line, (r) => r.username, (r) => r.email, (r) => r.display_name, (r) => r.role, (r) => r.phone]
const STAGE_EACH = `INSERT INTO import_rows (line, username, email, display_name, role, phone)
  SELECT * FROM unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) ON CONFLICT DO NOTHING RETURNING line`
const UNIQUE_VIOLATION = '23505'

/** A username or e-mail as migration 7's unique indexes on import_rows compare it (citext's rule). */
const folded = (column: string) => `lower(${column}::text) COLLATE "C"`
/**
 * The row set aside with the username or e-mail of a row that could not be (the earliest, if two),
 * and whether it was the username: the same question as import.ts's `EARLIER`, asked through
 * migration 7's indexes. Parameters: username, username, e-mail.
 */
export const EARLIER_ROW = `SELECT line, ${folded('username')} = ${folded('?')} AS same_name FROM import_rows
  WHERE ${folded('username')} = ${folded('?')} OR ${folded('email')} = ${folded('?')} ORDER BY line LIMIT 1`

/**
 * Sets the rows aside in one statement, in their order: a row whose username or e-mail a row
 * before it has (set aside earlier, or earlier in `rows`) is left out, as one INSERT per row
 * would. Returns the lines set aside. In the caller's transaction if there is one (each statement
 * is atomic by itself otherwise).
 *
 * Most files repeat nobody, so the rows are first copied in plainly (COPY); only when that meets
 * a username or e-mail already there (and so writes nothing) is the batch inserted again with
 * ON CONFLICT DO NOTHING, whose check of each row before it is written costs about twice as much.
 */
export async function stageImportRows(q: Queryable & Pick<Store, 'copyIn' | 'inTransaction'>, rows: readonly ImportRow[]): Promise<Set<number>> {
  if (rows.length === 0) return new Set()
  const inside = q.inTransaction
  if (inside) await q.run('SAVEPOINT stage_rows')
  try {
    await q.copyIn!(STAGE, copyText(rows, STAGED))
    if (inside) await q.run('RELEASE SAVEPOINT stage_rows')
    return new Set(rows.map((r) => r.line))
  } catch (error) {
    if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error
  }
  if (inside) await q.run('ROLLBACK TO SAVEPOINT stage_rows')
  if (inside) await q.run('RELEASE SAVEPOINT stage_rows')
  const params = [
    rows.map((r) => r.line),
    rows.map((r) => r.username),
    rows.map((r) => r.email),
    rows.map((r) => r.display_name),
    rows.map((r) => r.role),
    rows.map((r) => r.phone)
  ]
  return new Set((await q.all<{ line: number }>(STAGE_EACH, params)).map((r) => r.line))
}

/**
 * The rows set aside in lines (after, upto], in line order, each with the id its user will have:
 * taken from the users' identity in one burst (nextval per row of one short statement), so a
 * slice's ids run on even while another slice or seat inserts users meanwhile.
 */
const RESERVE = `SELECT line, username::text AS username, role, nextval((SELECT pg_get_serial_sequence('users', 'id'))::regclass) AS id
  FROM import_rows WHERE line > ? AND line <= ? ORDER BY line`
const CREATE = `INSERT INTO users (id, username, email, display_name, role, phone, created_at, updated_at)
  SELECT t.id, r.username, r.email, r.display_name, r.role, r.phone, ?, ?
    FROM import_rows r JOIN unnest(?::bigint[], ?::int[]) AS t (id, line) ON t.line = r.line
   WHERE r.line > ? AND r.line <= ? ORDER BY t.id`

/**
 * Creates users from the rows set aside, a slice of lines at a time, in the caller's transaction:
 * their ids reserved first, then one INSERT ... SELECT on the server (the counts per role and
 * status follow once per statement, see migration 4).
 */
export function postgresUserCreator(q: Queryable) {
  return {
    /** The users lines (after, upto] will become, in line order, with their ids (nothing created yet). */
    reserve: (after: number, upto: number): Promise<MadeUser[]> => q.all<MadeUser>(RESERVE, [after, upto]),
    /** Creates the users `reserve` returned, with those ids, in one statement. */
    async create(made: readonly MadeUser[], now: number): Promise<void> {
      if (made.length === 0) return
      const [after, upto] = [made[0]!.line - 1, made.at(-1)!.line]
      const created = await q.run(CREATE, [now, now, made.map((m) => m.id), made.map((m) => m.line), after, upto])
      if (created.changes !== made.length) throw new Error(`import: ${created.changes} users created for ${made.length} rows`)
    }
  }
}

export type PostgresUserCreator = ReturnType<typeof postgresUserCreator>
