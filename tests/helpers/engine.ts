import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngine, type EngineOptions, type Engine } from '../../src/main/core/engine'
import type { StoreKind } from '../../src/main/store'
import { inject } from 'vitest'
import { freshDatabase } from './postgres'

export { TEST_SCRYPT, testClock, type TestClock } from './basics'
import { TEST_SCRYPT, testClock, type TestClock } from './basics'

export function tempDir(prefix = 'tessera-test-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

export type TestEngine = {
  engine: Engine
  clock: TestClock
  dir: string
  /** Where the database is: the SQLite file, or the PostgreSQL database's URL. */
  database: { file: string; url: string | null }
  dispose(): Promise<void>
}

/**
 * A real engine in a fresh data directory, on a real SQLite file or (`kind: 'postgres'`) on a
 * fresh database of the run's real PostgreSQL server (`options`: e.g. a small rank stride).
 */
export async function testEngine(options: Pick<EngineOptions, 'rankStride'> & { kind?: StoreKind } = {}): Promise<TestEngine> {
  // TESSERA_TEST_STORE=postgres runs every engine test on PostgreSQL (npm test runs the suite on both).
  const { kind = (process.env['TESSERA_TEST_STORE'] as StoreKind | undefined) ?? 'sqlite', ...rest } = options
  const tmp = tempDir()
  const clock = testClock()
  const pg = kind === 'postgres' ? await freshDatabase(inject('postgresUrl')) : null
  const file = join(tmp.dir, 'tessera.db')
  const engine = await createEngine({ databaseFile: file, database: pg ? { url: pg.url } : undefined, dataDir: tmp.dir, clock, passwordParams: TEST_SCRYPT, ...rest })
  return {
    engine,
    clock,
    dir: tmp.dir,
    database: { file, url: pg?.url ?? null },
    /** Lets work started after an answer (e-mails) finish, then closes and removes everything. */
    async dispose() {
      await engine.background.idle()
      await engine.close()
      await pg?.drop()
      tmp.remove()
    }
  }
}
