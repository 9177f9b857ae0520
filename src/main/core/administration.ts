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
import { message, translator, type Translator } from '../../shared/i18n/translate'
import { eventSentence } from '../../shared/audit-events'
import { problem } from '../../shared/validation'
import type { PolicyStore } from './policy'
import type { Sealer } from './secrets'
import type { TwoFactor } from './two-factor'
import type { Store } from '../store'
import type { Param } from '../store/types'
import type { UserRow } from '../db/queries/users'

export type AuditQuery = { event: string; actor: string; subject: string; from: number | null; to: number | null; beforeId: number | null; limit: number }

/** Above this chance of a successful guess within a year the preview warns. */
const RISKY_SUCCESS_CHANCE = 0.001

export function createAdministration(deps: { store: Store; clock: Clock; policy: PolicyStore; audit: Audit; twoFactor: TwoFactor; mailer: Mailer; sealer: Sealer; anchor: AnchorStore }) {
  const { store, clock, policy, audit, twoFactor, mailer, sealer, anchor } = deps

  async function adminWithTwoFactor(): Promise<boolean> {
    return !!(await store.get("SELECT 1 AS e FROM users u JOIN second_factors f ON f.user_id = u.id AND f.state = 'active' WHERE u.role = 'admin' AND u.disabled = 0 LIMIT 1"))
  }

  function view(): PolicyView {
    return { ...policy.get(), smtpPasswordSet: policy.smtpPasswordSet() }
  }

  /**
   * The filters as conditions every index can serve: actor and subject on their own indexes, the
   * date range turned into an id range (the log is written in time order), the event on
   * (event, id) one event name at a time. Actor and subject names compare case-insensitively,
   * `lower()` on both sides: PostgreSQL indexes that expression; SQLite's two indexes are still on
   * `COLLATE NOCASE` and cannot serve it until a migration adds `lower()` ones (a scan meanwhile).
   */
  async function auditWhere(q: Omit<AuditQuery, 'event' | 'limit'>): Promise<{ sql: string; params: Param[] }> {
    const where: string[] = []
    const params: Param[] = []
    const add = (sql: string, ...values: Param[]) => {
      where.push(sql)
      params.push(...values)
    }
    const firstIdAt = async (at: number) => (await store.get<{ id: number }>('SELECT id FROM audit_log WHERE at >= ? ORDER BY at, id LIMIT 1', [at]))?.id
    if (q.actor) add('lower(actor) = lower(?)', q.actor)
    if (q.subject) add('lower(subject) = lower(?)', q.subject)
    if (q.from !== null) add('id >= ? AND at >= ?', (await firstIdAt(q.from)) ?? Number.MAX_SAFE_INTEGER, q.from)
    if (q.to !== null) add('id < ? AND at < ?', (await firstIdAt(q.to)) ?? Number.MAX_SAFE_INTEGER, q.to)
    if (q.beforeId) add('id < ?', q.beforeId)
    return { sql: where.length ? where.join(' AND ') : '1 = 1', params }
  }

  /** The event names written so far that start with `prefix` (a skip scan over the event index). */
  async function eventsLike(prefix: string): Promise<string[]> {
    const rows = await store.all<{ e: string }>(
      `WITH RECURSIVE ev (e) AS (
         SELECT (SELECT min(event) FROM audit_log WHERE event >= ?)
         UNION ALL SELECT (SELECT min(event) FROM audit_log WHERE event > ev.e) FROM ev WHERE ev.e IS NOT NULL AND substr(ev.e, 1, length(?)) = ?)
       SELECT e FROM ev WHERE e IS NOT NULL AND substr(e, 1, length(?)) = ?`,
      [prefix, prefix, prefix, prefix, prefix]
    )
    return rows.map((r) => r.e)
  }

  async function auditRows(q: AuditQuery, limit: number): Promise<AuditRow[]> {
    const { sql, params } = await auditWhere(q)
    if (!q.event) return store.all<AuditRow>(`SELECT * FROM audit_log WHERE ${sql} ORDER BY id DESC LIMIT ${limit}`, params)
    const events = await eventsLike(q.event)
    if (events.length === 0) return []
    const one = (i: number) => `SELECT * FROM (SELECT * FROM audit_log WHERE event = ? AND ${sql} ORDER BY id DESC LIMIT ${limit}) AS e${i}`
    const union = events.map((_, i) => one(i)).join(' UNION ALL ')
    return store.all<AuditRow>(`SELECT * FROM (${union}) AS page ORDER BY id DESC LIMIT ${limit}`, events.flatMap((e) => [e, ...params]))
  }

  return {
    view,

    async preview(next: Policy): Promise<PolicyPreview> {
      const withoutFactor = (await store.get<{ n: number; canPostpone: number }>(
        `SELECT count(*) AS n, coalesce(sum(CASE WHEN must_enrol = 0 AND postponements_used < ? THEN 1 ELSE 0 END), 0) AS "canPostpone"
         FROM users u WHERE disabled = 0 AND NOT EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = u.id AND f.state = 'active')`,
        [next.postponements]
      ))!
      const mustEnrol = (await store.get<{ n: number }>('SELECT count(*) AS n FROM users u WHERE disabled = 0 AND must_enrol = 1'))!.n
      const required = next.requiredMethod
      const [user, helpdesk, admin] = [required.user ?? '', required.helpdesk ?? '', required.admin ?? '']
      // Who holds methods, but none of the kind their role now requires.
      const methodChanges = (await store.get<{ n: number }>(
        `SELECT count(*) AS n FROM users u WHERE disabled = 0 AND method IS NOT NULL AND (
           (role = 'user' AND CAST(? AS TEXT) <> '') OR (role = 'helpdesk' AND CAST(? AS TEXT) <> '') OR (role = 'admin' AND CAST(? AS TEXT) <> ''))
         AND NOT EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = u.id AND f.state = 'active'
           AND f.method = CASE u.role WHEN 'user' THEN CAST(? AS TEXT) WHEN 'helpdesk' THEN CAST(? AS TEXT) ELSE CAST(? AS TEXT) END)`,
        [user, helpdesk, admin, user, helpdesk, admin]
      ))!.n
      const math = lockoutArithmetic(next.lockout)
      const warnings: string[] = []
      if (math.successChance > RISKY_SUCCESS_CHANCE) {
        warnings.push(problem('console.policy.preview.warnRisky', { guesses: math.guessesPerYear }))
      }
      if (next.mandatory && next.postponements === 0) warnings.push(problem('console.policy.preview.warnNoPostponement'))
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
    async save(actor: UserRow | null, next: Policy, smtpPassword: string | null | undefined, workstation: string): Promise<PolicyView> {
      const old = policy.get()
      if (next.mandatory && !old.mandatory) {
        if (actor && !(await twoFactor.isActive(actor.id))) throw new DomainError('OWN_TWO_FACTOR_REQUIRED', undefined, 'mandatory')
        // Offline (CLI): at least one administrator must be able to log in under the new rule.
        if (!actor && !(await adminWithTwoFactor())) {
          throw new DomainError('OWN_TWO_FACTOR_REQUIRED', message('staffRefusals.noAdminWithTwoFactor'), 'mandatory')
        }
      }
      const changes: Record<string, { from: unknown; to: unknown }> = {}
      for (const key of Object.keys(next) as (keyof Policy)[]) {
        if (JSON.stringify(old[key]) !== JSON.stringify(next[key])) changes[key] = { from: old[key], to: next[key] }
      }
      if (smtpPassword !== undefined) changes.smtpPassword = { from: policy.smtpPasswordSet() ? 'set' : 'not set', to: smtpPassword ? 'set' : 'not set' }
      await store.transaction(async () => {
        await policy.save(next, smtpPassword)
        if (Object.keys(changes).length) await audit.record({ event: 'policy.changed', actor: actor && { id: actor.id, username: actor.username }, workstation, details: changes })
      })
      return view()
    },

    async testSmtp(actor: UserRow | null, settings: Policy, smtpPassword: string | null | undefined, to: string, workstation: string): Promise<{ messageId: string }> {
      if (!settings.smtp) throw new DomainError('SMTP_NOT_CONFIGURED', message('staffRefusals.fillInSmtpServer'))
      const password = smtpPassword === undefined ? policy.smtpPassword() : smtpPassword
      // In the administrator's language, else the organisation's default in the settings being tested.
      const words = translator(actor?.language ?? settings.defaultLanguage ?? 'en')
      const delivery = await mailer.sendWith(settings.smtp, password, {
        to,
        subject: words.t('mail.test.subject', { issuer: settings.issuer }),
        text: `${words.t('mail.test.body')}\n`
      })
      await audit.record({ event: 'mail.test-sent', actor: actor && { id: actor.id, username: actor.username }, workstation, details: { to } })
      return { messageId: delivery.via === 'smtp' ? delivery.messageId : '' }
    },

    async auditPage(q: AuditQuery): Promise<AuditPage> {
      const rows = await auditRows(q, q.limit + 1)
      const more = rows.length > q.limit
      const page = rows.slice(0, q.limit).map(auditView)
      return { rows: page, nextBeforeId: more ? (page.at(-1)?.id ?? null) : null }
    },

    /**
     * The whole log, oldest first, to `file`; audited with the row count. The machine-readable columns
     * first, the same in every language; then each row's sentence in the exporter's (`words`).
     */
    async exportAuditTo(actor: UserRow | null, file: string, workstation: string, control: JobControl, words: Translator = translator('en')): Promise<ExportResult> {
      const total = (await store.get<{ n: number | null }>('SELECT max(id) AS n FROM audit_log'))?.n ?? 0
      const rows = await exportCsv<AuditRow, number>(
        file,
        {
          header: ['id', 'time', 'event', 'actor', 'subject', 'workstation', 'details', 'hash', 'sentence'],
          total,
          page: (after, limit) => store.all<AuditRow>('SELECT * FROM audit_log WHERE id > ? ORDER BY id LIMIT ?', [after ?? 0, limit]),
          keyOf: (r) => r.id,
          cells: (r) => [r.id, new Date(r.at).toISOString(), r.event, r.actor, r.subject, r.workstation, r.details, r.hash, eventSentence(auditView(r), words)]
        },
        control
      )
      await audit.record({ event: 'audit.exported', actor: actor && { id: actor.id, username: actor.username }, workstation, details: { rows } })
      return { rows, file, download: null }
    },

    /**
     * The everyday check: the rows written since the last verified one (the checkpoint), the
     * checkpoint row itself and the anchor. `full` walks from the first row, with progress.
     */
    async verify(full: boolean, control?: JobControl): Promise<AuditVerification> {
      const checkpoint = full ? null : ((await store.get<Checkpoint>('SELECT id, hash, rows FROM audit_checkpoint')) ?? null)
      const total = (await store.get<{ n: number | null }>('SELECT max(id) AS n FROM audit_log'))?.n ?? 0
      const v = await verifyAuditFrom(store, sealer, anchor, checkpoint, control && (async (w) => {
        control.progress(w.rows, total)
        await control.pause()
      }))
      if (!v.ok) return { ok: false, rows: v.rows, checked: v.checked, since: checkpoint?.id ?? null, brokenAt: v.brokenAt, problem: v.problem }
      if (v.rows > 0 && v.rows !== checkpoint?.id) {
        // The checkpoint moves to the newest verified row (no write when no row came since).
        await store.run(
          `INSERT INTO audit_checkpoint (one, id, hash, rows, at) VALUES (1, ?, ?, ?, ?)
           ON CONFLICT (one) DO UPDATE SET id = excluded.id, hash = excluded.hash, rows = excluded.rows, at = excluded.at`,
          [v.rows, v.head, v.rows, clock.now()]
        )
      }
      return { ok: true, rows: v.rows, checked: v.checked, since: checkpoint?.id ?? null, brokenAt: null, problem: null }
    }
  }
}

export type Administration = ReturnType<typeof createAdministration>
