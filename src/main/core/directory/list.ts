/**
 * The directory list at any size: every filter and sort is an index range (see migration 005), the
 * counts are maintained rather than scanned, and a page deep in the list is read from whichever end
 * of the index is nearer, so the last page costs what the first does and the middle one a few ms.
 */
import type { StatusCounts, UserListRow, UserPage, UserStatus } from '../../../shared/admin-dto'
import { USER_STATUSES } from '../../../shared/admin-dto'
import type { Role } from '../../../shared/dto'
import type { Method } from '../../../shared/policy'
import type { Clock } from '../clock'
import { DomainError } from '../domain-error'
import type { Db } from '../../db/open'
import type { Store } from '../../store'
import type { Param } from '../../store/types'
import type { UserRow } from '../../db/queries/users'
import { isRanked, type RankedSort, type Ranks } from './ranks'

export type ListQuery = {
  search: string
  status: 'all' | UserStatus
  role: 'all' | Role
  sort: 'displayName' | 'username' | 'email' | 'role' | 'status' | 'lastLogin'
  descending: boolean
  offset: number
  limit: number
}

/** `users.status` holds the index of the status in USER_STATUSES (most urgent first). */
const statusCode = (s: UserStatus) => USER_STATUSES.indexOf(s)

/** A search matching more users than this lists only this many, in order, and says so. */
export const SEARCH_CAP = 2_000

export type Stored = UserRow & { method: Method | null; locked_until: number | null; open_requests: number; status: number; codes_left: number }

/**
 * ORDER BY keys per sort, each the key of an index (alone, and after `status` or `role`); `*`: a
 * name compared without case, `?`: may be null (first in ascending order, where SQLite sorts it).
 */
const ORDER: Record<ListQuery['sort'], string[]> = {
  displayName: ['display_name*'],
  username: ['username'],
  email: ['email'],
  role: ['role', 'display_name*'],
  status: ['status', 'display_name*'],
  lastLogin: ['last_login_at?']
}

/**
 * One ORDER BY term. SQLite-only (moves into src/main/store/sqlite): SQLite's indexes hold
 * `display_name COLLATE NOCASE`, PostgreSQL's `lower(display_name)`; PostgreSQL sorts NULL last
 * unless told (username and e-mail sort without case in both schemas).
 */
function term(sqlite: boolean, key: string, table: string, descending: boolean): string {
  const dir = descending ? 'DESC' : 'ASC'
  const col = `${table}${key.replace(/[*?]$/, '')}`
  if (key.endsWith('*')) return sqlite ? `${col} COLLATE NOCASE ${dir}` : `lower(${col}) ${dir}`
  if (key.endsWith('?') && !sqlite) return `${col} ${dir} NULLS ${descending ? 'LAST' : 'FIRST'}`
  return `${col} ${dir}`
}

function orderBy(sqlite: boolean, sort: ListQuery['sort'], descending: boolean, table = ''): string {
  return [...ORDER[sort], 'id'].map((k) => term(sqlite, k, table, descending)).join(', ')
}

/** A condition of a WHERE clause and the values of its `?`s, in order. */
type Cond = { sql: string; params: Param[] }
const whereOf = (where: Cond[]) => (where.length ? 'WHERE ' + where.map((w) => w.sql).join(' AND ') : '')
const andOf = (where: Cond[]) => where.map((w) => ` AND ${w.sql}`).join('')
const paramsOf = (where: Cond[]) => where.flatMap((w) => w.params)

/** The stored row (`users u`) with what a list row shows beside it. */
const ROW_COLUMNS = 'u.*, (SELECT count(*) FROM recovery_codes rc WHERE rc.user_id = u.id AND rc.used_at IS NULL) AS codes_left'
export const ROW_SQL = `SELECT ${ROW_COLUMNS} FROM users u`

export function toRow(r: Stored): UserListRow {
  return {
    id: r.id,
    username: r.username,
    email: r.email,
    displayName: r.display_name,
    role: r.role,
    disabled: !!r.disabled,
    status: USER_STATUSES[r.status]!,
    method: r.method,
    postponementsUsed: r.postponements_used,
    mustEnrol: !!r.must_enrol,
    lockedUntil: r.locked_until,
    resetRequested: r.open_requests > 0,
    recoveryCodesLeft: r.method ? r.codes_left : 0,
    lastLoginAt: r.last_login_at
  }
}

