/**
 * PostgreSQL-only: the CSV import's bulk statements (core/directory/import.ts), each one round trip
 * for a whole batch of rows, the rows passed as arrays (`unnest($1::int[], ...)`: pg sends a
 * JavaScript array as a PostgreSQL array). They run in the caller's transaction, through the store.
 */
import type { Queryable } from '../types'

/** A checked row of the file, as it waits in import_rows. */
export type ImportRow = { line: number; username: string; email: string; display_name: string; role: string; phone: string | null }

/** A user created from a row set aside. */
export type MadeUser = { line: number; id: number; username: string; role: string }

const COLUMNS = '(line, username, email, display_name, role, phone) SELECT * FROM unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])'
const STAGE = `INSERT INTO import_rows ${COLUMNS}`
const STAGE_EACH = `INSERT INTO import_rows ${COLUMNS} ON CONFLICT DO NOTHING RETURNING line`
const UNIQUE_VIOLATION = '23505'

/**
 * Sets the rows aside in one statement, in their order: a row whose username or e-mail a row
 * before it has (set aside earlier, or earlier in `rows`) is left out, as one INSERT per row
 * would. Returns the lines set aside. In the caller's transaction.
 *
 * Most files repeat nobody, so a plain INSERT is tried first (in a savepoint); only when it meets
 * a username or e-mail already there is the batch inserted again with ON CONFLICT DO NOTHING,
 * whose check of each row before it is written costs about twice the plain insert.
 */
export async function stageImportRows(q: Queryable, rows: readonly ImportRow[]): Promise<Set<number>> {
  if (rows.length === 0) return new Set()
  const params = [
    rows.map((r) => r.line),
    rows.map((r) => r.username),
    rows.map((r) => r.email),
    rows.map((r) => r.display_name),
    rows.map((r) => r.role),
    rows.map((r) => r.phone)
  ]
  await q.run('SAVEPOINT stage_rows')
  try {
    await q.run(STAGE, params)
    await q.run('RELEASE SAVEPOINT stage_rows')
    return new Set(rows.map((r) => r.line))
  } catch (error) {
    if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error
  }
  await q.run('ROLLBACK TO SAVEPOINT stage_rows')
  await q.run('RELEASE SAVEPOINT stage_rows')
  return new Set((await q.all<{ line: number }>(STAGE_EACH, params)).map((r) => r.line))
}

const CREATE = `WITH src AS (SELECT line, username, email, display_name, role, phone FROM import_rows WHERE line > ? ORDER BY line LIMIT ?),
      made AS (INSERT INTO users (username, email, display_name, role, phone, created_at, updated_at)
               SELECT username, email, display_name, role, phone, ?, ? FROM src ORDER BY line
               RETURNING id, username, role)
  SELECT src.line, made.id, made.username, made.role FROM made JOIN src ON src.username::text = made.username::text ORDER BY src.line`

/**
 * Creates users from the rows set aside, a slice at a time, in the caller's transaction: one
 * INSERT ... SELECT on the server (the counts per role and status follow once per statement, see
 * migration 4).
 */
export function postgresUserCreator(q: Queryable) {
  return {
    /**
     * The next `size` rows set aside after line `after`, created as users in one INSERT ... SELECT
     * (ids from the identity: other seats may take ids in between); returned in line order.
     */
    async create(after: number, size: number, now: number): Promise<MadeUser[]> {
      return q.all<MadeUser>(CREATE, [after, size, now, now])
    }
  }
}
