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

/** ORDER BY terms per sort; each is the key of an index (alone, and after `status` or `role`). */
const ORDER: Record<ListQuery['sort'], string[]> = {
  displayName: ['display_name COLLATE NOCASE'],
  username: ['username'],
  email: ['email'],
  role: ['role', 'display_name COLLATE NOCASE'],
  status: ['status', 'display_name COLLATE NOCASE'],
  lastLogin: ['last_login_at']
}

function orderBy(sort: ListQuery['sort'], descending: boolean, table = ''): string {
  const dir = descending ? 'DESC' : 'ASC'
  return [...ORDER[sort], 'id'].map((k) => `${table}${k} ${dir}`).join(', ')
}

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
 * The search: the FTS5 trigram index for 3 characters or more, a prefix range on the indexed
 * columns for 1-2. `candidates(where)` finds up to SEARCH_CAP + 1 matching ids that also meet
 * `where`; `predicate` says the same in SQL for walking a sort index. The index keeps no positions
 * (migration 007), so it gives the rows holding every trigram of the term, in id order, and each is
 * checked against the row itself until enough are found.
 */
function searchOf(term: string) {
  const short = [...term].length < 3
  const like = likeOf(term, short)
  const matches = (t: string) => `(${t}display_name LIKE @like ESCAPE '\\' OR ${t}username LIKE @like ESCAPE '\\' OR ${t}email LIKE @like ESCAPE '\\')`
  const and = (where: string[]) => where.map((w) => ` AND ${w}`).join('')
  if (!short) {
    return {
      params: { match: trigramsOf(term), like },
      candidates: (where: string[]) => `SELECT users.id FROM users_fts JOIN users ON users.id = users_fts.rowid
                   WHERE users_fts MATCH @match AND ${matches('users.')}${and(where)} LIMIT ${SEARCH_CAP + 1}`,
      predicate: matches('')
    }
  }
  // Each range stops at SEARCH_CAP + 1: a common prefix ("ad") must not gather 100,000 ids to dedupe.
  const range = (col: string, where: string[]) => `SELECT * FROM (SELECT id FROM users WHERE ${col} >= @lo AND ${col} < @hi${and(where)} LIMIT ${SEARCH_CAP + 1})`
  return {
    params: { lo: term.toLowerCase(), hi: `${term.toLowerCase()}\u{10FFFF}`, like },
    candidates: (where: string[]) =>
      `SELECT id FROM (${range('display_name COLLATE NOCASE', where)} UNION ${range('username', where)} UNION ${range('email', where)}) LIMIT ${SEARCH_CAP + 1}`,
    predicate: matches('')
  }
}

/** A filtered search over more than SEARCH_CAP matches walks the filter's index when it holds at most this many rows. */
const WALK_LIMIT = 20_000

