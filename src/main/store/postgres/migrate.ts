/**
 * PostgreSQL's numbered migrations, applied in one transaction under an advisory lock, so seats
 * starting together on an empty database create the schema once. The version is kept in
 * `tessera_schema`; a database from a newer Tessera is refused, not touched.
 */
import type pg from 'pg'
import { DomainError } from '../../core/domain-error'
import { message } from '../../../shared/i18n/translate'
import { POSTGRES_MIGRATIONS } from './migrations'

/** Any fixed number: the advisory lock every seat takes to migrate. */
const MIGRATION_LOCK = 0x7e55e7a

export async function migratePostgres(pool: pg.Pool, migrations = POSTGRES_MIGRATIONS): Promise<number> {
  const latest = migrations.at(-1)?.version ?? 0
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
    await client.query('CREATE TABLE IF NOT EXISTS tessera_schema (one smallint PRIMARY KEY CHECK (one = 1), version integer NOT NULL)')
    const current = ((await client.query('SELECT version FROM tessera_schema')).rows[0] as { version: number } | undefined)?.version ?? 0
    if (current > latest) {
      throw new DomainError('DATABASE_TOO_NEW', message('staffRefusals.databaseTooNew', { current, latest }))
    }
    for (const m of migrations) {
      if (m.version <= current) continue
      await client.query(m.sql)
    }
    await client.query('INSERT INTO tessera_schema (one, version) VALUES (1, $1) ON CONFLICT (one) DO UPDATE SET version = excluded.version', [Math.max(current, latest)])
    await client.query('COMMIT')
    return Math.max(current, latest)
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}
