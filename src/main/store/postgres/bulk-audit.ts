/**
 * PostgreSQL-only: audit rows, already chained (core/audit.ts computes ids, hashes and links),
 * inserted in one statement per batch, each column passed as an array.
 */
import type { AuditRow } from '../../core/audit'
import type { Queryable } from '../types'

/** A chained audit row, as core/audit.ts builds it. */
export type AuditInsert = AuditRow

/** Rows per statement (the arrays of one batch stay a few megabytes). */
const BATCH = 5_000

const INSERT = `INSERT INTO audit_log (id, at, event, actor_id, actor, subject_id, subject, workstation, details, prev_hash, hash, chain)
  SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::bigint[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::smallint[])`

export async function insertAuditRows(q: Queryable, rows: readonly AuditInsert[]): Promise<void> {
  for (let at = 0; at < rows.length; at += BATCH) {
    const batch = rows.slice(at, at + BATCH)
    const column = <K extends keyof AuditInsert>(k: K) => batch.map((r) => r[k])
    await q.run(INSERT, [
      column('id'),
      column('at'),
      column('event'),
      column('actor_id'),
      column('actor'),
      column('subject_id'),
      column('subject'),
      column('workstation'),
      column('details'),
      column('prev_hash'),
      column('hash'),
      column('chain')
    ])
  }
}
