/**
 * The directory's SQL in SQLite's terms (see ../../directory-queries.ts): names sorted with
 * NOCASE (as its indexes hold them), the FTS5 trigram index for a search of 3 characters or more,
 * a prefix range on the indexed columns for 1-2, ids bound as one JSON parameter, CROSS JOIN to fix
 * the join order, and sampled ranks kept on the engine's own connection (ranks.ts).
 */
import type { Db } from '../../../db/open'
import { andOf, likeOf, paramsOf, type Cond, type DirectoryQueries, type OrderKey, type RanksOptions } from '../../directory-queries'
import { sqliteRanks } from './ranks'

/** The distinct trigrams of a term (by code point), each quoted for an FTS5 query. */
function trigramsOf(term: string): string {
  const chars = [...term.toLowerCase()]
  const grams = new Set(chars.slice(2).map((_, i) => chars.slice(i, i + 3).join('')))
  return [...grams].map((g) => `"${g.replace(/"/g, '""')}"`).join(' AND ')
}

/**
 * The FTS5 index keeps no positions (migration 007): it gives the rows holding every trigram of the
 * term, in id order, and each is checked against the row itself until enough are found.
 */
function search(term: string, cap: number): ReturnType<DirectoryQueries['search']> {
  const short = [...term].length < 3
  const limit = `LIMIT ${cap}`
  const like = likeOf(term, short)
  const matches = (t: string) => `(${t}display_name LIKE ? ESCAPE '\\' OR ${t}username LIKE ? ESCAPE '\\' OR ${t}email LIKE ? ESCAPE '\\')`
  const predicate = { sql: matches(''), params: [like, like, like] }
  if (!short) {
    return {
      candidates: (where) => ({
        sql: `SELECT users.id FROM users_fts JOIN users ON users.id = users_fts.rowid
                   WHERE users_fts MATCH ? AND ${matches('users.')}${andOf(where)} ${limit}`,
        params: [trigramsOf(term), like, like, like, ...paramsOf(where)]
      }),
      predicate
    }
  }
  // Each range stops at the cap: a common prefix ("ad") must not gather 100,000 ids to dedupe.
  const range = (col: string, where: Cond[]) => `SELECT * FROM (SELECT id FROM users WHERE ${col} >= ? AND ${col} < ?${andOf(where)} ${limit})`
  const bounds = (where: Cond[]) => [term.toLowerCase(), `${term.toLowerCase()}\u{10FFFF}`, ...paramsOf(where)]
  return {
    candidates: (where) => ({
      sql: `SELECT id FROM (${range('display_name COLLATE NOCASE', where)} UNION ${range('username', where)} UNION ${range('email', where)}) ${limit}`,
      params: [...bounds(where), ...bounds(where), ...bounds(where)]
    }),
    predicate
  }
}

export function sqliteDirectoryQueries(db: Db, options: RanksOptions): DirectoryQueries {
  return {
    term(key: OrderKey, table: string, descending: boolean): string {
      const col = `${table}${key.replace(/[*?]$/, '')}`
      return `${col}${key.endsWith('*') ? ' COLLATE NOCASE' : ''} ${descending ? 'DESC' : 'ASC'}`
    },
    search,
    // One parameter, so that the statement's text (and its prepared statement) is the same for any number of ids.
    idIn: (ids) => ({ sql: 'id IN (SELECT value FROM json_each(?))', params: [JSON.stringify(ids)] }),
    // With a plain JOIN and a bound LIMIT SQLite's planner walks all of `users` by the sort index instead (50 ms at 1M).
    pageJoin: 'CROSS JOIN',
    jsonPairs: (a, b, from) => `(SELECT json_group_array(json_array(${a}, ${b})) FROM ${from})`,
    ranks: sqliteRanks(db, options)
  }
}
