/**
 * Both stores for a test: a real SQLite file in a fresh directory, and a fresh database on the
 * run's real PostgreSQL server. `describe.each(STORE_KINDS)` runs a file's cases on each.
 */
import { join } from 'node:path'
import { inject } from 'vitest'
import { openStore, type Store, type StoreKind } from '../../src/main/store'
import { tempDir } from './engine'
import { freshDatabase } from './postgres'

export const STORE_KINDS: readonly StoreKind[] = ['sqlite', 'postgres']

export type TestStore = { store: Store; target: { databaseFile: string } | { databaseUrl: string }; dispose(): Promise<void> }

/** Where a store of this kind lives, before any store is opened on it. */
export async function storeTarget(kind: StoreKind): Promise<{ target: TestStore['target']; remove(): Promise<void> }> {
  if (kind === 'sqlite') {
    const tmp = tempDir()
    return { target: { databaseFile: join(tmp.dir, 'tessera.db') }, remove: async () => tmp.remove() }
  }
  const db = await freshDatabase(inject('postgresUrl'))
  return { target: { databaseUrl: db.url }, remove: () => db.drop() }
}

export async function testStore(kind: StoreKind): Promise<TestStore> {
  const { target, remove } = await storeTarget(kind)
  const store = await openStore(target)
  return {
    store,
    target,
    async dispose() {
      await store.close()
      await remove()
    }
  }
}
