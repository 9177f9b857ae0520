/**
 * Deep pages checked against the truth: for each plain sort, both directions and a few offsets,
 * the rows `users:list` gives are exactly the rows a plain OFFSET query gives on the same store.
 */
import { expect } from 'vitest'
import type { Store } from '../../src/main/store'
import type { Conn } from './flows'

/** Each plain sort's order in the store's own terms: a name without case is SQLite's NOCASE, PostgreSQL's lower() (as each schema's indexes). */
export function sortOrders(store: Store) {
  const name = store.kind === 'sqlite' ? 'display_name COLLATE NOCASE' : 'lower(display_name)'
  return { displayName: name, username: 'username', email: 'email', role: `role, ${name}`, status: `status, ${name}` } as const
}
export type PlainSort = keyof ReturnType<typeof sortOrders>
export const plainSorts = (store: Store) => Object.keys(sortOrders(store)) as PlainSort[]

export async function expectPagesExact(store: Store, staff: Conn, offsets: number[], limit = 40): Promise<void> {
  for (const [sort, order] of Object.entries(sortOrders(store)) as [PlainSort, string][]) {
    for (const descending of [false, true]) {
      const dir = descending ? 'DESC' : 'ASC'
      for (const offset of offsets) {
        const truth = (await store.all<{ id: number }>(`SELECT id FROM users ORDER BY ${order.split(', ').map((k) => `${k} ${dir}`).join(', ')}, id ${dir} LIMIT ? OFFSET ?`, [limit, offset])).map((r) => r.id)
        expect((await staff.ok('users:list', { sort, descending, offset, limit })).rows.map((r) => r.id), `${sort} ${dir} ${offset}`).toEqual(truth)
      }
    }
  }
}
