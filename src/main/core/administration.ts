/**
 * Administrators' work: policy changes (with their preview and audit), the audit log view, export
 * and verification.
 */
import type { AuditPage, AuditVerification, ExportResult, PolicyPreview } from '../../shared/admin-dto'
import type { PolicyView } from '../../shared/dto'
import { lockoutArithmetic, type Policy } from '../../shared/policy'
import { verifyAuditFrom, type AnchorStore, type Audit, type AuditRow, type Checkpoint } from './audit'
import { exportCsv } from './csv-export'
import { auditView } from './directory'
import type { Clock } from './clock'
import type { JobControl } from './jobs'
import { DomainError } from './domain-error'
import type { Mailer } from './mail'
import type { PolicyStore } from './policy'
import type { Sealer } from './secrets'
import type { TwoFactor } from './two-factor'
import type { Db } from '../db/open'
import type { UserRow } from '../db/queries/users'

export type AuditQuery = { event: string; actor: string; subject: string; from: number | null; to: number | null; beforeId: number | null; limit: number }

/** Above this chance of a successful guess within a year the preview warns. */
const RISKY_SUCCESS_CHANCE = 0.001

export function createAdministration(deps: { db: Db; clock: Clock; policy: PolicyStore; audit: Audit; twoFactor: TwoFactor; mailer: Mailer; sealer: Sealer; anchor: AnchorStore }) {
  const { db, clock, policy, audit, twoFactor, mailer, sealer, anchor } = deps

  function adminWithTwoFactor(): boolean {
    return !!db.prepare("SELECT 1 FROM users u JOIN second_factors f ON f.user_id = u.id AND f.state = 'active' WHERE u.role = 'admin' AND u.disabled = 0").get()
  }

  function view(): PolicyView {
    return { ...policy.get(), smtpPasswordSet: policy.smtpPasswordSet() }
  }

  /**
   * The filters as conditions every index can serve: actor and subject on their own indexes, the
   * date range turned into an id range (the log is written in time order), the event on
   * (event, id) one event name at a time.
   */
  function auditWhere(q: Omit<AuditQuery, 'event' | 'limit'>): { sql: string; params: Record<string, unknown> } {
    const where: string[] = []
    const params: Record<string, unknown> = {}
    const add = (sql: string, name: string, value: unknown) => {
      where.push(sql)
      params[name] = value
    }
    const firstIdAt = (at: number) => (db.prepare('SELECT id FROM audit_log WHERE at >= ? ORDER BY at, id LIMIT 1').get(at) as { id: number } | undefined)?.id
    if (q.actor) add('actor = @actor COLLATE NOCASE', 'actor', q.actor)
    if (q.subject) add('subject = @subject COLLATE NOCASE', 'subject', q.subject)
    if (q.from !== null) add('id >= @fromId AND at >= @from', 'from', q.from)
    if (q.from !== null) params.fromId = firstIdAt(q.from) ?? Number.MAX_SAFE_INTEGER
    if (q.to !== null) add('id < @toId AND at < @to', 'to', q.to)
    if (q.to !== null) params.toId = firstIdAt(q.to) ?? Number.MAX_SAFE_INTEGER
    if (q.beforeId) add('id < @beforeId', 'beforeId', q.beforeId)
    return { sql: where.length ? where.join(' AND ') : '1 = 1', params }
  }

  /** The event names written so far that start with `prefix` (a skip scan over the event index). */
  function eventsLike(prefix: string): string[] {
    const rows = db
      .prepare(
        `WITH RECURSIVE ev (e) AS (
           SELECT (SELECT min(event) FROM audit_log WHERE event >= @prefix)
           UNION ALL SELECT (SELECT min(event) FROM audit_log WHERE event > ev.e) FROM ev WHERE ev.e IS NOT NULL AND substr(ev.e, 1, length(@prefix)) = @prefix)
         SELECT e FROM ev WHERE e IS NOT NULL AND substr(e, 1, length(@prefix)) = @prefix`
      )
      .all({ prefix }) as { e: string }[]
    return rows.map((r) => r.e)
  }

  function auditRows(q: AuditQuery, limit: number): AuditRow[] {
    const { sql, params } = auditWhere(q)
    if (!q.event) return db.prepare(`SELECT * FROM audit_log WHERE ${sql} ORDER BY id DESC LIMIT ${limit}`).all(params) as AuditRow[]
    const events = eventsLike(q.event)
    if (events.length === 0) return []
    const one = (i: number) => `SELECT * FROM (SELECT * FROM audit_log WHERE event = @e${i} AND ${sql} ORDER BY id DESC LIMIT ${limit})`
    const union = events.map((_, i) => one(i)).join(' UNION ALL ')
    return db.prepare(`SELECT * FROM (${union}) ORDER BY id DESC LIMIT ${limit}`).all({ ...params, ...Object.fromEntries(events.map((e, i) => [`e${i}`, e])) }) as AuditRow[]
  }

  return {
    view,

    preview(next: Policy): PolicyPreview {
      const withoutFactor = db
        .prepare(
          `SELECT count(*) AS n, coalesce(sum(CASE WHEN must_enrol = 0 AND postponements_used < @allowed THEN 1 ELSE 0 END), 0) AS canPostpone
           FROM users u WHERE disabled = 0 AND NOT EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = u.id AND f.state = 'active')`
        )
        .get({ allowed: next.postponements }) as { n: number; canPostpone: number }
      const mustEnrol = (db.prepare('SELECT count(*) AS n FROM users u WHERE disabled = 0 AND must_enrol = 1').get() as { n: number }).n
      const required = next.requiredMethod
      const methodChanges = (
        db
          .prepare(
            `SELECT count(*) AS n FROM users WHERE disabled = 0 AND method IS NOT NULL AND (
               (role = 'user' AND @user <> '' AND method <> @user) OR (role = 'helpdesk' AND @helpdesk <> '' AND method <> @helpdesk)
               OR (role = 'admin' AND @admin <> '' AND method <> @admin))`
          )
          .get({ user: required.user ?? '', helpdesk: required.helpdesk ?? '', admin: required.admin ?? '' }) as { n: number }
      ).n
      const math = lockoutArithmetic(next.lockout)
      const warnings: string[] = []
      if (math.successChance > RISKY_SUCCESS_CHANCE) {
        warnings.push(`An attacker who knows a password could try ${math.guessesPerYear.toLocaleString('en')} codes a year: raise the lock duration or its growth.`)
      }
      if (next.mandatory && next.postponements === 0) warnings.push('Users without 2FA will have to set it up at their very next login.')
      return {
        sentToSetup: next.mandatory ? withoutFactor.n : mustEnrol,
        withPostponementsLeft: next.mandatory ? withoutFactor.canPostpone : 0,
        methodChanges,
        guessesPerYear: math.guessesPerYear,
        successChance: math.successChance,
        warnings
      }
    },

    /** Saves the policy and audits every changed key with its old and new value. */
    save(actor: UserRow | null, next: Policy, smtpPassword: string | null | undefined, workstation: string): PolicyView {
      const old = policy.get()
      if (next.mandatory && !old.mandatory) {
        if (actor && !twoFactor.isActive(actor.id)) throw new DomainError('OWN_TWO_FACTOR_REQUIRED', undefined, 'mandatory')
        // Offline (CLI): at least one administrator must be able to log in under the new rule.
        if (!actor && !adminWithTwoFactor()) {
          throw new DomainError('OWN_TWO_FACTOR_REQUIRED', 'No administrator has two-factor authentication set up yet: set it up before making it mandatory.', 'mandatory')
        }
      }
      const changes: Record<string, { from: unknown; to: unknown }> = {}
      for (const key of Object.keys(next) as (keyof Policy)[]) {
        if (JSON.stringify(old[key]) !== JSON.stringify(next[key])) changes[key] = { from: old[key], to: next[key] }
      }
      if (smtpPassword !== undefined) changes.smtpPassword = { from: policy.smtpPasswordSet() ? 'set' : 'not set', to: smtpPassword ? 'set' : 'not set' }
      db.transaction(() => {
        policy.save(next, smtpPassword)
        if (Object.keys(changes).length) audit.record({ event: 'policy.changed', actor: actor && { id: actor.id, username: actor.username }, workstation, details: changes })
      }).immediate()
      return view()
    },

    async testSmtp(actor: UserRow | null, settings: Policy, smtpPassword: string | null | undefined, to: string, workstation: string): Promise<{ messageId: string }> {
      if (!settings.smtp) throw new DomainError('SMTP_NOT_CONFIGURED', 'Fill in the SMTP server first.')
      const password = smtpPassword === undefined ? policy.smtpPassword() : smtpPassword
      const delivery = await mailer.sendWith(settings.smtp, password, {
        to,
        subject: `${settings.issuer}: test e-mail`,
        text: 'This test message shows that Tessera can send e-mail with these SMTP settings.\n'
      })
      audit.record({ event: 'mail.test-sent', actor: actor && { id: actor.id, username: actor.username }, workstation, details: { to } })
      return { messageId: delivery.via === 'smtp' ? delivery.messageId : '' }
    },

    auditPage(q: AuditQuery): AuditPage {
      const rows = auditRows(q, q.limit + 1)
      const more = rows.length > q.limit
      const page = rows.slice(0, q.limit).map(auditView)
      return { rows: page, nextBeforeId: more ? (page.at(-1)?.id ?? null) : null }
    },

    /** The whole log, oldest first, to `file`; audited with the row count. */
    async exportAuditTo(actor: UserRow | null, file: string, workstation: string, control: JobControl): Promise<ExportResult> {
      const total = (db.prepare('SELECT max(id) AS n FROM audit_log').get() as { n: number | null }).n ?? 0
      const rows = await exportCsv<AuditRow, number>(
        file,
        {
          header: ['id', 'time', 'event', 'actor', 'subject', 'workstation', 'details', 'hash'],
          total,
          page: (after, limit) => db.prepare('SELECT * FROM audit_log WHERE id > ? ORDER BY id LIMIT ?').all(after ?? 0, limit) as AuditRow[],
          keyOf: (r) => r.id,
          cells: (r) => [r.id, new Date(r.at).toISOString(), r.event, r.actor, r.subject, r.workstation, r.details, r.hash]
        },
        control
      )
      audit.record({ event: 'audit.exported', actor: actor && { id: actor.id, username: actor.username }, workstation, details: { rows } })
      return { rows, file, download: null }
    },

    /**
     * The everyday check: the rows written since the last verified one (the checkpoint), the
     * checkpoint row itself and the anchor. `full` walks from the first row, with progress.
     */
    async verify(full: boolean, control?: JobControl): Promise<AuditVerification> {
      const checkpoint = full ? null : ((db.prepare('SELECT id, hash, rows FROM audit_checkpoint').get() as Checkpoint | undefined) ?? null)
      const total = (db.prepare('SELECT max(id) AS n FROM audit_log').get() as { n: number | null }).n ?? 0
      const v = await verifyAuditFrom(db, sealer, anchor, checkpoint, control && (async (w) => {
        control.progress(w.rows, total)
        await control.pause()
      }))
      if (!v.ok) return { ok: false, rows: v.rows, checked: v.checked, since: checkpoint?.id ?? null, brokenAt: v.brokenAt, problem: v.problem }
      if (v.rows > 0 && v.rows !== checkpoint?.id) {
        // The checkpoint moves to the newest verified row (no write when no row came since).
        db.prepare('INSERT INTO audit_checkpoint (one, id, hash, rows, at) VALUES (1, @id, @hash, @id, @at) ON CONFLICT (one) DO UPDATE SET id = @id, hash = @hash, rows = @id, at = @at')
          .run({ id: v.rows, hash: v.head, at: clock.now() })
      }
      return { ok: true, rows: v.rows, checked: v.checked, since: checkpoint?.id ?? null, brokenAt: null, problem: null }
    }
  }
}

export type Administration = ReturnType<typeof createAdministration>
