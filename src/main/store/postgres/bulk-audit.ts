/**
 * PostgreSQL-only: audit rows, already chained (core/audit.ts computes ids, hashes and links),
 * written in one COPY per batch (store/postgres/copy-text.ts), in the caller's transaction.
 */
import type { AuditRow } from '../../core/audit'
import type { Store } from '../types'
import { copyText, type CopyValue } from './copy-text'

/** A chained audit row, as core/audit.ts builds it. */
export type AuditInsert = AuditRow

/** Rows per COPY (one batch's text stays a few megabytes). */
const BATCH = 5_000

const COLUMNS = ['id', 'at', 'event', 'actor_id', 'actor', 'subject_id', 'subject', 'workstation', 'details', 'prev_hash', 'hash', 'chain'] as const
const COPY = `COPY audit_log (${COLUMNS.join(', ')}) FROM STDIN`
const VALUES: ((r: AuditInsert) => CopyValue)[] = COLUMNS.map((k) => (r: AuditInsert) => r[k])

export async function insertAuditRows(q: Pick<Store, 'copyIn'>, rows: readonly AuditInsert[]): Promise<void> {
  for (let at = 0; at < rows.length; at += BATCH) await q.copyIn!(COPY, copyText(rows.slice(at, at + BATCH), VALUES))
}
