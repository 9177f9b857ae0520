/**
 * The help desk's request queue, newest first, a page at a time (keyset on creation time and id),
 * each request naming at most a few of the staff it was sent to.
 */
import type { RequestPage, RequestView } from '../../../shared/admin-dto'
import type { Role } from '../../../shared/dto'
import type { Db } from '../../db/open'

/** Recipients named per request; the rest are counted. */
const RECIPIENTS_SHOWN = 5

const OPEN = "r.status IN ('open', 'awaiting-approval')"

type Joined = Record<string, unknown> & { id: number; created_at: number }

export type RequestQuery = { open: boolean; after?: { createdAt: number; id: number } | null; limit?: number }

export function createRequestList(deps: { db: Db }) {
  const { db } = deps

  function views(where: string, params: Record<string, unknown>, limit: number): RequestView[] {
    // The first few recipients along their key (not by name: that would sort thousands per
    // request), in the same statement as the requests: one call into SQLite per page.
    const rows = db
      .prepare(
        `SELECT r.*, u.username, u.display_name, u.email, u.role, u.phone, h.display_name AS handler, a.display_name AS approver,
           (SELECT json_group_array(json_array(n.id, n.display_name)) FROM (SELECT user_id FROM reset_request_recipients
              WHERE request_id = r.id ORDER BY user_id LIMIT ${RECIPIENTS_SHOWN}) x JOIN users n ON n.id = x.user_id) AS named
         FROM reset_requests r JOIN users u ON u.id = r.user_id
         LEFT JOIN users h ON h.id = r.handled_by LEFT JOIN users a ON a.id = r.approved_by
         WHERE ${where} ORDER BY r.created_at DESC, r.id DESC LIMIT ${limit}`
      )
      .all(params) as Joined[]
    const named = (json: string) =>
      (JSON.parse(json) as [number, string][]).map(([id, displayName]) => ({ id, displayName })).sort((a, b) => a.displayName.localeCompare(b.displayName))
    return rows.map((r) => ({
      id: r.id,
      user: { id: r.user_id as number, username: r.username as string, displayName: r.display_name as string, email: r.email as string, role: r.role as Role, phone: (r.phone as string | null) ?? null },
      kind: r.kind as RequestView['kind'],
      createdAt: r.created_at,
      workstation: r.workstation as string,
      message: r.message as string,
      toAll: r.to_all === 1,
      recipients: named(r.named as string),
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
    page(query: RequestQuery): RequestPage {
      const q = { after: null, limit: 50, ...query }
      const where = [q.open ? OPEN : '1 = 1']
      if (q.after) where.push('(r.created_at, r.id) < (@createdAt, @id)')
      const rows = views(where.join(' AND '), { ...q.after }, q.limit + 1)
      const more = rows.length > q.limit
      const page = rows.slice(0, q.limit)
      const last = page.at(-1)
      const total = (db.prepare(`SELECT count(*) AS n FROM reset_requests r WHERE ${q.open ? OPEN : '1 = 1'}`).get() as { n: number }).n
      return { rows: page, total, next: more && last ? { createdAt: last.createdAt, id: last.id } : null }
    },

    openFor(userId: number): RequestView | null {
      return views(`r.user_id = @id AND ${OPEN}`, { id: userId }, 1)[0] ?? null
    }
  }
}
