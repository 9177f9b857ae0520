/**
 * The directory list at any size: every filter and sort is an index range (see migration 005), the
 * counts are maintained rather than scanned, and a page deep in the list is read from whichever end
 * of the index is nearer, so the last page costs what the first does and the middle one a few ms.
 */
import type { StatusCounts, UserListRow, UserPage, UserSource, UserStatus } from '../../../shared/admin-dto'
import { USER_SOURCES, USER_STATUSES } from '../../../shared/admin-dto'
import type { Role } from '../../../shared/dto'
import type { Method } from '../../../shared/policy'
import type { Clock } from '../clock'
import { DomainError } from '../domain-error'
import { message } from '../../../shared/i18n/translate'
import type { Store } from '../../store'
import { isRanked, paramsOf, whereOf, type Cond, type DirectoryQueries, type OrderKey, type RankedSort } from '../../store/directory-queries'
import type { Param } from '../../store/types'
import type { UserRow } from '../../db/queries/users'

export type ListQuery = {
  search: string
  status: 'all' | UserStatus
  role: 'all' | Role
  source: 'all' | UserSource
  sort: 'displayName' | 'username' | 'email' | 'role' | 'status' | 'lastLogin'
  descending: boolean
  offset: number
  limit: number
}

/** `users.status` holds the index of the status in USER_STATUSES (most urgent first). */
const statusCode = (s: UserStatus) => USER_STATUSES.indexOf(s)
/** `users.source` (migration 018): 1 from the directory, 0 local. */
const sourceCode = (s: UserSource) => (s === 'directory' ? 1 : 0)

/** The filters of a list: each a dimension of the maintained counts. */
type Filters = Pick<ListQuery, 'status' | 'role' | 'source'>

/** A search matching more users than this lists only this many, in order, and says so. */
export const SEARCH_CAP = 2_000

export type Stored = UserRow & { method: Method | null; locked_until: number | null; open_requests: number; status: number; codes_left: number }

/** ORDER BY keys per sort, each the key of an index (alone, and after `status` or `role`): see OrderKey. */
const ORDER: Record<ListQuery['sort'], OrderKey[]> = {
  displayName: ['display_name*'],
  username: ['username'],
  email: ['email'],
  role: ['role', 'display_name*'],
  status: ['status', 'display_name*'],
  lastLogin: ['last_login_at?']
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
    lastLoginAt: r.last_login_at,
    fromDirectory: r.external_id !== null
  }
}

/** A filtered search over more than SEARCH_CAP matches walks the filter's index when it holds at most this many rows. */
const WALK_LIMIT = 20_000

/** The status, role and source filters. */
function filterOf({ status, role, source }: Filters): Cond[] {
  const where: Cond[] = []
  if (status !== 'all') where.push({ sql: 'status = ?', params: [statusCode(status)] })
  if (role !== 'all') where.push({ sql: 'role = ?', params: [role] })
  if (source !== 'all') where.push({ sql: 'source = ?', params: [sourceCode(source)] })
  return where
}