/** LIKE pattern for a literal substring (or prefix). */
const likeOf = (text: string, prefix: boolean) => `${prefix ? '' : '%'}${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/** The distinct trigrams of a term (by code point), each quoted for an FTS5 query. */
function trigramsOf(term: string): string {
  const chars = [...term.toLowerCase()]
  const grams = new Set(chars.slice(2).map((_, i) => chars.slice(i, i + 3).join('')))
  return [...grams].map((g) => `"${g.replace(/"/g, '""')}"`).join(' AND ')
}

/**
 * What PostgreSQL's search matches first: exactly the expression its pg_trgm index `users_search`
 * is built on, so that `LIKE '%text%'` on it is answered from that index.
 */
const TRIGRAM_TEXT = "(lower(username::text) || ' ' || lower(display_name) || ' ' || lower(email::text))"

/**
 * The search: up to SEARCH_CAP + 1 matching ids that also meet `where` (`candidates`), and the same
 * test as a condition on a row (`predicate`), for walking a sort index. A term of 3 characters or
 * more matches anywhere in the name, username or e-mail, a shorter one at their start.
 *
 * SQLite-only (moves into src/main/store/sqlite): the FTS5 trigram index for 3 characters or more,
 * a prefix range on the indexed columns for 1-2. The index keeps no positions (migration 007), so
 * it gives the rows holding every trigram of the term, in id order, and each is checked against
 * the row itself until enough are found. Without SQLite (PostgreSQL) the same LIKE tests on the
 * lower-cased columns, a longer term found through the trigram index's expression first.
 */
function searchOf(term: string, sqlite: boolean): { candidates(where: Cond[]): Cond; predicate: Cond } {
  const short = [...term].length < 3
  const cap = `LIMIT ${SEARCH_CAP + 1}`
  if (!sqlite) {
    const like = likeOf(term.toLowerCase(), short)
    const predicate = { sql: `(lower(display_name) LIKE ? ESCAPE '\\' OR lower(username::text) LIKE ? ESCAPE '\\' OR lower(email::text) LIKE ? ESCAPE '\\')`, params: [like, like, like] }
    const first: Cond[] = short ? [] : [{ sql: `${TRIGRAM_TEXT} LIKE ? ESCAPE '\\'`, params: [like] }]
    return { candidates: (where) => ({ sql: `SELECT id FROM users ${whereOf([...first, predicate, ...where])} ${cap}`, params: paramsOf([...first, predicate, ...where]) }), predicate }
  }
  const like = likeOf(term, short)
  const matches = (t: string) => `(${t}display_name LIKE ? ESCAPE '\\' OR ${t}username LIKE ? ESCAPE '\\' OR ${t}email LIKE ? ESCAPE '\\')`
  const predicate = { sql: matches(''), params: [like, like, like] }
  if (!short) {
    return {
      candidates: (where) => ({
        sql: `SELECT users.id FROM users_fts JOIN users ON users.id = users_fts.rowid
                   WHERE users_fts MATCH ? AND ${matches('users.')}${andOf(where)} ${cap}`,
        params: [trigramsOf(term), like, like, like, ...paramsOf(where)]
      }),
      predicate
    }
  }
  // Each range stops at SEARCH_CAP + 1: a common prefix ("ad") must not gather 100,000 ids to dedupe.
  const range = (col: string, where: Cond[]) => `SELECT * FROM (SELECT id FROM users WHERE ${col} >= ? AND ${col} < ?${andOf(where)} ${cap})`
  const bounds = (where: Cond[]) => [term.toLowerCase(), `${term.toLowerCase()}\u{10FFFF}`, ...paramsOf(where)]
  return {
    candidates: (where) => ({
      sql: `SELECT id FROM (${range('display_name COLLATE NOCASE', where)} UNION ${range('username', where)} UNION ${range('email', where)}) ${cap}`,
      params: [...bounds(where), ...bounds(where), ...bounds(where)]
    }),
    predicate
  }
}

