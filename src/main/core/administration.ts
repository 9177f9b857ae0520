/**
 * Administrators' work: policy changes (with their preview and audit), the audit log view, export
 * and verification.
 */
import type { AuditPage, AuditVerification, PolicyPreview } from '../../shared/admin-dto'
import type { PolicyView } from '../../shared/dto'
import { lockoutArithmetic, type Policy } from '../../shared/policy'
import { verifyAudit, type AnchorStore, type Audit, type AuditRow } from './audit'
import { auditView, csvLine } from './directory'
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

export function createAdministration(deps: { db: Db; policy: PolicyStore; audit: Audit; twoFactor: TwoFactor; mailer: Mailer; sealer: Sealer; anchor: AnchorStore }) {
  const { db, policy, audit, twoFactor, mailer, sealer, anchor } = deps

  function adminWithTwoFactor(): boolean {
    return !!db.prepare("SELECT 1 FROM users u JOIN second_factors f ON f.user_id = u.id AND f.state = 'active' WHERE u.role = 'admin' AND u.disabled = 0").get()
  }

  function view(): PolicyView {
    return { ...policy.get(), smtpPasswordSet: policy.smtpPasswordSet() }
  }

  function auditWhere(q: Omit<AuditQuery, 'beforeId' | 'limit'>): { sql: string; params: Record<string, unknown> } {
    const where: string[] = []
    const params: Record<string, unknown> = {}
    const add = (sql: string, name: string, value: unknown) => {
      where.push(sql)
      params[name] = value
    }
    if (q.event) add('event LIKE @event', 'event', `${q.event}%`)
    if (q.actor) add('actor = @actor COLLATE NOCASE', 'actor', q.actor)
    if (q.subject) add('subject = @subject COLLATE NOCASE', 'subject', q.subject)
    if (q.from !== null) add('at >= @from', 'from', q.from)
    if (q.to !== null) add('at < @to', 'to', q.to)
    return { sql: where.length ? where.join(' AND ') : '1 = 1', params }
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
      const math = lockoutArithmetic(next.lockout)
      const warnings: string[] = []
      if (math.successChance > RISKY_SUCCESS_CHANCE) {
        warnings.push(`An attacker who knows a password could try ${math.guessesPerYear.toLocaleString('en')} codes a year: raise the lock duration or its growth.`)
      }
      if (next.mandatory && next.postponements === 0) warnings.push('Users without 2FA will have to set it up at their very next login.')
      return {
        sentToSetup: next.mandatory ? withoutFactor.n : mustEnrol,
        withPostponementsLeft: next.mandatory ? withoutFactor.canPostpone : 0,
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
      const { sql, params } = auditWhere(q)
      const rows = db
        .prepare(`SELECT * FROM audit_log WHERE ${sql} ${q.beforeId ? 'AND id < @beforeId' : ''} ORDER BY id DESC LIMIT @limit`)
        .all({ ...params, beforeId: q.beforeId, limit: q.limit + 1 }) as AuditRow[]
      const more = rows.length > q.limit
      const page = rows.slice(0, q.limit).map(auditView)
      return { rows: page, nextBeforeId: more ? (page.at(-1)?.id ?? null) : null }
    },

    auditCsv(actor: UserRow | null, workstation: string): { csv: string; rows: number } {
      let csv = csvLine(['id', 'time', 'event', 'actor', 'subject', 'workstation', 'details', 'hash'])
      let rows = 0
      for (const r of db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as IterableIterator<AuditRow>) {
        csv += csvLine([r.id, new Date(r.at).toISOString(), r.event, r.actor, r.subject, r.workstation, r.details, r.hash])
        rows += 1
      }
      audit.record({ event: 'audit.exported', actor: actor && { id: actor.id, username: actor.username }, workstation, details: { rows } })
      return { csv, rows }
    },

    verify(): AuditVerification {
      const v = verifyAudit(db, sealer, anchor)
      return v.ok ? { ok: true, rows: v.rows, brokenAt: null, problem: null } : { ok: false, rows: v.rows, brokenAt: v.brokenAt, problem: v.problem }
    }
  }
}

export type Administration = ReturnType<typeof createAdministration>