/** The list, through the store; what differs between the databases is asked of `queries` (the store's directory/). */
export function createUserList(deps: { store: Store; queries: DirectoryQueries; clock: Clock }) {
  const { store, clock, queries } = deps
  const { ranks } = queries
  const join = queries.pageJoin
  const orderBy = (sort: ListQuery['sort'], descending: boolean, table = '') => [...ORDER[sort], 'id'].map((k) => queries.term(k, table, descending)).join(', ')
  const count = async (sql: string, params: Param[]) => (await store.get<{ n: number }>(sql, params))!.n

  /** When locks were last swept (a call within a second of it sees what that sweep left). */
  let sweptAt = -Infinity
  /** Locks end by time: clear those in the past so `status` is right as of now (within a second). */
  async function sweepLocks(): Promise<void> {
    const now = clock.now()
    if (now - sweptAt < 1_000 && now >= sweptAt) return
    sweptAt = now
    await store.run('UPDATE users SET locked_until = NULL WHERE locked_until IS NOT NULL AND locked_until <= ?', [now])
  }

  /**
   * The counts per (role, status, source), in one read (at most 42 rows; summed: PostgreSQL keeps
   * several stripes of each): the status and source counts every page shows, and the total of any filter.
   */
  async function tally(): Promise<{ counts: StatusCounts; sources: Record<UserSource, number>; of(filters: Filters): number }> {
    const groups = await store.all<{ role: Role; status: number; source: number; n: number }>(
      'SELECT role, status, source, sum(n) AS n FROM user_counts GROUP BY role, status, source'
    )
    const of = ({ status, role, source }: Filters) =>
      groups
        .filter((g) => (status === 'all' || g.status === statusCode(status)) && (role === 'all' || g.role === role) && (source === 'all' || g.source === sourceCode(source)))
        .reduce((n, g) => n + g.n, 0)
    const all: Filters = { status: 'all', role: 'all', source: 'all' }
    const byStatus = Object.fromEntries(USER_STATUSES.map((status) => [status, of({ ...all, status })])) as Record<UserStatus, number>
    const sources = Object.fromEntries(USER_SOURCES.map((source) => [source, of({ ...all, source })])) as Record<UserSource, number>
    return { counts: { total: of(all), ...byStatus }, sources, of }
  }

  const counts = async () => (await tally()).counts

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
    // their rows, in the same order (the page as the outer loop of the join).
    const descending = fromEnd ? !q.descending : q.descending
    const sql = `SELECT ${ROW_COLUMNS} FROM (SELECT id FROM users ${whereOf(where)}
      ORDER BY ${orderBy(q.sort, descending)} LIMIT ? OFFSET ?) page ${join} users u ON u.id = page.id
      ORDER BY ${orderBy(q.sort, descending, 'u.')}`
    const rows = (await store.all<Stored>(sql, [...paramsOf(where), limit, fromEnd ? total - offset - limit : offset])).map(toRow)
    return fromEnd ? rows.reverse() : rows
  }

  /** `limit` rows in ascending order from rank `rank`, starting at the nearest sample below it (see Ranks). */
  async function sampledPage(sort: RankedSort, rank: number, limit: number): Promise<UserListRow[] | null> {
    const start = await ranks.start(sort, rank)
    if (!start) return null
    const sql = `SELECT ${ROW_COLUMNS} FROM (SELECT id FROM users WHERE ${start.from.sql} ORDER BY ${orderBy(sort, false)} LIMIT ? OFFSET ?) page
      ${join} users u ON u.id = page.id ORDER BY ${orderBy(sort, false, 'u.')}`
    return (await store.all<Stored>(sql, [...start.from.params, limit, start.skip])).map(toRow)
  }

  async function list(q: ListQuery): Promise<Omit<UserPage, 'postponementsAllowed'>> {
    await sweepLocks()
    const where = filterOf(q)
    const tallied = await tally()
    const page = async (total: number, capped = false, atMost = false) => ({
      rows: await pageRows(q, where, total, atMost),
      total,
      capped,
      counts: tallied.counts,
      sources: tallied.sources
    })
    if (!q.search) return page(tallied.of(q))
    const search = queries.search(q.search, SEARCH_CAP + 1)
    const found = async (where: Cond[]) => {
      const c = search.candidates(where)
      return (await store.all<{ id: number }>(c.sql, c.params)).map((r) => r.id)
    }
    const ids = await found([])
    const filtered = where.length > 0
    if (ids.length > SEARCH_CAP && filtered && tallied.of(q) <= WALK_LIMIT) {
      // A narrow filter: walk its index in the sort's order, keeping matching rows, counted up to the cap.
      where.push(search.predicate)
      const n = await count(`SELECT count(*) AS n FROM (SELECT 1 FROM users ${whereOf(where)} LIMIT ${SEARCH_CAP + 1}) walk`, paramsOf(where))
      return page(Math.min(n, SEARCH_CAP), n > SEARCH_CAP, n > SEARCH_CAP)
    }
    // Otherwise filter and sort the matches found. Past SEARCH_CAP (the user is still typing) the
    // list holds the first SEARCH_CAP found, sorted, and says so: finding the first SEARCH_CAP in
    // sort order would walk the sort's index past a large part of the directory.
    const matching = ids.length > SEARCH_CAP && filtered ? await found(where) : ids
    const capped = matching.length > SEARCH_CAP
    where.push(queries.idIn(matching.slice(0, SEARCH_CAP)))
    // Without a filter the matches found are the list (distinct ids): their number is its total.
    const total = capped ? SEARCH_CAP : filtered ? await count(`SELECT count(*) AS n FROM users ${whereOf(where)}`, paramsOf(where)) : matching.length
    return page(total, capped)
  }

  async function stored(userId: number): Promise<UserListRow> {
    await sweepLocks()
    const stored = await store.get<Stored>(`${ROW_SQL} WHERE u.id = ?`, [userId])
    const row = stored && toRow(stored)
    if (!row) throw new DomainError('NOT_FOUND', message('staffRefusals.noSuchUser'))
    return row
  }

  return { list, counts, row: stored, sweepLocks }
}

export type UserList = ReturnType<typeof createUserList>