export function createUserList(deps: { db: Db; clock: Clock; ranks: Ranks }) {
  const { db, clock, ranks } = deps

  /** Locks end by time: clear those in the past so `status` is right as of now. */
  function sweepLocks(): void {
    db.prepare('UPDATE users SET locked_until = NULL WHERE locked_until IS NOT NULL AND locked_until <= ?').run(clock.now())
  }

  function counts(): StatusCounts {
    const byStatus = Object.fromEntries(USER_STATUSES.map((s) => [s, 0])) as Record<UserStatus, number>
    let total = 0
    for (const r of db.prepare('SELECT status, sum(n) AS n FROM user_counts GROUP BY status').all() as { status: number; n: number }[]) {
      byStatus[USER_STATUSES[r.status]!] = r.n
      total += r.n
    }
    return { total, ...byStatus }
  }

  function countOf(status: ListQuery['status'], role: ListQuery['role']): number {
    const where = [status === 'all' ? '' : 'status = @status', role === 'all' ? '' : 'role = @role'].filter(Boolean)
    const sql = `SELECT coalesce(sum(n), 0) AS n FROM user_counts ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`
    return (db.prepare(sql).get({ status: status === 'all' ? null : statusCode(status), role }) as { n: number }).n
  }

  /**
   * One page of the rows in `where`, read from the nearer end of the sort's index; `total` must then
   * be exact (`atMost` when it only caps how far the list goes).
   */
  function pageRows(q: ListQuery, where: string[], params: Record<string, unknown>, total: number, atMost = false): UserListRow[] {
    const offset = Math.min(q.offset, total)
    const limit = Math.min(q.limit, total - offset)
    if (limit <= 0) return []
    // The page's first row counted in ascending order; far from both ends, start at a sampled rank.
    const rank = q.descending ? total - offset - limit : offset
    const ranked = !atMost && where.length === 0 && isRanked(q.sort) && total >= 2 * ranks.stride ? q.sort : null
    if (ranked) ranks.prepare(ranked) // the order is in view: have its sample ready for a deep page
    if (ranked && Math.min(rank, total - rank - limit) >= ranks.stride) {
      const rows = sampledPage(ranked, rank, limit)
      if (rows) return q.descending ? rows.reverse() : rows
    }
    const fromEnd = !atMost && offset + limit / 2 > total / 2
    // The page's ids from the sort's index alone (an offset skips index entries, not rows), then
    // their rows, in the same order. CROSS JOIN keeps the page as the outer loop: with a plain JOIN
    // and a bound LIMIT the planner walks all of `users` by the sort index instead (50 ms at 1M).
    const descending = fromEnd ? !q.descending : q.descending
    const sql = `SELECT ${ROW_COLUMNS} FROM (SELECT id FROM users ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY ${orderBy(q.sort, descending)} LIMIT @limit OFFSET @offset) page CROSS JOIN users u ON u.id = page.id
      ORDER BY ${orderBy(q.sort, descending, 'u.')}`
    const rows = (db.prepare(sql).all({ ...params, limit, offset: fromEnd ? total - offset - limit : offset }) as Stored[]).map(toRow)
    return fromEnd ? rows.reverse() : rows
  }

  /** `limit` rows in ascending order from rank `rank`, starting at the nearest sample below it. */
  function sampledPage(sort: RankedSort, rank: number, limit: number): UserListRow[] | null {
    const sample = ranks.sampleAt(sort, rank)
    if (!sample) return null
    const keys = Object.fromEntries(sample.key.map((k, i) => [`k${i}`, k]))
    const sql = `SELECT ${ROW_COLUMNS} FROM (SELECT id FROM users WHERE ${ranks.from(sort)} ORDER BY ${orderBy(sort, false)} LIMIT @limit OFFSET @skip) page
      CROSS JOIN users u ON u.id = page.id ORDER BY ${orderBy(sort, false, 'u.')}`
    return (db.prepare(sql).all({ ...keys, limit, skip: rank - sample.rank }) as Stored[]).map(toRow)
  }

  function list(q: ListQuery): Omit<UserPage, 'postponementsAllowed'> {
    sweepLocks()
    const where: string[] = []
    const params: Record<string, unknown> = {}
    if (q.status !== 'all') {
      where.push('status = @status')
      params.status = statusCode(q.status)
    }
    if (q.role !== 'all') {
      where.push('role = @role')
      params.role = q.role
    }
    if (!q.search) {
      const total = countOf(q.status, q.role)
      return { rows: pageRows(q, where, params, total), total, capped: false, counts: counts() }
    }
    const search = searchOf(q.search)
    const found = (where: string[]) => (db.prepare(search.candidates(where)).all({ ...params, ...search.params }) as { id: number }[]).map((r) => r.id)
    const ids = found([])
    const filtered = where.length > 0
    if (ids.length > SEARCH_CAP && filtered && countOf(q.status, q.role) <= WALK_LIMIT) {
      // A narrow filter: walk its index in the sort's order, keeping matching rows, counted up to the cap.
      where.push(search.predicate)
      Object.assign(params, { like: search.params.like })
      const n = (db.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM users WHERE ${where.join(' AND ')} LIMIT ${SEARCH_CAP + 1})`).get(params) as { n: number }).n
      const total = Math.min(n, SEARCH_CAP)
      return { rows: pageRows(q, where, params, total, n > SEARCH_CAP), total, capped: n > SEARCH_CAP, counts: counts() }
    }
    // Otherwise filter and sort the matches found. Past SEARCH_CAP (the user is still typing) the
    // list holds the first SEARCH_CAP found, sorted, and says so: finding the first SEARCH_CAP in
    // sort order would walk the sort's index past a large part of the directory.
    const matching = ids.length > SEARCH_CAP && filtered ? found(where) : ids
    const capped = matching.length > SEARCH_CAP
    where.push('id IN (SELECT value FROM json_each(@found))')
    params.found = JSON.stringify(matching.slice(0, SEARCH_CAP))
    const total = capped ? SEARCH_CAP : (db.prepare(`SELECT count(*) AS n FROM users WHERE ${where.join(' AND ')}`).get(params) as { n: number }).n
    return { rows: pageRows(q, where, params, total), total, capped, counts: counts() }
  }

  function stored(userId: number): UserListRow {
    sweepLocks()
    const stored = db.prepare(`${ROW_SQL} WHERE u.id = ?`).get(userId) as Stored | undefined
    const row = stored && toRow(stored)
    if (!row) throw new DomainError('NOT_FOUND', 'No such user.')
    return row
  }

  return { list, counts, row: stored, sweepLocks }
}

export type UserList = ReturnType<typeof createUserList>
