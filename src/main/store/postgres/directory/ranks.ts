/**
 * Sampled ranks on PostgreSQL (the interface: ../../directory-queries.ts): each seat keeps, for each
 * plain sort, every `stride`-th row's key, read under one snapshot (a REPEATABLE READ transaction,
 * a seek at a time, in the background, from the first time the order is listed). Other seats go
 * on writing, so a sampled rank is corrected when it is used: the server logs every row that
 * enters or leaves an order (`users_order_moves`, PostgreSQL migration 6, with the transaction that
 * moved it), and the moves of the transactions the sample's snapshot did not see, below the sampled key, are added to its
 * rank. So a deep page is exact whichever seat wrote, without one hot row every writer updates.
 *
 * After stride / 8 moves (or 10 minutes) a fresh sample is built while the old one serves; after
 * stride moves, or a statement that moved many rows at once (an import's slice: `'*'`), it is
 * dropped and a deep page is read by offset until the next one is ready.
 */
import { DomainError } from '../../../core/domain-error'
import type { RankedSort, Ranks, RanksOptions } from '../../directory-queries'
import type { Param, Store } from '../../types'

/**
 * Per sort: the index's key (for ORDER BY and row comparisons), a sampled key as parameters of the
 * index's own types, the key as sampled (and as compared with a move), and the move's columns.
 */
const KEYS: Record<RankedSort, { key: string; params: string; read: string[]; moved: string }> = {
  displayName: { key: '(lower(display_name), id)', params: '(?, ?)', read: ['lower(display_name)', 'id'], moved: '(t1, id)' },
  username: { key: '(username, id)', params: '(CAST(? AS citext), ?)', read: ['lower(username::text)', 'id'], moved: '(t1, id)' },
  email: { key: '(email, id)', params: '(CAST(? AS citext), ?)', read: ['lower(email::text)', 'id'], moved: '(t1, id)' },
  role: { key: '(role, lower(display_name), id)', params: '(?, ?, ?)', read: ['role', 'lower(display_name)', 'id'], moved: '(t1, t2, id)' },
  status: { key: '(status, lower(display_name), id)', params: '(?, ?, ?)', read: ['status', 'lower(display_name)', 'id'], moved: '(n, t2, id)' }
}
const orderOf = (sort: RankedSort) => KEYS[sort].key.slice(1, -1)

type Sample = { snapshot: string; xmin: string; keys: Param[][]; builtAt: number }

/** A fresh sample is built after this long (the old one serves meanwhile), and the old one is not used past the second. */
const REBUILD_AGE_MS = 10 * 60_000
const MAX_AGE_MS = 40 * 60_000
/** Moves older than this are deleted (no sample in use is older than MAX_AGE_MS). */
const MOVES_KEPT = '1 hour'
const PRUNE_EVERY_MS = 10 * 60_000
/** After a bulk write dropped a sample, the next is built no sooner than this (an import writes for minutes). */
const AFTER_BULK_MS = 5_000

/** Between two seeks of a sample being built. */
const SEEK_PAUSE_MS = 2

/** What the moves since a sample's snapshot say about two of its keys. */
type Moved = { n: number; bulk: boolean | null; a: number; b: number }

