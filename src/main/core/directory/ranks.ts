/**
 * Where a deep page starts, without skipping half a million index entries: for each plain sort,
 * every STRIDE-th row's sort key, in order ("sample i is the row at rank i * STRIDE"). A page at
 * rank N starts from sample floor(N / STRIDE) and skips fewer than STRIDE entries from there.
 *
 * A sample is right only while no row is added, removed or moved in that order. Temporary triggers
 * (this connection's own, nothing stored) count the writes that move rows in each order; a sample
 * built at another count is not used. Building one walks the whole index once (0.4-0.9 s at
 * 1,000,000 users), so it is built in the background, a few seeks per turn of the event loop, and
 * until it is ready a deep page is read by offset as before. A bulk import suspends the counting
 * and bumps every count at the end, instead of paying a trigger per inserted row.
 */
import type { Background } from '../background'
import type { Db } from '../../db/open'

/** Seeks per turn of the event loop while a sample is built (each skips `stride` index entries). */
const SEEKS_PER_TURN = 2

/**
 * The plain sorts with a sample: their key columns, and those compared without case. (A row value
 * uses the sort's index only with the collation on the parameters' side: `(display_name, id) >=
 * (? COLLATE NOCASE, ?)` seeks; `(display_name COLLATE NOCASE, id) >= (?, ?)` scans.)
 */
const KEYS = {
  displayName: ['display_name*', 'id'],
  username: ['username', 'id'],
  email: ['email', 'id'],
  role: ['role', 'display_name*', 'id'],
  status: ['status', 'display_name*', 'id']
} as const
export type RankedSort = keyof typeof KEYS

const columns = (sort: RankedSort) => KEYS[sort].map((k) => k.replace('*', ''))
const orderOf = (sort: RankedSort) => KEYS[sort].map((k) => (k.endsWith('*') ? `${k.slice(0, -1)} COLLATE NOCASE` : k)).join(', ')
/** `(a, b) OP (@k0, @k1)`, each parameter with the key's collation. */
const compare = (sort: RankedSort, op: '>' | '>=', param: (i: number) => string) =>
  `(${columns(sort).join(', ')}) ${op} (${KEYS[sort].map((k, i) => (k.endsWith('*') ? `${param(i)} COLLATE NOCASE` : param(i))).join(', ')})`

/**
 * Which counts a write to `users` moves: an added or removed row moves every order; a changed key
 * moves the orders it is in. `status` is a generated column: it moves when its inputs change it.
 */
const TRIGGERS: [string, string, RankedSort[]][] = [
  ['insert', 'AFTER INSERT ON main.users', ['displayName', 'username', 'email', 'role', 'status']],
  ['delete', 'AFTER DELETE ON main.users', ['displayName', 'username', 'email', 'role', 'status']],
  ['name', 'AFTER UPDATE OF display_name ON main.users WHEN OLD.display_name IS NOT NEW.display_name', ['displayName', 'role', 'status']],
  ['username', 'AFTER UPDATE OF username ON main.users WHEN OLD.username IS NOT NEW.username', ['username']],
  ['email', 'AFTER UPDATE OF email ON main.users WHEN OLD.email IS NOT NEW.email', ['email']],
  ['role', 'AFTER UPDATE OF role ON main.users WHEN OLD.role IS NOT NEW.role', ['role']],
  ['status', 'AFTER UPDATE OF disabled, locked_until, open_requests, method, must_enrol, postponements_used ON main.users WHEN OLD.status IS NOT NEW.status', ['status']]
]

export const isRanked = (sort: string): sort is RankedSort => Object.hasOwn(KEYS, sort)

export function createRanks(db: Db, stride: number, background: Background) {
  const samples = new Map<RankedSort, { version: number; keys: unknown[][] }>()
  const building = new Set<RankedSort>()
  /** Bulk writes under way without counting: no sample can be trusted or built meanwhile. */
  let suspensions = 0
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS users_order_version (sort TEXT PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID`)
  for (const sort of Object.keys(KEYS)) db.prepare('INSERT OR IGNORE INTO users_order_version (sort, v) VALUES (?, 0)').run(sort)

  function count(): void {
    for (const [name, on, sorts] of TRIGGERS) {
      const list = sorts.map((s) => `'${s}'`).join(', ')
      db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS users_order_${name} ${on} BEGIN UPDATE users_order_version SET v = v + 1 WHERE sort IN (${list}); END`)
    }
  }
  count()

  const version = (sort: RankedSort) => (db.prepare('SELECT v FROM users_order_version WHERE sort = ?').get(sort) as { v: number }).v

  /** The sample of `sort` as the index is now, a few seeks per turn; dropped if rows move meanwhile. */
  async function build(sort: RankedSort): Promise<void> {
    if (!db.open || suspensions > 0) return // closed meanwhile (the CLI closes right after its answer)
    const v = version(sort)
    const cols = columns(sort)
    const values = (row: unknown) => (row === undefined ? undefined : cols.map((c) => (row as Record<string, unknown>)[c]))
    const next = db.prepare(`SELECT ${cols.join(', ')} FROM users WHERE ${compare(sort, '>', () => '?')} ORDER BY ${orderOf(sort)} LIMIT 1 OFFSET ${stride - 1}`)
    const keys: unknown[][] = []
    for (let key = values(db.prepare(`SELECT ${cols.join(', ')} FROM users ORDER BY ${orderOf(sort)} LIMIT 1`).get()); key; key = values(next.get(...key))) {
      keys.push(key)
      if (keys.length % SEEKS_PER_TURN === 0) {
        await new Promise((resolve) => setImmediate(resolve))
        if (!db.open || suspensions > 0 || version(sort) !== v) return
      }
    }
    samples.set(sort, { version: v, keys })
  }

  function buildSoon(sort: RankedSort): void {
    if (building.has(sort)) return
    building.add(sort)
    background.run(`ranks of ${sort}`, () => build(sort).finally(() => building.delete(sort)))
  }

  return {
    stride,

    /**
     * The nearest sampled row at or before ascending `rank`: its key and rank. Null while the sort
     * has no sample as the rows now stand (one is then built in the background).
     */
    sampleAt(sort: RankedSort, rank: number): { key: unknown[]; rank: number } | null {
      if (suspensions > 0) return null
      const s = samples.get(sort)
      if (!s || s.version !== version(sort)) {
        buildSoon(sort)
        return null
      }
      const i = Math.min(Math.floor(rank / stride), s.keys.length - 1)
      return i < 0 ? null : { key: s.keys[i]!, rank: i * stride }
    },

    /** The comparison that starts a page at a sample's key (inclusive), for `WHERE`. */
    from: (sort: RankedSort) => compare(sort, '>=', (i) => `@k${i}`),

    /** Around a bulk write: no trigger per row meanwhile; every order counts as moved after. */
    suspended<T>(work: () => Promise<T>): Promise<T> {
      if (suspensions++ === 0) for (const [name] of TRIGGERS) db.exec(`DROP TRIGGER IF EXISTS temp.users_order_${name}`)
      return work().finally(() => {
        db.exec('UPDATE users_order_version SET v = v + 1')
        if (--suspensions === 0) count()
      })
    }
  }
}

export type Ranks = ReturnType<typeof createRanks>
