/**
 * Where a deep page starts, without skipping half a million index entries: for each plain sort,
 * every STRIDE-th row's sort key, in order ("sample i is the row at rank i * STRIDE"). A page at
 * rank N starts from the sample below it and skips fewer than about STRIDE entries from there.
 *
 * Building a sample walks the whole index once (0.4-0.9 s at 1,000,000 users), so it is built in
 * the background, one short seek per turn of the event loop, from the first time its order is listed;
 * until it is ready a deep page is read by offset. Once built, writes do not throw it away:
 * temporary triggers (this connection's own, nothing stored) log each row that enters or leaves an
 * order (an insert, a delete, a changed key: the old key leaves and the new one enters), and the
 * rank of a sampled key is corrected by the moves below it, so a page stays exact. After STRIDE / 8
 * moves a fresh sample is built in the background; after STRIDE moves the old one is dropped. A
 * bulk import suspends the logging and drops every sample at the end, instead of paying a trigger
 * per inserted row; a write by another connection (the CLI) drops them too.
 *
 * SQLite's own: temporary triggers and tables on the engine's own connection, `PRAGMA
 * data_version`, row values compared with NOCASE (PostgreSQL's: ../../postgres/directory/ranks.ts).
 */
import type { Db } from '../../../db/open'
import type { Param } from '../../types'
import { RANKED_SORTS, type RankedSort, type Ranks, type RanksOptions } from '../../directory-queries'

/**
 * A sample is built one seek per turn of the event loop, each a quarter of the stride (1,024 index
 * entries, under a millisecond): a call arriving meanwhile waits for one seek at most.
 */
const SEEKS_PER_SAMPLE = 4

/**
 * The plain sorts with a sample: their key columns, and those compared without case. (A row value
 * uses the sort's index only with the collation on the parameters' side: `(display_name, id) >=
 * (? COLLATE NOCASE, ?)` seeks; `(display_name COLLATE NOCASE, id) >= (?, ?)` scans.)
 */
const KEYS: Record<RankedSort, readonly string[]> = {
  displayName: ['display_name*', 'id'],
  username: ['username', 'id'],
  email: ['email', 'id'],
  role: ['role', 'display_name*', 'id'],
  status: ['status', 'display_name*', 'id']
}

/** Key columns that `users` compares without case (declared NOCASE, or sorted with it). */
const NOCASE = new Set(['display_name', 'username', 'email'])

const columns = (sort: RankedSort) => KEYS[sort].map((k) => k.replace('*', ''))
const orderOf = (sort: RankedSort) => KEYS[sort].map((k) => (k.endsWith('*') ? `${k.slice(0, -1)} COLLATE NOCASE` : k)).join(', ')
/** `(a, b) OP (@k0, @k1)`, each parameter with the key's collation. */
const compare = (sort: RankedSort, op: '>' | '>=', param: (i: number) => string) =>
  `(${columns(sort).join(', ')}) ${op} (${KEYS[sort].map((k, i) => (k.endsWith('*') ? `${param(i)} COLLATE NOCASE` : param(i))).join(', ')})`
/** A logged move's key (k0, k1, ...) below @k0, @k1, ... in `sort`'s order. */
const movedBelow = (sort: RankedSort) =>
  `(${columns(sort).map((_, i) => `k${i}`).join(', ')}) < (${columns(sort).map((c, i) => (NOCASE.has(c) ? `@k${i} COLLATE NOCASE` : `@k${i}`)).join(', ')})`

/**
 * Which orders a write to `users` moves, and which rows it moves: an added row enters every order, a
 * removed one leaves it; a changed key leaves (OLD) and enters (NEW) the orders it is in. `status`
 * is a generated column: it moves when its inputs change it.
 */
