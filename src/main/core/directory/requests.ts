/**
 * The help desk's request queue, newest first, a page at a time (keyset on creation time and id),
 * each request naming at most a few of the staff it was sent to.
 */
import type { RequestPage, RequestView } from '../../../shared/admin-dto'
import type { Role } from '../../../shared/dto'
import type { Store } from '../../store'
import type { DirectoryQueries } from '../../store/directory-queries'
import type { Param } from '../../store/types'

/** Recipients named per request; the rest are counted. */
const RECIPIENTS_SHOWN = 5

const OPEN = "r.status IN ('open', 'awaiting-approval')"

type Joined = Record<string, unknown> & { id: number; created_at: number }

export type RequestQuery = { open: boolean; after?: { createdAt: number; id: number } | null; limit?: number }

/** The first few recipients (`n`) of each request, along their key (not by name: that would sort thousands per request). */
const FIRST_RECIPIENTS = `(SELECT user_id FROM reset_request_recipients WHERE request_id = r.id ORDER BY user_id LIMIT ${RECIPIENTS_SHOWN}) x JOIN users n ON n.id = x.user_id`

/** The queue through the store: each request's first recipients come in the page's own statement, as JSON. */
export function createRequestList(deps: { store: Store; queries: DirectoryQueries }) {
  const { store, queries } = deps
  const named = (pairs: [number, string][]) => pairs.map(([id, displayName]) => ({ id, displayName })).sort((a, b) => a.displayName.localeCompare(b.displayName))

  async function views(where: string, params: Param[], limit: number): Promise<RequestView[]> {
    const rows = await store.all<Joined>(
      `SELECT r.*, u.username, u.display_name, u.email, u.role, u.phone, u.disabled, h.display_name AS handler, a.display_name AS approver,
              ${queries.jsonPairs('n.id', 'n.display_name', FIRST_RECIPIENTS)} AS named
         FROM reset_requests r JOIN users u ON u.id = r.user_id
         LEFT JOIN users h ON h.id = r.handled_by LEFT JOIN users a ON a.id = r.approved_by
         WHERE ${where} ORDER BY r.created_at DESC, r.id DESC LIMIT ${limit}`,
      params
    )
    return rows.map((r) => ({
      id: r.id,
      user: { id: r.user_id as number, username: r.username as string, displayName: r.display_name as string, email: r.email as string, role: r.role as Role, phone: (r.phone as string | null) ?? null, disabled: r.disabled === 1 },
      kind: r.kind as RequestView['kind'],
      createdAt: r.created_at,
      workstation: r.workstation as string,
      message: r.message as string,
      toAll: r.to_all === 1,
      recipients: named(JSON.parse(r.named as string) as [number, string][]),
      recipientCount: r.recipient_count as number,
      status: r.status as RequestView['status'],
      handledBy: (r.handler as string | null) ?? null,
      approvedBy: (r.approver as string | null) ?? null,
      identityCheck: (r.identity_check as string | null) ?? null,
      note: (r.identity_note as string | null) ?? null,
      reason: (r.reason as string | null) ?? null,
      closedAt: (r.closed_at as number | null) ?? null
    }))
  }

  return {
    async page(query: RequestQuery): Promise<RequestPage> {
      const q = { after: null, limit: 50, ...query }
      const where = [q.open ? OPEN : '1 = 1']
      if (q.after) where.push('(r.created_at, r.id) < (?, ?)')
      const rows = await views(where.join(' AND '), q.after ? [q.after.createdAt, q.after.id] : [], q.limit + 1)
      const more = rows.length > q.limit
      const page = rows.slice(0, q.limit)
      const last = page.at(-1)
      const total = (await store.get<{ n: number }>(`SELECT count(*) AS n FROM reset_requests r WHERE ${q.open ? OPEN : '1 = 1'}`))!.n
      return { rows: page, total, next: more && last ? { createdAt: last.createdAt, id: last.id } : null }
    },

    async openFor(userId: number): Promise<RequestView | null> {
      return (await views(`r.user_id = ? AND ${OPEN}`, [userId], 1))[0] ?? null
    }
  }
}
