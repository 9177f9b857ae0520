/** Opens the store a seat is configured for: PostgreSQL when given a URL, else the SQLite file. */
import { openDatabase } from '../db/open'
import { openPostgresStore, type PostgresOptions } from './postgres'
import { sqliteStore } from './sqlite'
import type { Store } from './types'

export type { Store, Queryable, Params, Row, StoreKind, HeldLock } from './types'

export type StoreTarget = { databaseFile: string } | ({ databaseUrl: string } & Omit<PostgresOptions, 'url'>)

export async function openStore(target: StoreTarget): Promise<Store> {
  if ('databaseUrl' in target) return openPostgresStore({ ...target, url: target.databaseUrl })
  return sqliteStore(openDatabase(target.databaseFile))
}
