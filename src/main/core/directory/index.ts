/**
 * The user directory: paged, searchable, filterable and sortable in SQL so the console never loads
 * every user at once; a user's detail with counters and recent events; CSV export and an
 * all-or-nothing CSV import.
 */
import { STATUS_LABELS, type AuditEntryView, type Counter, type ExportResult, type UserDetail, type UserPage } from '../../../shared/admin-dto'
import type { Audit, AuditRow } from '../audit'
import { exportCsv } from '../csv-export'
import type { JobControl } from '../jobs'
import type { JobJournal } from '../job-journal'
import type { Clock } from '../clock'
import type { PolicyStore } from '../policy'
import type { SessionStore } from '../sessions'
import type { Store } from '../../store'
import type { DirectoryQueries } from '../../store/directory-queries'
import type { Db } from '../../db/open'
import { DomainError } from '../domain-error'
import { message } from '../../../shared/i18n/translate'
import type { UserRow } from '../../db/queries/users'
import { DEFAULT_FIRST, heldMethod, type FactorRow } from '../../db/queries/factors'
import { createUserList, ROW_SQL, toRow, type ListQuery, type Stored } from './list'
import { createRequestList } from './requests'
import { createImporter } from './import'

export type { ListQuery }

export function auditView(r: AuditRow): AuditEntryView {
  return { id: r.id, at: r.at, event: r.event, actor: r.actor, subject: r.subject, workstation: r.workstation, details: JSON.parse(r.details) as Record<string, unknown> }
}

type Counted = { scope: Counter['scope']; subject: string; factor: Counter['factor']; failures: number; locked_until: number | null }

/**
 * `queries`: what the store asks in its database's own terms (the search, the sampled ranks of
 * deep pages: store/sqlite/directory, store/postgres/directory). `sqlite`: the SQLite connection
 * the store runs on, null on PostgreSQL, for the bulk import's fast path and the write-ahead log's
 * checkpoints (import.ts).
 */
export function createDirectory(deps: {
  store: Store
  queries: DirectoryQueries
  sqlite: Db | null
  clock: Clock
  policy: PolicyStore
  audit: Audit
  sessions: SessionStore
  journal: JobJournal
  /** Whether the organisation's directory manages the account's profile (see DirectorySource.manages). */
  fromDirectory: (user: { external_id: string | null }) => Promise<boolean>
}) {
  const { store, queries, sqlite, clock, policy, audit, sessions, journal } = deps
  const { ranks } = queries
  const users = createUserList({ store, queries, clock })
  const requests = createRequestList({ store, queries })
  const importer = createImporter({ store, sqlite, clock, audit, journal })

  /** The account's failure counters, and those of the workstations it was last seen at that count something. */
  async function countersOf(userId: number, username: string): Promise<Counter[]> {
    const now = clock.now()
    const live = (until: number | null) => (until !== null && until > now ? until : null)
    const rows = await store.all<Counted>(
      `SELECT scope, subject, factor, failures, locked_until FROM failure_counters
       WHERE (scope = 'account' AND subject = ?)
          OR (scope = 'workstation' AND subject IN (SELECT DISTINCT workstation FROM
                (SELECT workstation FROM audit_log WHERE subject_id = ? AND workstation IS NOT NULL ORDER BY id DESC LIMIT 50) recent LIMIT 5))
       ORDER BY scope, subject, factor`,
      [String(userId), userId]
    )
    return rows
      .map((c): Counter => ({ scope: c.scope, subject: c.scope === 'account' ? username : c.subject, factor: c.factor, failures: c.failures, lockedUntil: live(c.locked_until) }))
      .filter((c) => c.scope === 'account' || c.failures > 0 || c.lockedUntil !== null)
  }

  return {
    /** The sampled ranks of each sort (see store/directory-queries.ts), for tests and diagnostics. */
    ranks,
    counts: users.counts,
    row: users.row,
    requests: requests.page,

    async list(q: ListQuery): Promise<UserPage> {
      return { ...(await users.list(q)), postponementsAllowed: policy.get().postponements }
    },

    /**
     * The row, plus failure counters of the account and of the workstations it was last seen at,
     * its sessions, factor, keys, token, open request and recent events: read side by side (on a
     * shared server, each on a connection of its own).
     */
    async detail(userId: number): Promise<UserDetail> {
      const row = await users.row(userId)
      const [counters, events, factors, created, token, signedIn, openRequest, keys] = await Promise.all([
        countersOf(userId, row.username),
        store.all<AuditRow>('SELECT * FROM audit_log WHERE subject_id = ? ORDER BY id DESC LIMIT 20', [userId]),
        store.all<FactorRow>(`SELECT * FROM second_factors WHERE user_id = ? ORDER BY ${DEFAULT_FIRST}`, [userId]),
        store.get<{ created_at: number; phone: string | null; external_id: string | null }>('SELECT created_at, phone, external_id FROM users WHERE id = ?', [userId]),
        store.get<{ serial: string; state: string | null }>(
          "SELECT t.serial, f.state FROM oath_tokens t LEFT JOIN second_factors f ON f.user_id = t.user_id AND f.method = 'token' WHERE t.user_id = ? AND t.state = 'assigned'",
          [userId]
        ),
        sessions.listFor(userId),
        requests.openFor(userId),
        store.all<{ id: string; name: string; created_at: number; last_used_at: number | null }>('SELECT id, name, created_at, last_used_at FROM webauthn_credentials WHERE user_id = ? ORDER BY created_at, id', [userId])
      ])
      if (!created) throw new DomainError('NOT_FOUND', message('staffRefusals.noSuchUser')) // removed meanwhile
      const held = factors.filter((f) => f.state === 'active')
      return {
        ...row,
        createdAt: created.created_at,
        phone: created.phone,
        sessions: signedIn,
        activatedAt: held[0]?.activated_at ?? null,
        methods: held.map(heldMethod),
        hasFactor: factors.length > 0,
        postponementsAllowed: policy.get().postponements,
        counters,
        events: events.map(auditView),
        openRequest,
        keys: keys.map((k) => ({ id: k.id, name: k.name, createdAt: k.created_at, lastUsedAt: k.last_used_at })),
        token: token ? { serial: token.serial, confirmed: token.state === 'active' } : null,
        tokensAllowed: policy.get().allowedMethods.includes('token'),
        fromDirectory: await deps.fromDirectory(created)
      }
    },

    /** Every user, by username, to `file`; audited with the row count. */
    async exportTo(actor: UserRow | null, file: string, workstation: string, control: JobControl): Promise<ExportResult> {
      await users.sweepLocks()
      const total = (await users.counts()).total
      const rows = await exportCsv<Stored, string>(
        file,
        {
          header: ['username', 'email', 'display_name', 'role', 'phone', 'status', 'method', 'recovery_codes_left', 'last_login'],
          total,
          page: (after, limit) => store.all<Stored>(`${ROW_SQL} WHERE u.username > ? ORDER BY u.username LIMIT ?`, [after ?? '', limit]),
          keyOf: (r) => r.username,
          cells(r) {
            const v = toRow(r)
            return [v.username, v.email, v.displayName, v.role, r.phone ?? '', STATUS_LABELS[v.status], v.method ?? '', v.recoveryCodesLeft, v.lastLoginAt ? new Date(v.lastLoginAt).toISOString() : '']
          }
        },
        control
      )
      await audit.record({ event: 'users.exported', actor: actor && { id: actor.id, username: actor.username }, workstation, details: { rows } })
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
