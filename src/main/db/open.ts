import Database from 'better-sqlite3'
import type { Database as Db } from 'better-sqlite3'
import { LATEST_VERSION, MIGRATIONS } from './migrations'
import type { Migration } from './migrations/types'
import { DomainError } from '../core/domain-error'

export type { Db }

/** Wait this long for another connection's write lock (the CLI and the app may share a file). */
const BUSY_TIMEOUT_MS = 5_000
/**
 * SQLite's page cache per connection, in KiB (the default is 2 MB). A 1M-user directory's indexes
 * and search index want more: at 64 MB a million-row import spent a third of its time re-reading
 * pages it had just written (measured with `npm run bench`).
 */
const CACHE_KIB = 128 * 1024
/**
 * Pages in the write-ahead log before it is copied back (the default is 1,000): fewer, larger
 * checkpoints copy a page written by many transactions once instead of once per 4 MB of log.
 */
export const WAL_CHECKPOINT_PAGES = 8_000
/** Distinct statements kept prepared per connection. */
const STATEMENT_CACHE = 400

/**
 * `db.prepare` that prepares each SQL text once: preparing on every call costs time and, with
 * statements freed only by the garbage collector, memory. A statement still iterating elsewhere is
 * not shared. Callers never change a statement's mode (pluck, raw, expand) on a cached statement.
 */
export function cachePrepared(db: Db): void {
  const prepare = db.prepare.bind(db)
  const cache = new Map<string, ReturnType<Db['prepare']>>()
  db.prepare = ((sql: string) => {
    const cached = cache.get(sql)
    if (cached && !cached.busy) {
      cache.delete(sql) // most recently used last
      cache.set(sql, cached)
      return cached
    }
    const stmt = prepare(sql)
    if (!cached) {
      cache.set(sql, stmt)
      if (cache.size > STATEMENT_CACHE) cache.delete(cache.keys().next().value!)
    }
    return stmt
  }) as Db['prepare']
}

export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  const db = new Database(file)
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('synchronous = NORMAL')
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    db.pragma(`cache_size = -${CACHE_KIB}`)
    db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`)
    db.pragma('temp_store = MEMORY')
    migrate(db, migrations)
    cachePrepared(db)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number
}

/**
 * Applies every pending migration in one IMMEDIATE transaction: either the database reaches the
 * latest version or it stays as it was. A database from a newer Tessera is refused, not touched.
 */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): void {
  const latest = migrations.at(-1)?.version ?? 0
  const apply = db.transaction(() => {
    const current = schemaVersion(db)
    if (current > latest) {
      throw new DomainError(
        'DATABASE_TOO_NEW',
        `The database is at schema version ${current}; this Tessera knows versions up to ${latest}.`
      )
    }
    for (const m of migrations) {
      if (m.version <= current) continue
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    }
  })
  apply.immediate()
}

export { LATEST_VERSION }
