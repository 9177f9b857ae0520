/**
 * Playwright's global setup: one real PostgreSQL server for the browser tests that run several
 * seats on one database (each test makes a fresh database on it), stopped at the end.
 */
import { startPostgres, stopAndRemove } from '../helpers/postgres'

export default async function setup(): Promise<() => void> {
  if (process.env.TESSERA_TEST_DATABASE_URL) return () => {}
  const server = await startPostgres()
  process.env.TESSERA_TEST_DATABASE_URL = server.url // inherited by the workers
  return () => stopAndRemove(server)
}