/**
 * `id IN` the ids found. SQLite-only (moves into src/main/store/sqlite): one JSON parameter, so
 * that the statement's text (and its prepared statement) is the same for any number of ids.
 */
function idIn(sqlite: boolean, ids: number[]): Cond {
  if (sqlite) return { sql: 'id IN (SELECT value FROM json_each(?))', params: [JSON.stringify(ids)] }
  return ids.length ? { sql: `id IN (${ids.map(() => '?').join(', ')})`, params: ids } : { sql: '1 = 0', params: [] }
}

/** A filtered search over more than SEARCH_CAP matches walks the filter's index when it holds at most this many rows. */
const WALK_LIMIT = 20_000

/** The status and role filters. */
function filterOf(status: ListQuery['status'], role: ListQuery['role']): Cond[] {
  const where: Cond[] = []
  if (status !== 'all') where.push({ sql: 'status = ?', params: [statusCode(status)] })
  if (role !== 'all') where.push({ sql: 'role = ?', params: [role] })
  return where
}

/**
 * The list, through the store. Given the SQLite connection (`sqlite`; null on PostgreSQL), it
 * asks in SQLite's own terms where the speed needs them (see `term`, `searchOf`, `idIn`); those
 * statements run through the store like every other.
 */
export function createUserList(deps: { store: Store; sqlite: Db | null; clock: Clock; ranks: Ranks }) {
  const { store, clock, ranks } = deps
  const sqlite = deps.sqlite !== null
  // SQLite-only (moves into src/main/store/sqlite): CROSS JOIN fixes SQLite's join order; PostgreSQL takes a plain JOIN.
  const join = sqlite ? 'CROSS JOIN' : 'JOIN'
  const count = async (sql: string, params: Param[]) => (await store.get<{ n: number }>(sql, params))!.n

  /** Locks end by time: clear those in the past so `status` is right as of now. */
  async function sweepLocks(): Promise<void> {
    await store.run('UPDATE users SET locked_until = NULL WHERE locked_until IS NOT NULL AND locked_until <= ?', [clock.now()])
  }

  /** The counts are summed: PostgreSQL keeps several rows (stripes) per role and status. */
  async function counts(): Promise<StatusCounts> {
    const byStatus = Object.fromEntries(USER_STATUSES.map((s) => [s, 0])) as Record<UserStatus, number>
    let total = 0
    for (const r of await store.all<{ status: number; n: number }>('SELECT status, sum(n) AS n FROM user_counts GROUP BY status')) {
      byStatus[USER_STATUSES[r.status]!] = r.n
      total += r.n
    }
    return { total, ...byStatus }
  }

  function countOf(status: ListQuery['status'], role: ListQuery['role']): Promise<number> {
    const where = filterOf(status, role)
    return count(`SELECT coalesce(sum(n), 0) AS n FROM user_counts ${whereOf(where)}`, paramsOf(where))
  }

  /**
   * One page of the rows in `where`, read from the nearer end of the sort's index; `total` must then
   * be exact (`atMost` when it only caps how far the list goes).
   */
  async function pageRows(q: ListQuery, where: Cond[], total: number, atMost = false): Promise<UserListRow[]> {
    const offset = Math.min(q.offset, total)
    const limit = Math.min(q.limit, total - offset)
    if (limit <= 0) return []
    // The page's first row counted in ascending order; far from both ends, start at a sampled rank.
    const rank = q.descending ? total - offset - limit : offset
    const ranked = !atMost && where.length === 0 && isRanked(q.sort) && total >= 2 * ranks.stride ? q.sort : null
    if (ranked) ranks.prepare(ranked) // the order is in view: have its sample ready for a deep page
    if (ranked && Math.min(rank, total - rank - limit) >= ranks.stride) {
      const rows = await sampledPage(ranked, rank, limit)
      if (rows) return q.descending ? rows.reverse() : rows
    }
    const fromEnd = !atMost && offset + limit / 2 > total / 2
    // The page's ids from the sort's index alone (an offset skips index entries, not rows), then
    // their rows, in the same order. CROSS JOIN keeps the page as the outer loop: with a plain JOIN
    // and a bound LIMIT SQLite's planner walks all of `users` by the sort index instead (50 ms at 1M).
    const descending = fromEnd ? !q.descending : q.descending
    const sql = `SELECT ${ROW_COLUMNS} FROM (SELECT id FROM users ${whereOf(where)}
      ORDER BY ${orderBy(sqlite, q.sort, descending)} LIMIT ? OFFSET ?) page ${join} users u ON u.id = page.id
      ORDER BY ${orderBy(sqlite, q.sort, descending, 'u.')}`
    const rows = (await store.all<Stored>(sql, [...paramsOf(where), limit, fromEnd ? total - offset - limit : offset])).map(toRow)
    return fromEnd ? rows.reverse() : rows
  }

  /** `limit` rows in ascending order from rank `rank`, starting at the nearest sample below it (SQLite only: see ranks.ts). */
  async function sampledPage(sort: RankedSort, rank: number, limit: number): Promise<UserListRow[] | null> {
    const sample = ranks.sampleAt(sort, rank)
    if (!sample) return null
    const sql = `SELECT ${ROW_COLUMNS} FROM (SELECT id FROM users WHERE ${ranks.from(sort)} ORDER BY ${orderBy(sqlite, sort, false)} LIMIT ? OFFSET ?) page
      ${join} users u ON u.id = page.id ORDER BY ${orderBy(sqlite, sort, false, 'u.')}`
    return (await store.all<Stored>(sql, [...(sample.key as Param[]), limit, rank - sample.rank])).map(toRow)
  }

  async function list(q: ListQuery): Promise<Omit<UserPage, 'postponementsAllowed'>> {
    await sweepLocks()
    const where = filterOf(q.status, q.role)
    if (!q.search) {
      const total = await countOf(q.status, q.role)
      return { rows: await pageRows(q, where, total), total, capped: false, counts: await counts() }
    }
    const search = searchOf(q.search, sqlite)
    const found = async (where: Cond[]) => {
      const c = search.candidates(where)
      return (await store.all<{ id: number }>(c.sql, c.params)).map((r) => r.id)
    }
    const ids = await found([])
    const filtered = where.length > 0
    if (ids.length > SEARCH_CAP && filtered && (await countOf(q.status, q.role)) <= WALK_LIMIT) {
      // A narrow filter: walk its index in the sort's order, keeping matching rows, counted up to the cap.
      where.push(search.predicate)
      const n = await count(`SELECT count(*) AS n FROM (SELECT 1 FROM users ${whereOf(where)} LIMIT ${SEARCH_CAP + 1}) walk`, paramsOf(where))
      const total = Math.min(n, SEARCH_CAP)
      return { rows: await pageRows(q, where, total, n > SEARCH_CAP), total, capped: n > SEARCH_CAP, counts: await counts() }
    }
    // Otherwise filter and sort the matches found. Past SEARCH_CAP (the user is still typing) the
    // list holds the first SEARCH_CAP found, sorted, and says so: finding the first SEARCH_CAP in
    // sort order would walk the sort's index past a large part of the directory.
    const matching = ids.length > SEARCH_CAP && filtered ? await found(where) : ids
    const capped = matching.length > SEARCH_CAP
    where.push(idIn(sqlite, matching.slice(0, SEARCH_CAP)))
    const total = capped ? SEARCH_CAP : await count(`SELECT count(*) AS n FROM users ${whereOf(where)}`, paramsOf(where))
    return { rows: await pageRows(q, where, total), total, capped, counts: await counts() }
  }

  async function stored(userId: number): Promise<UserListRow> {
    await sweepLocks()
    const stored = await store.get<Stored>(`${ROW_SQL} WHERE u.id = ?`, [userId])
    const row = stored && toRow(stored)
    if (!row) throw new DomainError('NOT_FOUND', 'No such user.')
    return row
  }

  return { list, counts, row: stored, sweepLocks }
}

export type UserList = ReturnType<typeof createUserList>
