/**
 * The audit log: every security event, append-only, each row chained to the previous row by a
 * SHA-256 hash over its content. `verifyAudit` recomputes the chain and names the first row that
 * was edited, inserted or removed.
 */
import { createHash } from 'node:crypto'
import type { Clock } from './clock'
import type { Db } from '../db/open'

export const GENESIS_HASH = '0'.repeat(64)

export type AuditEvent =
  | 'setup.first-admin'
  | 'login.password-failed'
  | 'login.password-blocked'
  | 'login.succeeded'
  | 'login.second-factor-failed'
  | 'login.code-replayed'
  | 'login.recovery-code-used'
  | 'login.access-code-used'
  | 'lock.account'
  | 'lock.workstation'
  | 'unlock'
  | 'logout'
  | 'session.expired'
  | 'enrol.started'
  | 'enrol.email-verified'
  | 'enrol.confirmed'
  | 'enrol.completed'
  | 'enrol.postponed'
  | 'email-code.sent'
  | 'recovery-codes.reissued'
  | 'two-factor.disabled'
  | 'two-factor.reset'
  | 'two-factor.reset-proposed'
  | 'access-code.issued'
  | 'lost-device.requested'
  | 'lost-device.rejected'
  | 'password.changed'
  | 'password.reset'
  | 'password.reset-requested'
  | 'enrolment-link.used'
  | 'user.created'
  | 'user.disabled'
  | 'user.enabled'
  | 'user.role-changed'
  | 'enrolment-link.sent'
  | 'policy.changed'
  | 'mail.test-sent'

export type AuditEntry = {
  event: AuditEvent
  actor?: { id: number; username: string } | null
  subject?: { id: number; username: string } | null
  workstation?: string | null
  details?: Record<string, unknown>
}

export type AuditRow = {
  id: number
  at: number
  event: string
  actor_id: number | null
  actor: string | null
  subject_id: number | null
  subject: string | null
  workstation: string | null
  details: string
  prev_hash: string
  hash: string
}

function rowHash(r: Omit<AuditRow, 'hash'>): string {
  const content = JSON.stringify([r.id, r.at, r.event, r.actor_id, r.actor, r.subject_id, r.subject, r.workstation, r.details, r.prev_hash])
  return createHash('sha256').update(content).digest('hex')
}

export function createAudit(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps
  const last = db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1')
  const insert = db.prepare(
    `INSERT INTO audit_log (id, at, event, actor_id, actor, subject_id, subject, workstation, details, prev_hash, hash)
     VALUES (@id, @at, @event, @actor_id, @actor, @subject_id, @subject, @workstation, @details, @prev_hash, @hash)`
  )
  // Appending reads the chain's head: do it inside a write transaction so two writers cannot fork it.
  const append = db.transaction((e: AuditEntry): AuditRow => {
    const head = last.get() as { id: number; hash: string } | undefined
    const row: Omit<AuditRow, 'hash'> = {
      id: (head?.id ?? 0) + 1,
      at: clock.now(),
      event: e.event,
      actor_id: e.actor?.id ?? null,
      actor: e.actor?.username ?? null,
      subject_id: e.subject?.id ?? null,
      subject: e.subject?.username ?? null,
      workstation: e.workstation ?? null,
      details: JSON.stringify(e.details ?? {}),
      prev_hash: head?.hash ?? GENESIS_HASH
    }
    const full = { ...row, hash: rowHash(row) }
    insert.run(full)
    return full
  })
  return {
    record(entry: AuditEntry): AuditRow {
      return db.inTransaction ? append(entry) : append.immediate(entry)
    }
  }
}

export type Audit = ReturnType<typeof createAudit>

export type AuditVerification =
  | { ok: true; rows: number; head: string }
  | { ok: false; rows: number; brokenAt: number; problem: string }

/** Walks the whole chain in id order; stops at the first row that does not fit. */
export function verifyAudit(db: Db): AuditVerification {
  let prev = GENESIS_HASH
  let expectedId = 1
  let rows = 0
  for (const r of db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as IterableIterator<AuditRow>) {
    if (r.id !== expectedId) return { ok: false, rows, brokenAt: expectedId, problem: `row ${expectedId} is missing` }
    if (r.prev_hash !== prev) return { ok: false, rows, brokenAt: r.id, problem: `row ${r.id} does not follow row ${r.id - 1} (a row was removed or replaced)` }
    if (rowHash(r) !== r.hash) return { ok: false, rows, brokenAt: r.id, problem: `row ${r.id} was edited after it was written` }
    prev = r.hash
    expectedId += 1
    rows += 1
  }
  return { ok: true, rows, head: prev }
}