export function postgresRanks(store: Store, { stride, background }: RanksOptions): Ranks {
  const REBUILD_AFTER = Math.max(1, stride >> 3)
  const DROP_AFTER = stride
  const samples = new Map<RankedSort, Sample>()
  const building = new Set<RankedSort>()
  const notBefore = new Map<RankedSort, number>()
  let suspensions = 0
  let prunedAt = performance.now()

  /**
   * The sample as of one snapshot, a seek at a time (each skips `stride` index entries: about a
   * millisecond at 4,096), with a pause between seeks, so that pages at this and other seats are
   * not held up behind one long scan of the index (a single windowed scan took 0.3-0.6 s at once).
   */
  async function build(sort: RankedSort): Promise<void> {
    const k = KEYS[sort]
    const builtAt = performance.now()
    const cols = k.read.map((c, i) => `${c} AS k${i}`).join(', ')
    const values = (r: Record<string, Param> | undefined) => r && k.read.map((_, i) => r[`k${i}`]!)
    const sample = await store.snapshot(async () => {
      const snap = (await store.get<{ s: string; xmin: string }>('SELECT CAST(pg_current_snapshot() AS text) AS s, CAST(pg_snapshot_xmin(pg_current_snapshot()) AS text) AS xmin'))!
      const keys: Param[][] = []
      let key = values(await store.get(`SELECT ${cols} FROM users ORDER BY ${orderOf(sort)} LIMIT 1`))
      while (key && suspensions === 0) {
        keys.push(key)
        await new Promise((resolve) => setTimeout(resolve, SEEK_PAUSE_MS))
        key = values(await store.get(`SELECT ${cols} FROM users WHERE ${k.key} > ${k.params} ORDER BY ${orderOf(sort)} LIMIT 1 OFFSET ?`, [...key, stride - 1]))
      }
      return { snapshot: snap.s, xmin: snap.xmin, keys, builtAt }
    })
    if (suspensions === 0) samples.set(sort, sample)
  }

  function buildSoon(sort: RankedSort): void {
    if (building.has(sort) || suspensions > 0 || performance.now() < (notBefore.get(sort) ?? 0)) return
    building.add(sort)
    background.run(`ranks of ${sort}`, () =>
      build(sort)
        .catch((error: unknown) => {
          if (!(error instanceof DomainError)) throw error // the server away: the next listing tries again
        })
        .finally(() => building.delete(sort))
    )
    if (performance.now() - prunedAt > PRUNE_EVERY_MS) {
      prunedAt = performance.now()
      background.run('old order moves', () => store.run(`DELETE FROM users_order_moves WHERE at < now() - interval '${MOVES_KEPT}'`).catch(() => undefined))
    }
  }

  /** The moves since `s` was taken, and the sum of those below keys `a` and `b` of it. */
  function movedSince(sort: RankedSort, s: Sample, a: Param[], b: Param[]): Promise<Moved | undefined> {
    const below = (key: Param[]) => `${KEYS[sort].moved} < (${key.map(() => '?').join(', ')})`
    return store.get<Moved>(
      `SELECT count(*) AS n, bool_or(sort = '*') AS bulk,
              coalesce(sum(delta) FILTER (WHERE ${below(a)}), 0) AS a, coalesce(sum(delta) FILTER (WHERE ${below(b)}), 0) AS b
         FROM users_order_moves
        WHERE sort IN (?, '*') AND xid >= CAST(? AS xid8) AND NOT pg_visible_in_snapshot(xid, CAST(? AS pg_snapshot))`,
      [...a, ...b, sort, s.xmin, s.snapshot]
    )
  }

  function drop(sort: RankedSort, wait = 0): null {
    samples.delete(sort)
    if (wait) notBefore.set(sort, performance.now() + wait)
    buildSoon(sort)
    return null
  }

  return {
    stride,

    prepare(sort: RankedSort): void {
      if (!samples.has(sort)) buildSoon(sort)
    },

    async start(sort: RankedSort, rank: number) {
      const s = suspensions === 0 ? samples.get(sort) : undefined
      if (!s) return suspensions === 0 ? drop(sort) : null
      const age = performance.now() - s.builtAt
      if (age > MAX_AGE_MS) return drop(sort)
      // The sample at or below the rank, and the one before it in case rows entered the order below it.
      const i = Math.min(Math.floor(rank / stride), s.keys.length - 1)
      const candidates = [i, Math.max(0, i - 1)]
      const moved = await movedSince(sort, s, s.keys[candidates[0]!]!, s.keys[candidates[1]!]!)
      if (!moved || moved.bulk || moved.n > DROP_AFTER) return drop(sort, moved?.bulk ? AFTER_BULK_MS : 0)
      if (moved.n > REBUILD_AFTER || age > REBUILD_AGE_MS) buildSoon(sort)
      for (const [j, d] of [[candidates[0]!, moved.a], [candidates[1]!, moved.b]] as const) {
        const at = j * stride + d
        if (at <= rank) return { from: { sql: `${KEYS[sort].key} >= ${KEYS[sort].params}`, params: s.keys[j]! }, rank: at, skip: rank - at }
      }
      return null
    },

    async suspended<T>(work: () => Promise<T>): Promise<T> {
      suspensions += 1
      try {
        return await work()
      } finally {
        suspensions -= 1
        samples.clear()
      }
    }
  }
}