const ALL: readonly RankedSort[] = RANKED_SORTS
const TRIGGERS: [string, string, readonly RankedSort[], ('OLD' | 'NEW')[]][] = [
  ['insert', 'AFTER INSERT ON main.users', ALL, ['NEW']],
  ['delete', 'AFTER DELETE ON main.users', ALL, ['OLD']],
  ['name', 'AFTER UPDATE OF display_name ON main.users WHEN OLD.display_name IS NOT NEW.display_name', ['displayName', 'role', 'status'], ['OLD', 'NEW']],
  ['username', 'AFTER UPDATE OF username ON main.users WHEN OLD.username IS NOT NEW.username', ['username'], ['OLD', 'NEW']],
  ['email', 'AFTER UPDATE OF email ON main.users WHEN OLD.email IS NOT NEW.email', ['email'], ['OLD', 'NEW']],
  ['role', 'AFTER UPDATE OF role ON main.users WHEN OLD.role IS NOT NEW.role', ['role'], ['OLD', 'NEW']],
  ['status', 'AFTER UPDATE OF disabled, locked_until, open_requests, method, must_enrol, postponements_used ON main.users WHEN OLD.status IS NOT NEW.status', ['status'], ['OLD', 'NEW']]
]

/** A trigger's body: count the write in each order, and log the rows it moves while a sample wants them. */
function triggerBody(sorts: readonly RankedSort[], rows: ('OLD' | 'NEW')[]): string {
  const log = (sort: RankedSort, row: 'OLD' | 'NEW') =>
    `INSERT INTO users_order_moves (sort, delta, k0, k1, k2) SELECT '${sort}', ${row === 'NEW' ? 1 : -1}, ${[0, 1, 2].map((i) => (columns(sort)[i] ? `${row}.${columns(sort)[i]}` : 'NULL')).join(', ')}
     FROM users_order_version WHERE sort = '${sort}' AND v <= logged_until;`
  return `UPDATE users_order_version SET v = v + 1 WHERE sort IN (${sorts.map((s) => `'${s}'`).join(', ')});
    ${sorts.flatMap((sort) => rows.map((row) => log(sort, row))).join('\n')}`
}

