/**
 * Rule: a long job killed with SIGKILL (a power cut, an out-of-memory kill, "End task") at any
 * moment leaves nothing half done once the next start has run: an import's users are all there or
 * none, a bulk action reports exactly the accounts it had done, a copy to PostgreSQL left all of
 * itself or nothing; the database stays sound, the audit chain verifies, and the same input is
 * accepted again. A few kill points each here, on both stores; `npx tsx bench/kill-jobs.ts` runs
 * many (README, "Jobs that survive a crash").
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { STORE_KINDS } from '../helpers/stores'
import { bulkKillPoint, cli, copyKillPoint, countOf, importKillPoint, organisation, runKilled, storeOf, usersFile, type Organisation, type PointResult } from '../helpers/kill-jobs'
import type { Store } from '../../src/main/store'

// Both stores in one pass: the PostgreSQL pass of `npm test` would only run the same again.
const once = describe.skipIf(process.env['TESSERA_TEST_STORE'] === 'postgres')

const expectSound = (results: PointResult[]) => expect(results.map((r) => r.problems)).toEqual(results.map(() => []))

once.each(STORE_KINDS)('a job killed with SIGKILL on %s', { timeout: 180_000 }, (kind) => {
  let org: Organisation
  let watcher: Store
  beforeAll(async () => {
    org = await organisation(kind, inject('postgresUrl'))
    watcher = await storeOf(org)
  })
  afterAll(async () => {
    await watcher?.close()
    await org?.remove()
  })

  it('an import: all or nothing at the next start, and the same file imports again', async () => {
    const n = 6_000
    const reached = (prefix: string, share: number) => async (store: Store) => (await countOf(store, 'SELECT count(*) AS n FROM users WHERE username LIKE ?', [`${prefix}%`])) >= n * share
    const results = [
      await importKillPoint(org, 'ia', n, 300 + Math.round(Math.random() * 900)),
      await importKillPoint(org, 'ib', n, reached('ib', 0.2), watcher),
      await importKillPoint(org, 'ic', n, reached('ic', 0.5), watcher)
    ]
    expectSound(results)
    // The points in the middle interrupted an import that had created users, which the start removed.
    expect(results.slice(1).map((r) => [r.killed, r.settled, r.undone > 0])).toEqual([[true, 'rolled-back', true], [true, 'rolled-back', true]])
    expect(results[1]!.notice).toMatch(/^The import of ib\.csv started at the command line on .* was interrupted: the [\d,]+ users it had created were removed again/)
  })

  it('a bulk action: the next start reports exactly the accounts it had done', async () => {
    const n = 300
    expect((await cli(org, ['user', 'import', usersFile(org, 'bk', n)])).code).toBe(0)
    const linked = (share: number) => async (store: Store, since: number) =>
      (await countOf(store, "SELECT count(*) AS n FROM enrolment_tokens t JOIN users u ON u.id = t.user_id WHERE u.username LIKE 'bk%' AND t.created_at >= ?", [since])) >= n * share
    const results = [await bulkKillPoint(org, 'bk', n, linked(0.2), watcher), await bulkKillPoint(org, 'bk', n, linked(0.6), watcher), await bulkKillPoint(org, 'bk', n, 400 + Math.round(Math.random() * 1_500))]
    expectSound(results)
    expect(results.slice(0, 2).map((r) => [r.killed, r.settled, r.undone > 0 && r.undone < n])).toEqual([[true, 'interrupted', true], [true, 'interrupted', true]])
    expect(results[0]!.notice).toMatch(/^The bulk registration-link sending started by ada at kill-test on .* was interrupted\. It was done for [\d,]+ of 300 accounts: bk\d{5}/)
  })
})

once('a copy to PostgreSQL killed with SIGKILL', { timeout: 180_000 }, () => {
  it('leaves the new database with all of it or nothing, and the copy again succeeds', async () => {
    const org = await organisation('sqlite', null)
    try {
      expect((await cli(org, ['user', 'import', usersFile(org, 'cp', 5_000)])).code).toBe(0)
      // How long a whole copy takes here, to kill the others somewhere inside it.
      const whole = await copyKillPoint(org, inject('postgresUrl'), 60_000)
      expect(whole).toMatchObject({ killed: false, settled: 'all copied', problems: [] })
      const results: PointResult[] = []
      for (const share of [0.55, 0.75, 0.9]) results.push(await copyKillPoint(org, inject('postgresUrl'), Math.round(whole.ms * share)))
      expectSound(results)
      expect(results.some((r) => r.killed)).toBe(true)
    } finally {
      await org.remove()
    }
  })
})

// The kill helpers' own check: a child left alone finishes, and is not counted as killed.
once('the kill helper', () => {
  it('tells a finished child from a killed one', async () => {
    const org = await organisation('sqlite', null)
    try {
      expect(await runKilled(org, { cli: ['job', 'list'] }, 30_000)).toMatchObject({ killed: false, code: 0 })
      expect(await runKilled(org, { cli: ['job', 'list'] }, 1)).toMatchObject({ killed: true })
    } finally {
      await org.remove()
    }
  })
})
