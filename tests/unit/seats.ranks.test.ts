/**
 * Rule: a deep page is exact whichever seat wrote. One seat lists the directory deep in every
 * plain sort while two other seats (child processes, each with its own connection) add, rename,
 * remove, lock and re-role users; after each round the pages equal a plain OFFSET query. On
 * PostgreSQL the seat's samples survive the other seats' few writes (their ranks corrected by the
 * server's log of moves: the page is read from a sample, not by offset); on SQLite another
 * process's write drops them (PRAGMA data_version) and they are built again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ImportReport } from '../../src/shared/admin-dto'
import { runChild } from '../helpers/children/spawn'
import { expectPagesExact, plainSorts } from '../helpers/deep-pages'
import { testEngine, type TestEngine } from '../helpers/engine'
import { firstAdmin, type Conn } from '../helpers/flows'
import { STORE_KINDS } from '../helpers/stores'

const STRIDE = 64
const csvOf = (n: number) =>
  'username,email,display_name,role\n' + Array.from({ length: n }, (_, i) => `usr${i},usr${i}@example.org,${['Anna', 'Bert', 'Carla', 'Dmitri'][i % 4]} Smith-${i},${i % 9 === 0 ? 'helpdesk' : 'user'}`).join('\n')

describe.each(STORE_KINDS)('deep pages on %s while other seats write', (kind) => {
  let t: TestEngine
  let admin: Conn
  beforeEach(async () => {
    t = await testEngine({ kind, rankStride: STRIDE })
    admin = await firstAdmin(t)
    expect((await admin.jobResult<ImportReport>('users:import', { csv: csvOf(700) })).ok).toBe(true)
  })
  afterEach(() => t.dispose())

  const target = () => JSON.stringify(t.database.url ? { databaseUrl: t.database.url } : { databaseFile: t.database.file })
  const offsets = [100, 277, 350, 480]

  it('stay exact, round after round', { timeout: 120_000 }, async () => {
    const { ranks } = t.engine.directory
    for (let round = 0; round < 4; round++) {
      // This seat's samples, built as the orders are listed.
      await expectPagesExact(t.engine.store, admin, offsets)
      await t.engine.background.idle()
      for (const sort of plainSorts(t.engine.store)) expect(await ranks.start(sort, 300), `${sort}: sampled`).not.toBeNull()
      // Two other seats write a few changes each while this one keeps listing.
      let writing = true
      const writers = Promise.all([1, 2].map((w) => runChild('directory-writer.ts', [target(), String(round * 10 + w), '8']))).finally(() => (writing = false))
      // (A pause between pages: on SQLite a page never leaves the microtask queue, so the children's exit would wait.)
      while (writing) {
        await admin.ok('users:list', { sort: 'displayName', offset: 300, limit: 40 })
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
      await writers
      if (kind === 'postgres') {
        // The samples taken before the other seats wrote still serve, corrected by their moves.
        for (const sort of plainSorts(t.engine.store)) {
          const start = await ranks.start(sort, 300)
          expect(start && start.rank + start.skip, `${sort}: corrected`).toBe(300)
        }
      }
      await expectPagesExact(t.engine.store, admin, offsets)
    }
  })
})