/** The samples, kept with statements run synchronously on the engine's own connection. */
export function sqliteRanks(db: Db, { stride, background }: RanksOptions): Ranks {
  /** Moves after which a fresh sample is built (the old one serves meanwhile), and after which it is dropped. */
  const REBUILD_AFTER = Math.max(1, stride >> 3)
  const DROP_AFTER = stride
  const samples = new Map<RankedSort, { version: number; keys: unknown[][] }>()
  const building = new Set<RankedSort>()
  /** Bulk writes under way without logging: no sample can be trusted or built meanwhile. */
  let suspensions = 0
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS users_order_version (sort TEXT PRIMARY KEY, v INTEGER NOT NULL, logged_until INTEGER NOT NULL) WITHOUT ROWID;
           CREATE TEMP TABLE IF NOT EXISTS users_order_moves (seq INTEGER PRIMARY KEY, sort TEXT NOT NULL, delta INTEGER NOT NULL, k0, k1, k2);
           CREATE INDEX IF NOT EXISTS temp.users_order_moves_by_sort ON users_order_moves (sort)`)
  for (const sort of ALL) db.prepare('INSERT OR IGNORE INTO users_order_version (sort, v, logged_until) VALUES (?, 0, -1)').run(sort)

  function log(): void {
    for (const [name, on, sorts, rows] of TRIGGERS) db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS users_order_${name} ${on} BEGIN ${triggerBody(sorts, rows)} END`)
  }
  log()

  const version = (sort: RankedSort) => (db.prepare('SELECT v FROM users_order_version WHERE sort = ?').get(sort) as { v: number }).v
  /** Changes when another connection (the CLI) commits: rows may have moved without our triggers. */
  const dataVersion = () => db.pragma('data_version', { simple: true }) as number
  let seenDataVersion = dataVersion()
  /** How many times others' writes were seen: a build of another sort may be the one that saw them. */
  let othersSeen = 0

  function keep(sort: RankedSort, sample: { version: number; keys: unknown[][] } | null): void {
    if (sample) samples.set(sort, sample)
    else samples.delete(sort)
    db.prepare('DELETE FROM users_order_moves WHERE sort = ?').run(sort)
    db.prepare('UPDATE users_order_version SET logged_until = ? WHERE sort = ?').run(sample ? sample.version + DROP_AFTER : -1, sort)
  }

  /** Drops every sample when another connection wrote since we last looked. */
  function othersWrote(): boolean {
    const now = dataVersion()
    if (now === seenDataVersion) return false
    seenDataVersion = now
    othersSeen += 1
    for (const sort of ALL) keep(sort, null)
    return true
  }

  /** The sample of `sort` as the index is now, one seek per turn; given up if rows move meanwhile. */
  async function build(sort: RankedSort): Promise<void> {
    if (!db.open || suspensions > 0) return // closed meanwhile: the CLI closes right after its answer
    othersWrote()
    const v = version(sort)
    const seen = othersSeen
    // othersWrote() is true once per write seen: a build of another sort may have seen it first.
    const stale = () => !db.open || suspensions > 0 || othersWrote() || othersSeen !== seen || version(sort) !== v
    const cols = columns(sort)
    const values = (row: unknown) => (row === undefined ? undefined : cols.map((c) => (row as Record<string, unknown>)[c]))
    const step = stride % SEEKS_PER_SAMPLE === 0 ? stride / SEEKS_PER_SAMPLE : stride
    const next = db.prepare(`SELECT ${cols.join(', ')} FROM users WHERE ${compare(sort, '>', () => '?')} ORDER BY ${orderOf(sort)} LIMIT 1 OFFSET ${step - 1}`)
    const keys: unknown[][] = []
    let key = values(db.prepare(`SELECT ${cols.join(', ')} FROM users ORDER BY ${orderOf(sort)} LIMIT 1`).get())
    for (let seeks = 0; key; seeks++, key = values(next.get(...key))) {
      if ((seeks * step) % stride === 0) keys.push(key)
      await new Promise((resolve) => setImmediate(resolve))
      if (stale()) return
    }
    keep(sort, { version: v, keys })
  }

  function buildSoon(sort: RankedSort): void {
    if (building.has(sort) || suspensions > 0) return
    building.add(sort)
    background.run(`ranks of ${sort}`, () => build(sort).finally(() => building.delete(sort)))
  }

  /** The rank of the first row at or after `key`: its sampled rank, moved by the rows logged below it. */
  function rankOf(sort: RankedSort, i: number, key: unknown[]): number {
    const below = Object.fromEntries(key.map((k, j) => [`k${j}`, k]))
    const moved = db.prepare(`SELECT coalesce(sum(delta), 0) AS d FROM users_order_moves WHERE sort = @sort AND ${movedBelow(sort)}`).get({ sort, ...below }) as { d: number }
    return i * stride + moved.d
  }

  /**
   * The nearest sampled row at or before ascending `rank`: its key and rank. Null while the sort
   * has no usable sample (one is then built in the background).
   */
  function sampleAt(sort: RankedSort, rank: number): { key: unknown[]; rank: number } | null {
    if (suspensions > 0) return null
    othersWrote()
    const s = samples.get(sort)
    const moves = s ? version(sort) - s.version : 0
    if (!s || moves > DROP_AFTER) {
      if (s) keep(sort, null)
      buildSoon(sort)
      return null
    }
    if (moves > REBUILD_AFTER) buildSoon(sort)
    for (let i = Math.min(Math.floor(rank / stride), s.keys.length - 1); i >= 0; i--) {
      const at = moves === 0 ? i * stride : rankOf(sort, i, s.keys[i]!)
      if (at <= rank) return { key: s.keys[i]!, rank: at }
    }
    return null
  }

  return {
    stride,

    prepare(sort: RankedSort): void {
      if (suspensions > 0) return
      othersWrote()
      if (!samples.has(sort)) buildSoon(sort)
    },

    async start(sort: RankedSort, rank: number) {
      const sample = sampleAt(sort, rank)
      return sample && { from: { sql: compare(sort, '>=', () => '?'), params: sample.key as Param[] }, rank: sample.rank, skip: rank - sample.rank }
    },

    suspended<T>(work: () => Promise<T>): Promise<T> {
      if (suspensions++ === 0) for (const [name] of TRIGGERS) db.exec(`DROP TRIGGER IF EXISTS temp.users_order_${name}`)
      return work().finally(() => {
        if (!db.open) return
        for (const sort of ALL) keep(sort, null)
        if (--suspensions === 0) log()
      })
    }
  }
}
