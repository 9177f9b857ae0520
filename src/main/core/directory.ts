/**
 * The user directory: paged, searchable, filterable and sortable in SQL so the console never loads
 * every user at once; a user's detail with counters and recent events; CSV export and an
 * all-or-nothing CSV import.
 */
import { parse } from 'csv-parse/sync'
import type { AuditEntryView, Counter, ImportReport, RequestView, StatusCounts, UserDetail, UserListRow, UserPage, UserStatus } from '../../shared/admin-dto'
import type { Role } from '../../shared/dto'
import { displayNameSchema, emailSchema, roleSchema, usernameSchema } from '../../shared/validation'
import type { Audit, AuditRow } from './audit'
import type { Clock } from './clock'
import { DomainError } from './domain-error'
import type { PolicyStore } from './policy'
import type { Db } from '../db/open'
import type { UserRow } from '../db/queries/users'
import type { Method } from '../../shared/policy'

export type ListQuery = {
  search: string
  status: 'all' | 'enrolled' | 'not-enrolled' | 'postponed' | 'locked' | 'reset-requested' | 'disabled'
  role: 'all' | Role
  sort: 'displayName' | 'username' | 'email' | 'role' | 'status' | 'lastLogin'
  descending: boolean
  offset: number
  limit: number
}

/** Status, most urgent first, as one SQL expression over the columns of ROW_SQL. */
const STATUS_SQL = `CASE
  WHEN u.disabled = 1 THEN 'disabled'
  WHEN locked_until IS NOT NULL THEN 'locked'
  WHEN reset_requested = 1 THEN 'reset-requested'
  WHEN method IS NOT NULL THEN 'enrolled'
  WHEN u.must_enrol = 1 THEN 'must-enrol'
  WHEN u.postponements_used > 0 THEN 'postponed'
  ELSE 'not-enrolled' END`

const ROW_SQL = `
  SELECT u.*, f.method AS method,
    (SELECT max(c.locked_until) FROM failure_counters c
      WHERE c.scope = 'account' AND c.subject = CAST(u.id AS TEXT) AND c.factor IN ('password', 'second-factor') AND c.locked_until > @now) AS locked_until,
    EXISTS (SELECT 1 FROM reset_requests r WHERE r.user_id = u.id AND r.status IN ('open', 'awaiting-approval')) AS reset_requested,
    (SELECT count(*) FROM recovery_codes rc WHERE rc.user_id = u.id AND rc.used_at IS NULL) AS codes_left
  FROM users u LEFT JOIN second_factors f ON f.user_id = u.id AND f.state = 'active'`

type Joined = UserRow & { method: Method | null; locked_until: number | null; reset_requested: 0 | 1; codes_left: number; status: UserStatus }

const SORT_SQL: Record<ListQuery['sort'], string> = {
  displayName: 'u.display_name COLLATE NOCASE',
  username: 'u.username COLLATE NOCASE',
  email: 'u.email COLLATE NOCASE',
  role: 'u.role',
  status: 'status',
  lastLogin: 'u.last_login_at'
}

const STATUS_WHERE: Record<Exclude<ListQuery['status'], 'all'>, string> = {
  enrolled: "status = 'enrolled'",
  'not-enrolled': "status IN ('not-enrolled', 'must-enrol', 'postponed')",
  postponed: "status = 'postponed'",
  locked: "status = 'locked'",
  'reset-requested': "status = 'reset-requested'",
  disabled: "status = 'disabled'"
}

function toRow(r: Joined): UserListRow {
  return {
    id: r.id,
    username: r.username,
    email: r.email,
    displayName: r.display_name,
    role: r.role,
    disabled: !!r.disabled,
    status: r.status,
    method: r.method,
    postponementsUsed: r.postponements_used,
    mustEnrol: !!r.must_enrol,
    lockedUntil: r.locked_until,
    resetRequested: !!r.reset_requested,
    recoveryCodesLeft: r.method ? r.codes_left : 0,
    lastLoginAt: r.last_login_at
  }
}

export function auditView(r: AuditRow): AuditEntryView {
  return { id: r.id, at: r.at, event: r.event, actor: r.actor, subject: r.subject, workstation: r.workstation, details: JSON.parse(r.details) as Record<string, unknown> }
}

/** RFC 4180 field; a leading = + - @ is prefixed so a spreadsheet does not run it as a formula. */
export function csvField(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value)
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function csvLine(values: unknown[]): string {
  return values.map(csvField).join(',') + '\r\n'
}

