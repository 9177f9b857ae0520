import type { Database } from 'better-sqlite3'

export type Migration = {
  /** 1, 2, 3...: stored in `PRAGMA user_version` once applied. */
  version: number
  name: string
  up(db: Database): void
}
