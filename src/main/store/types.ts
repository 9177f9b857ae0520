/**
 * The one asynchronous interface every service reaches storage through, with two implementations:
 * SQLite (`./sqlite`, embedded, one machine, the default) and PostgreSQL (`./postgres`, many seats
 * on one server). Services write plain parameterised SQL that both accept and never ask which one
 * they are on; what only one database can do (full-text search, row locks, triggers, the schema)
 * lives in that store's folder.
 *
 * Transactions are ambient: every call made while a `transaction` body runs (in its async
 * context, however deep) joins that transaction, and a `transaction` started inside one joins it
 * too (the outermost commits). So a service method writes the same code whether it is called on
 * its own or as part of a larger change.
 *
 * The portable SQL the services write:
 * - positional `?` parameters (PostgreSQL's store numbers them), never a `?` inside a literal;
 * - integers for times (ms since the epoch), 0/1 for flags, `Uint8Array`/`Buffer` for sealed blobs
 *   (arrays only in a PostgreSQL store's own statements);
 * - `INSERT ... ON CONFLICT ... DO UPDATE`/`DO NOTHING`, `RETURNING`, `LIMIT`, `CAST(x AS TEXT)`,
 *   `coalesce`; an `EXISTS (...)` read as truthy (1 on SQLite, true on PostgreSQL);
 * - case-insensitive columns (username, e-mail, token serial) are declared so by each schema:
 *   a query compares them with plain `=`;
 * - a read that a decision in the same transaction depends on ends with `store.forUpdate`, which
 *   locks the rows read on PostgreSQL (SQLite's write transaction holds the whole file already).
 */

export type Param = string | number | bigint | boolean | null | Uint8Array | ArrayParam
/**
 * PostgreSQL only (its store's bulk statements, `unnest(?::text[], ...)`): a JavaScript array,
 * which pg sends as a PostgreSQL array. SQLite has no arrays and refuses one.
 */
export type ArrayParam = readonly (string | number | null)[]
export type Params = readonly Param[]
export type Row = Record<string, unknown>

export type RunResult = { changes: number }

export interface Queryable {
  /** The first row, or undefined. */
  get<T = Row>(sql: string, params?: Params): Promise<T | undefined>
  all<T = Row>(sql: string, params?: Params): Promise<T[]>
  run(sql: string, params?: Params): Promise<RunResult>
}

export type StoreKind = 'sqlite' | 'postgres'

export type HeldLock = { release(): Promise<void> }

export interface Store extends Queryable {
  readonly kind: StoreKind
  /** Appended to a SELECT whose rows a transaction goes on to decide about: `' FOR UPDATE'` or `''`. */
  readonly forUpdate: string
  /** Whether the caller runs inside a transaction body. */
  readonly inTransaction: boolean
  /**
   * Runs `body` in one write transaction: committed when it returns, rolled back when it throws;
   * inside another transaction's body it simply joins that one. On PostgreSQL a serialisation
   * failure or deadlock runs the (outermost) body again, a few times, so a body changes nothing
   * outside the database before it returns. A body awaits only the store (no hashing, no I/O).
   */
  transaction<T>(body: () => Promise<T>): Promise<T>
  /**
   * Runs `body` in one read-only transaction that sees the database as one snapshot (what other
   * seats commit meanwhile stays out of view); outside any other transaction only.
   */
  snapshot<T>(body: () => Promise<T>): Promise<T>
  /**
   * Runs `fn` once the caller's outermost transaction has committed (never if it rolls back), or at
   * once outside any transaction; `fn` runs outside every transaction (work that must see the commit).
   */
  afterCommit(fn: () => void): void
  /**
   * Inside a transaction: waits until no other transaction holds the lock of this name, and holds
   * it until this one ends (a decision no single row carries, such as "no account exists yet").
   * SQLite's write transaction holds the whole file already; PostgreSQL takes an advisory lock.
   */
  lock(name: string): Promise<void>
  /**
   * Outside transactions: takes the lock of this name if no process holds it (null if one does,
   * without waiting) and holds it until `release`, or until this process ends however it ends (a
   * crash included): the operating system or the server lets go of a dead holder's lock. A long
   * job holds its own while it runs, so that another process can tell a running job from one a
   * crash interrupted (core/job-journal.ts). SQLite: an exclusive lock on a small file of its own
   * beside the database; PostgreSQL: a session advisory lock on a connection kept for it.
   */
  holdLock(name: string): Promise<HeldLock | null>
  /**
   * PostgreSQL only (its store's bulk statements): `COPY table (columns) FROM STDIN` with `data`,
   * rows in COPY's text format (store/postgres/copy-text.ts), in the caller's transaction or as a
   * statement of its own; returns the rows copied. SQLite has none.
   */
  copyIn?(sql: string, data: string): Promise<number>
  /** Closes the connection(s); calls after it fail. Closing twice does nothing. */
  close(): Promise<void>
}