const IMPORT_COLUMNS = ['username', 'email', 'display_name', 'role'] as const
/** No real row is longer: a longer one is refused at once instead of being read into memory. */
export const IMPORT_MAX_ROW_CHARS = 2_000
/** Rows per file: the largest organisation Tessera is built for. */
export const IMPORT_MAX_ROWS = 1_000_000
/** A refused row's report quotes at most this much of what was typed. */
const ECHO_MAX_CHARS = 64

const echo = (text: string) => (text.length > ECHO_MAX_CHARS ? `${text.slice(0, ECHO_MAX_CHARS)}… (${text.length} characters)` : text)

export function createDirectory(deps: { db: Db; clock: Clock; policy: PolicyStore; audit: Audit }) {
  const { db, clock, policy, audit } = deps

  function counts(): StatusCounts {
    const now = clock.now()
    const one = (sql: string, params: unknown[] = []) => (db.prepare(sql).get(...params) as { n: number }).n
    return {
      total: one('SELECT count(*) AS n FROM users'),
      disabled: one('SELECT count(*) AS n FROM users WHERE disabled = 1'),
      enrolled: one("SELECT count(*) AS n FROM second_factors WHERE state = 'active'"),
      notEnrolled: one("SELECT count(*) AS n FROM users u WHERE disabled = 0 AND NOT EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = u.id AND f.state = 'active')"),
      postponed: one("SELECT count(*) AS n FROM users u WHERE postponements_used > 0 AND NOT EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = u.id AND f.state = 'active')"),
      locked: one("SELECT count(DISTINCT subject) AS n FROM failure_counters WHERE scope = 'account' AND factor IN ('password', 'second-factor') AND locked_until > ? AND subject NOT LIKE 'name:%'", [now]),
      resetRequests: one("SELECT count(*) AS n FROM reset_requests WHERE status IN ('open', 'awaiting-approval')")
    }
  }

  function requestViews(where: string, params: Record<string, unknown>): RequestView[] {
    const rows = db
      .prepare(
        `SELECT r.*, u.username, u.display_name, u.email, u.role, h.display_name AS handler, a.display_name AS approver
         FROM reset_requests r JOIN users u ON u.id = r.user_id
         LEFT JOIN users h ON h.id = r.handled_by LEFT JOIN users a ON a.id = r.approved_by
         WHERE ${where} ORDER BY r.created_at DESC, r.id DESC LIMIT 500`
      )
      .all(params) as (Record<string, unknown> & { id: number })[]
    const recipients = db.prepare(
      'SELECT u.id, u.display_name FROM reset_request_recipients rr JOIN users u ON u.id = rr.user_id WHERE rr.request_id = ? ORDER BY u.display_name'
    )
    return rows.map((r) => ({
      id: r.id,
      user: { id: r.user_id as number, username: r.username as string, displayName: r.display_name as string, email: r.email as string, role: r.role as Role },
      kind: r.kind as RequestView['kind'],
      createdAt: r.created_at as number,
      workstation: r.workstation as string,
      message: r.message as string,
      toAll: r.to_all === 1,
      recipients: (recipients.all(r.id) as { id: number; display_name: string }[]).map((x) => ({ id: x.id, displayName: x.display_name })),
      status: r.status as RequestView['status'],
      handledBy: (r.handler as string | null) ?? null,
      approvedBy: (r.approver as string | null) ?? null,
      identityCheck: (r.identity_check as string | null) ?? null,
      note: (r.identity_note as string | null) ?? null,
      reason: (r.reason as string | null) ?? null,
      closedAt: (r.closed_at as number | null) ?? null
    }))
  }

  function joined(userId: number): Joined {
    const r = db.prepare(`SELECT *, ${STATUS_SQL} AS status FROM (${ROW_SQL} WHERE u.id = @id) u`).get({ id: userId, now: clock.now() }) as Joined | undefined
    if (!r) throw new DomainError('NOT_FOUND', 'No such user.')
    return r
  }

  return {
    counts,

    list(q: ListQuery): UserPage {
      const where: string[] = []
      const params: Record<string, unknown> = { now: clock.now(), limit: q.limit, offset: q.offset }
      if (q.search) {
        // Substring, case-insensitive; LIKE wildcards typed by the user are matched literally.
        params.search = `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
        where.push("(u.display_name LIKE @search ESCAPE '\\' OR u.username LIKE @search ESCAPE '\\' OR u.email LIKE @search ESCAPE '\\')")
      }
      if (q.role !== 'all') {
        params.role = q.role
        where.push('u.role = @role')
      }
      const inner = `SELECT *, ${STATUS_SQL} AS status FROM (${ROW_SQL} ${where.length ? 'WHERE ' + where.join(' AND ') : ''}) u`
      const outer = q.status === 'all' ? '' : `WHERE ${STATUS_WHERE[q.status]}`
      const dir = q.descending ? 'DESC' : 'ASC'
      const rows = db
        .prepare(`SELECT * FROM (${inner}) ${outer} ORDER BY ${SORT_SQL[q.sort].replace('u.', '')} ${dir}, id ${dir} LIMIT @limit OFFSET @offset`)
        .all(params) as Joined[]
      const total = (db.prepare(`SELECT count(*) AS n FROM (${inner}) ${outer}`).get(params) as { n: number }).n
      return { rows: rows.map(toRow), total, counts: counts(), postponementsAllowed: policy.get().postponements }
    },

    row(userId: number): UserListRow {
      return toRow(joined(userId))
    },

    /** The row, plus failure counters of the account and of the workstations it was last seen at. */
    detail(userId: number): UserDetail {
      const r = joined(userId)
      const now = clock.now()
      const live = (until: number | null) => (until !== null && until > now ? until : null)
      const counters = (
        db
          .prepare(
            `SELECT scope, subject, factor, failures, locked_until FROM failure_counters
             WHERE (scope = 'account' AND subject = @account)
                OR (scope = 'workstation' AND subject IN (SELECT DISTINCT workstation FROM audit_log
                      WHERE subject_id = @id AND workstation IS NOT NULL ORDER BY id DESC LIMIT 5))
             ORDER BY scope, subject, factor`
          )
          .all({ id: userId, account: String(userId) }) as { scope: Counter['scope']; subject: string; factor: Counter['factor']; failures: number; locked_until: number | null }[]
      )
        .map((c): Counter => ({ scope: c.scope, subject: c.scope === 'account' ? r.username : c.subject, factor: c.factor, failures: c.failures, lockedUntil: live(c.locked_until) }))
        .filter((c) => c.scope === 'account' || c.failures > 0 || c.lockedUntil !== null)
      const events = (db.prepare('SELECT * FROM audit_log WHERE subject_id = ? ORDER BY id DESC LIMIT 20').all(userId) as AuditRow[]).map(auditView)
      const activated = db.prepare("SELECT activated_at FROM second_factors WHERE user_id = ? AND state = 'active'").get(userId) as { activated_at: number } | undefined
      return {
        ...toRow(r),
        createdAt: r.created_at,
        activatedAt: activated?.activated_at ?? null,
        hasFactor: !!db.prepare('SELECT 1 FROM second_factors WHERE user_id = ?').get(userId),
        postponementsAllowed: policy.get().postponements,
        counters,
        events,
        openRequest: requestViews("r.user_id = @id AND r.status IN ('open', 'awaiting-approval')", { id: userId })[0] ?? null
      }
    },

    requests(open: boolean): RequestView[] {
      return requestViews(open ? "r.status IN ('open', 'awaiting-approval')" : '1 = 1', {})
    },

    exportCsv(actor: UserRow | null, workstation: string): { csv: string; rows: number } {
      let csv = csvLine(['username', 'email', 'display_name', 'role', 'status', 'method', 'recovery_codes_left', 'last_login'])
      let rows = 0
      const stmt = db.prepare(`SELECT *, ${STATUS_SQL} AS status FROM (${ROW_SQL}) u ORDER BY u.username`)
      for (const r of stmt.iterate({ now: clock.now() }) as IterableIterator<Joined>) {
        const v = toRow(r)
        csv += csvLine([v.username, v.email, v.displayName, v.role, v.status, v.method ?? '', v.recoveryCodesLeft, v.lastLoginAt ? new Date(v.lastLoginAt).toISOString() : ''])
        rows += 1
      }
      audit.record({ event: 'users.exported', actor: actor && { id: actor.id, username: actor.username }, workstation, details: { rows } })
      return { csv, rows }
    },

    /**
     * Imports users from CSV (header: username,email,display_name,role). All or nothing: when any
     * row is refused, nothing is created and the report says which rows and why. Imported users
     * have no password yet; they set one through an enrolment link.
     */
    importCsv(actor: UserRow | null, csv: string, workstation: string): ImportReport {
      let records: string[][]
      try {
        records = parse(csv, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, max_record_size: IMPORT_MAX_ROW_CHARS, to: IMPORT_MAX_ROWS + 2 }) as string[][]
      } catch (error) {
        const e = error as Error & { code?: string; lines?: number }
        const reason = e.code === 'CSV_MAX_RECORD_SIZE' ? `a row is longer than ${IMPORT_MAX_ROW_CHARS.toLocaleString('en')} characters` : echo(e.message)
        return { ok: false, created: 0, refused: [{ line: e.lines ?? 0, username: '', reason: `The file is not valid CSV: ${reason}.` }] }
      }
      if (records.length > IMPORT_MAX_ROWS + 1) {
        return { ok: false, created: 0, refused: [{ line: IMPORT_MAX_ROWS + 2, username: '', reason: `A file can hold at most ${IMPORT_MAX_ROWS.toLocaleString('en')} users: split it.` }] }
      }
      const header = (records.shift() ?? []).map((h) => h.toLowerCase().replace(/[\s-]/g, '_'))
      const missing = IMPORT_COLUMNS.filter((c) => !header.includes(c))
      if (missing.length) {
        return { ok: false, created: 0, refused: [{ line: 1, username: '', reason: `The header must name the columns ${IMPORT_COLUMNS.join(', ')}; missing: ${missing.join(', ')}.` }] }
      }
      const col = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof IMPORT_COLUMNS)[number], number>
      const refused: ImportReport['refused'] = []
      const valid: { line: number; username: string; email: string; displayName: string; role: Role }[] = []
      const seenNames = new Set<string>()
      const seenEmails = new Set<string>()
      const nameTaken = db.prepare('SELECT 1 FROM users WHERE username = ?')
      const emailTaken = db.prepare('SELECT 1 FROM users WHERE email = ?')
      records.forEach((rec, i) => {
        const line = i + 2
        const raw = (c: (typeof IMPORT_COLUMNS)[number]) => rec[col[c]] ?? ''
        const checks = [
          ['username', usernameSchema.safeParse(raw('username'))],
          ['e-mail', emailSchema.safeParse(raw('email'))],
          ['display name', displayNameSchema.safeParse(raw('display_name'))],
          ['role', roleSchema.safeParse(raw('role').toLowerCase() || 'user')]
        ] as const
        const bad = checks.find(([, r]) => !r.success)
        if (bad) return void refused.push({ line, username: echo(raw('username')), reason: `${bad[0]}: ${bad[1].error?.issues[0]?.message ?? 'not valid'}` })
        const [username, email, displayName, role] = checks.map(([, r]) => r.data) as [string, string, string, Role]
        const key = username.toLowerCase()
        const mail = email.toLowerCase()
        if (seenNames.has(key) || nameTaken.get(username)) return void refused.push({ line, username, reason: 'username already in use' })
        if (seenEmails.has(mail) || emailTaken.get(email)) return void refused.push({ line, username, reason: 'e-mail already in use' })
        if (actor?.role === 'helpdesk' && role !== 'user') return void refused.push({ line, username, reason: 'help-desk staff can import user accounts only' })
        seenNames.add(key)
        seenEmails.add(mail)
        valid.push({ line, username, email, displayName, role })
      })
      if (refused.length || valid.length === 0) {
        if (valid.length === 0 && refused.length === 0) refused.push({ line: 0, username: '', reason: 'The file has no users in it.' })
        return { ok: false, created: 0, refused }
      }
      db.transaction(() => {
        const now = clock.now()
        const insert = db.prepare('INSERT INTO users (username, email, display_name, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
        const by = actor && { id: actor.id, username: actor.username }
        // One row per account, so the log says who was created, with which role, by whom.
        for (const v of valid) {
          const id = Number(insert.run(v.username, v.email, v.displayName, v.role, now, now).lastInsertRowid)
          audit.record({ event: 'user.created', actor: by, subject: { id, username: v.username }, workstation, details: { role: v.role, via: 'import', line: v.line } })
        }
      }).immediate()
      return { ok: true, created: valid.length, refused: [] }
    }
  }
}

export type Directory = ReturnType<typeof createDirectory>
