/**
 * The user directory: paged, searchable, filterable and sortable in SQL so the console never loads
 * every user at once; a user's detail with counters and recent events; CSV export and an
 * all-or-nothing CSV import.
 */
import { STATUS_LABELS, type AuditEntryView, type Counter, type ExportResult, type UserDetail, type UserPage } from '../../../shared/admin-dto'
import type { Audit, AuditRow } from '../audit'
import type { Background } from '../background'
import { exportCsv } from '../csv-export'
import type { JobControl } from '../jobs'
import type { Clock } from '../clock'
import type { PolicyStore } from '../policy'
import type { SessionStore } from '../sessions'
import type { Db } from '../../db/open'
import type { UserRow } from '../../db/queries/users'
import { createUserList, ROW_SQL, toRow, type ListQuery, type Stored } from './list'
import { createRequestList } from './requests'
import { createImporter } from './import'
import { createRanks } from './ranks'

export type { ListQuery }

export function auditView(r: AuditRow): AuditEntryView {
  return { id: r.id, at: r.at, event: r.event, actor: r.actor, subject: r.subject, workstation: r.workstation, details: JSON.parse(r.details) as Record<string, unknown> }
}

/** Rows between two sampled ranks of a sort (see ranks.ts). */
export const RANK_STRIDE = 4096

export function createDirectory(deps: { db: Db; clock: Clock; policy: PolicyStore; audit: Audit; sessions: SessionStore; background: Background; rankStride?: number | undefined }) {
  const { db, clock, policy, audit, sessions } = deps
  const ranks = createRanks(db, deps.rankStride ?? RANK_STRIDE, deps.background)
  const users = createUserList({ db, clock, ranks })
  const requests = createRequestList({ db })
  const importer = createImporter({ db, clock, audit })

  return {
    /** The sampled ranks of each sort (see ranks.ts), for tests and diagnostics. */
    ranks,
    counts: users.counts,
    row: users.row,
    requests: requests.page,

    list(q: ListQuery): UserPage {
      return { ...users.list(q), postponementsAllowed: policy.get().postponements }
    },

    /** The row, plus failure counters of the account and of the workstations it was last seen at. */
    detail(userId: number): UserDetail {
      const row = users.row(userId)
      const now = clock.now()
      const live = (until: number | null) => (until !== null && until > now ? until : null)
      const counters = (
        db
          .prepare(
            `SELECT scope, subject, factor, failures, locked_until FROM failure_counters
             WHERE (scope = 'account' AND subject = @account)
                OR (scope = 'workstation' AND subject IN (SELECT DISTINCT workstation FROM
                      (SELECT workstation FROM audit_log WHERE subject_id = @id AND workstation IS NOT NULL ORDER BY id DESC LIMIT 50) LIMIT 5))
             ORDER BY scope, subject, factor`
          )
          .all({ id: userId, account: String(userId) }) as { scope: Counter['scope']; subject: string; factor: Counter['factor']; failures: number; locked_until: number | null }[]
      )
        .map((c): Counter => ({ scope: c.scope, subject: c.scope === 'account' ? row.username : c.subject, factor: c.factor, failures: c.failures, lockedUntil: live(c.locked_until) }))
        .filter((c) => c.scope === 'account' || c.failures > 0 || c.lockedUntil !== null)
      const events = (db.prepare('SELECT * FROM audit_log WHERE subject_id = ? ORDER BY id DESC LIMIT 20').all(userId) as AuditRow[]).map(auditView)
      const factor = db.prepare('SELECT state, activated_at FROM second_factors WHERE user_id = ?').get(userId) as { state: string; activated_at: number | null } | undefined
      const created = db.prepare('SELECT created_at, phone FROM users WHERE id = ?').get(userId) as { created_at: number; phone: string | null }
      const token = db
        .prepare("SELECT t.serial, f.state FROM oath_tokens t LEFT JOIN second_factors f ON f.user_id = t.user_id AND f.method = 'token' WHERE t.user_id = ? AND t.state = 'assigned'")
        .get(userId) as { serial: string; state: string | null } | undefined
      return {
        ...row,
        createdAt: created.created_at,
        phone: created.phone,
        sessions: sessions.listFor(userId),
        activatedAt: factor?.state === 'active' ? factor.activated_at : null,
        hasFactor: !!factor,
        postponementsAllowed: policy.get().postponements,
        counters,
        events,
        openRequest: requests.openFor(userId),
        keys: (db.prepare('SELECT id, name, created_at, last_used_at FROM webauthn_credentials WHERE user_id = ? ORDER BY created_at, id').all(userId) as { id: string; name: string; created_at: number; last_used_at: number | null }[]).map(
          (k) => ({ id: k.id, name: k.name, createdAt: k.created_at, lastUsedAt: k.last_used_at })
        ),
        token: token ? { serial: token.serial, confirmed: token.state === 'active' } : null,
        tokensAllowed: policy.get().allowedMethods.includes('token')
      }
    },

    /** Every user, by username, to `file`; audited with the row count. */
    async exportTo(actor: UserRow | null, file: string, workstation: string, control: JobControl): Promise<ExportResult> {
      users.sweepLocks()
      const rows = await exportCsv<Stored, string>(
        file,
        {
          header: ['username', 'email', 'display_name', 'role', 'phone', 'status', 'method', 'recovery_codes_left', 'last_login'],
          total: users.counts().total,
          page: (after, limit) => db.prepare(`${ROW_SQL} WHERE u.username > ? ORDER BY u.username LIMIT ?`).all(after ?? '', limit) as Stored[],
          keyOf: (r) => r.username,
          cells(r) {
            const v = toRow(r)
            return [v.username, v.email, v.displayName, v.role, r.phone ?? '', STATUS_LABELS[v.status], v.method ?? '', v.recoveryCodesLeft, v.lastLoginAt ? new Date(v.lastLoginAt).toISOString() : '']
          }
        },
        control
      )
      audit.record({ event: 'users.exported', actor: actor && { id: actor.id, username: actor.username }, workstation, details: { rows } })
      return { rows, file, download: null }
    },

    /** See import.ts: streamed, checked, then written in chunks; all or nothing. */
    importFrom: (...args: Parameters<typeof importer.run>) => ranks.suspended(() => importer.run(...args)),
    /** Refuses unless `actor` has a checked file waiting (a dry run without refusals, within 30 minutes). */
    assertImportWaiting: importer.assertWaiting,
    confirmImport: (...args: Parameters<typeof importer.confirm>) => ranks.suspended(() => importer.confirm(...args))
  }
}

export type Directory = ReturnType<typeof createDirectory>
