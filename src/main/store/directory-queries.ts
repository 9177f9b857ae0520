/**
 * What the user directory asks in each database's own terms: the few pieces of its SQL that differ
 * between SQLite and PostgreSQL (how a name sorts without case, how a search finds its candidates,
 * how a list of ids is bound, how a deep page finds where it starts). The directory
 * (core/directory) writes the rest once; each store's `directory/` folder answers these.
 */
import type { Background } from '../core/background'
import type { Param } from './types'

/** A condition of a WHERE clause and the values of its `?`s, in order. */
export type Cond = { sql: string; params: Param[] }

/**
 * A key of a sort's index: a column, `*` after it when it is compared without case, `?` when it may
 * be null (first in ascending order, as SQLite sorts it).
 */
export type OrderKey = `${string}${'' | '*' | '?'}`

/** The plain sorts whose deep pages start at a sampled rank. */
export const RANKED_SORTS = ['displayName', 'username', 'email', 'role', 'status'] as const
export type RankedSort = (typeof RANKED_SORTS)[number]
export const isRanked = (sort: string): sort is RankedSort => (RANKED_SORTS as readonly string[]).includes(sort)

/**
 * Where a deep page starts without skipping half a million index entries: each store keeps, for
 * each plain sort, every `stride`-th row's key ("the sample"), built in the background from the
 * first time the order is listed, and kept exact while rows move (see each store's ranks.ts).
 */
export interface Ranks {
  readonly stride: number
  /** The order is being looked at: have its sample ready (built in the background) for deep pages. */
  prepare(sort: RankedSort): void
  /**
   * Where ascending rank `rank` of `sort` starts: the nearest sampled row at or before it (`from`,
   * a condition on `users` that is true from that row on, in the sort's order), its rank, and how
   * many rows to skip from there. Null while the sort has no usable sample (a page is then read by
   * offset, and a sample built in the background).
   */
  start(sort: RankedSort, rank: number): Promise<{ from: Cond; rank: number; skip: number } | null>
  /** Around a bulk write: nothing is logged per row meanwhile; every sample is dropped after. */
  suspended<T>(work: () => Promise<T>): Promise<T>
}

export type RanksOptions = { stride: number; background: Background }

export interface DirectoryQueries {
  /** One ORDER BY term for `key` on `table` (`'u.'` or `''`). */
  term(key: OrderKey, table: string, descending: boolean): string
  /**
   * The search for `term` (3 characters or more: anywhere in the name, username or e-mail; fewer:
   * at their start): up to `cap` matching ids that also meet `where` (`candidates`), and the same
   * test as a condition on a row (`predicate`), for walking a sort's index.
   */
  search(term: string, cap: number): { candidates(where: Cond[]): Cond; predicate: Cond }
  /** `id IN` these ids. */
  idIn(ids: number[]): Cond
  /** How a page of ids joins its rows so that the page stays the outer loop. */
  readonly pageJoin: string
  /** A JSON array (as text) of `[a, b]` for each row of `SELECT a, b FROM <from>`: `'[]'` when none. */
  jsonPairs(a: string, b: string, from: string): string
  readonly ranks: Ranks
}

/** LIKE pattern for a literal substring (or prefix). */
export const likeOf = (text: string, prefix: boolean) => `${prefix ? '' : '%'}${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

export const whereOf = (where: Cond[]) => (where.length ? 'WHERE ' + where.map((w) => w.sql).join(' AND ') : '')
export const andOf = (where: Cond[]) => where.map((w) => ` AND ${w.sql}`).join('')
export const paramsOf = (where: Cond[]) => where.flatMap((w) => w.params)
