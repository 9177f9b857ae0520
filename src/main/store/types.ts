/**
 * The one asynchronous interface every service reaches storage through, with two implementations:
 * SQLite (`./sqlite`, embedded, one machine, the default) and PostgreSQL (`./postgres`, many seats
 * on one server). Services write plain parameterised SQL that both accept and never ask which one
 * they are on; what only one database can do (full-text search, row locks, triggers, the schema)
 * lives in that store's folder.
 *
 * The portable SQL the services write:
 * - positional `?` parameters (PostgreSQL's store numbers them), never a `?` inside a literal;
 * - integers for times (ms since the epoch), 0/1 for flags, `Uint8Array`/`Buffer` for sealed blobs;
 * - `INSERT ... ON CONFLICT ... DO UPDATE`, `RETURNING`, `LIMIT`, `CAST(x AS TEXT)`;
 * - case-insensitive columns (username, e-mail, token serial) are declared so by each schema:
 *   a query compares them with plain `=`;
 * - a read that a decision in the same transaction depends on ends with `tx.forUpdate`, which
 *   locks the rows read on PostgreSQL (SQLite's write transaction holds the whole file already).
 */

export type Param = string | number | bigint | boolean | null | Uint8Array
export type Params = readonly Param[]
export type Row = Record<string, unknown>

export type RunResult = { changes: number }

export interface Queryable {
  /** The first row, or undefined. */
  get<T = Row>(sql: string, params?: Params): Promise<T | undefined>
  all<T = Row>(sql: string, params?: Params): Promise<T[]>
  run(sql: string, params?: Params): Promise<RunResult>
}

export interface Tx extends Queryable {
  /** Appended to a SELECT whose rows this transaction goes on to decide about: `' FOR UPDATE'` or `''`. */
  readonly forUpdate: string
}

export type StoreKind = 'sqlite' | 'postgres'

export interface Store extends Queryable {
  readonly kind: StoreKind
  /**
   * Runs `body` in one write transaction: committed when it returns, rolled back when it throws.
   * On PostgreSQL a serialisation failure or deadlock runs the body again (a few times), so a body
   * changes nothing outside the database before it returns. A body awaits only `tx`.
   */
  transaction<T>(body: (tx: Tx) => Promise<T>): Promise<T>
  /** Closes the connection(s); calls after it fail. Closing twice does nothing. */
  close(): Promise<void>
}
