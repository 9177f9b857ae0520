import Database from 'better-sqlite3'
import type { Database as Db } from 'better-sqlite3'
import { LATEST_VERSION, MIGRATIONS } from './migrations'
import type { Migration } from './migrations/types'
import { DomainError } from '../core/domain-error'

export type { Db }

/** Wait this long for another connection's write lock (the CLI and the app may share a file). */
const BUSY_TIMEOUT_MS = 5_000

export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  const db = new Database(file)
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('synchronous = NORMAL')
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    migrate(db, migrations)
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
