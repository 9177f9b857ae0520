/**
 * The audit log: every security event, append-only, each row chained to the previous one by an
 * HMAC-SHA256 under a key derived from the data key (rows written before Tessera keyed the chain
 * carry a plain SHA-256, version 1). Without the data key nobody can rewrite a row and re-chain
 * the rows after it.
 *
 * The chain alone cannot show that its last rows were removed, so the latest head (row id, its MAC,
 * and a MAC over both) is also kept outside the database, in the data directory's anchor file,
 * written after each commit. `verifyAudit` names the first row that was edited, inserted or removed,
 * and compares the end of the chain with the anchor.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Clock } from './clock'
import type { Sealer } from './secrets'
import type { Db } from '../db/open'

export const GENESIS_HASH = '0'.repeat(64)
export const ANCHOR_FILE = 'audit-anchor.json'

export type { AuditEvent } from '../../shared/audit-events'
import type { AuditEvent } from '../../shared/audit-events'

/** A user as an audit row names them (the id, and the username they had then). */
export const who = (u: { id: number; username: string }) => ({ id: u.id, username: u.username })

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
  /** 1: SHA-256 (rows from before the chain was keyed); 2: HMAC under the data key. */
  chain: 1 | 2
}

/** The chain's head as kept outside the database. `mac` binds id and hash under the data key. */
export type Anchor = { id: number; hash: string; mac: string }

export interface AnchorStore {
  read(): Anchor | null
  write(anchor: Anchor): void
}

/** The anchor as a small file next to the database, replaced atomically (write, then rename). */
export function fileAnchorStore(dataDir: string): AnchorStore {
  const path = join(dataDir, ANCHOR_FILE)
  return {
    read() {
      if (!existsSync(path)) return null
      try {
        const a = JSON.parse(readFileSync(path, 'utf8')) as Partial<Anchor>
        return typeof a.id === 'number' && typeof a.hash === 'string' && typeof a.mac === 'string' ? { id: a.id, hash: a.hash, mac: a.mac } : { id: -1, hash: '', mac: '' }
      } catch {
        return { id: -1, hash: '', mac: '' }
      }
    },
    write(anchor) {
      const tmp = `${path}.${process.pid}.tmp`
      writeFileSync(tmp, JSON.stringify(anchor) + '\n', { mode: 0o600 })
      renameSync(tmp, path)
    }
  }
}

type Chained = Omit<AuditRow, 'hash'>

function content(r: Chained): string {
  return JSON.stringify([r.id, r.at, r.event, r.actor_id, r.actor, r.subject_id, r.subject, r.workstation, r.details, r.prev_hash])
}

export function rowHash(r: Chained, sealer: Sealer): string {
  return r.chain === 1 ? createHash('sha256').update(content(r)).digest('hex') : sealer.mac('audit chain', content(r))
}

export function anchorMac(sealer: Sealer, id: number, hash: string): string {
  return sealer.mac('audit anchor', `${id}:${hash}`)
}

export function createAudit(deps: { db: Db; clock: Clock; sealer: Sealer; anchor: AnchorStore; operator?: string | null }) {
  const { db, clock, sealer, anchor } = deps
  const operator = deps.operator ?? null
  const last = db.prepare('SELECT id, hash, chain FROM audit_log ORDER BY id DESC LIMIT 1')
  const insert = db.prepare(
    `INSERT INTO audit_log (id, at, event, actor_id, actor, subject_id, subject, workstation, details, prev_hash, hash, chain)
     VALUES (@id, @at, @event, @actor_id, @actor, @subject_id, @subject, @workstation, @details, @prev_hash, @hash, @chain)`
  )
  let anchorChecked = false
  let flushQueued = false

  function appendRow(e: AuditEntry, head = last.get() as { id: number; hash: string } | undefined): AuditRow {
    const row: Chained = {
      id: (head?.id ?? 0) + 1,
      at: clock.now(),
      event: e.event,
      actor_id: e.actor?.id ?? null,
      actor: e.actor?.username ?? operator,
      subject_id: e.subject?.id ?? null,
      subject: e.subject?.username ?? null,
      workstation: e.workstation ?? null,
      details: JSON.stringify(e.details ?? {}),
      prev_hash: head?.hash ?? GENESIS_HASH,
      chain: 2
    }
    const full = { ...row, hash: rowHash(row, sealer) }
    insert.run(full)
    return full
  }

  /** What is wrong with the anchor file for the committed chain, or null. */
  function anchorProblem(head: { id: number; hash: string; chain: number }): string | null {
    const saved = anchor.read()
    if (!saved) return head.chain === 2 ? 'missing' : null
    if (anchorMac(sealer, saved.id, saved.hash) !== saved.mac) return 'altered'
    if (saved.id > head.id) return `rows ${head.id + 1} to ${saved.id} are gone`
    const at = db.prepare('SELECT hash FROM audit_log WHERE id = ?').get(saved.id) as { hash: string } | undefined
    return at?.hash === saved.hash ? null : `row ${saved.id} differs from the anchor`
  }

  /**
   * Before the first row this engine writes: an anchor that does not fit the chain is recorded in
   * the chain itself (a row nobody can remove without the key) before the anchor moves on.
   */
  function checkAnchor(): void {
    anchorChecked = true
    const head = last.get() as { id: number; hash: string; chain: number } | undefined
    if (!head) return
    const problem = anchorProblem(head)
    if (problem) appendRow({ event: 'audit.anchor-broken', details: { head: head.id, problem } })
    else if (head.chain === 1 && !anchor.read()) appendRow({ event: 'audit.chain-keyed', details: { from: head.id + 1 } })
  }

  /** After the commit: the anchor follows the committed head (never moves back). */
  function flush(): void {
    flushQueued = false
    if (!db.open) return // closed meanwhile: close() flushed already
    const head = last.get() as { id: number; hash: string } | undefined
    if (!head) return
    const current = anchor.read()
    if (current && current.id >= head.id) return
    anchor.write({ id: head.id, hash: head.hash, mac: anchorMac(sealer, head.id, head.hash) })
  }

  function flushSoon(): void {
    if (flushQueued) return
    flushQueued = true
    // Runs once the synchronous caller, and so its transaction, has finished.
    queueMicrotask(flush)
  }

  // Appending reads the chain's head: inside a write transaction, so two writers cannot fork it.
  const append = db.transaction((e: AuditEntry): AuditRow => {
    if (!anchorChecked) checkAnchor()
    return appendRow(e)
  })

  return {
    record(entry: AuditEntry): AuditRow {
      const row = db.inTransaction ? append(entry) : append.immediate(entry)
      flushSoon()
      return row
    },
    /** Many rows in the caller's transaction (an import's chunk): the chain's head is read once. */
    recordMany(entries: readonly AuditEntry[]): void {
      if (!db.inTransaction) throw new Error('recordMany runs inside a transaction')
      if (!anchorChecked) checkAnchor()
      let head = last.get() as { id: number; hash: string } | undefined
      for (const e of entries) head = appendRow(e, head)
      flushSoon()
    },
    /** Writes the anchor now (tests, shutdown). */
    flush
  }
}

export type Audit = ReturnType<typeof createAudit>

export type AuditVerification =
  | { ok: true; rows: number; head: string; checked: number }
  | { ok: false; rows: number; brokenAt: number; problem: string; checked: number }

/** Where a walk along the chain stands: the next row expected and the hash it must follow. */
type Walk = { prev: string; expectedId: number; rows: number; keyed: boolean; checked: number }

/** Rows read per step of a walk. */
const WALK_PAGE = 2_000

/** The last verified row and its hash: an everyday verify starts after it. */
export type Checkpoint = { id: number; hash: string; rows: number }

function broken(w: Walk, brokenAt: number, problem: string): AuditVerification {
  return { ok: false, rows: w.rows, brokenAt, problem, checked: w.checked }
}

/** Checks the next page of rows; returns a verdict when the chain breaks, 'end' at its end, else 'more'. */
function walkPage(db: Db, sealer: Sealer, saved: Anchor | null, w: Walk): AuditVerification | 'end' | 'more' {
  const page = db.prepare('SELECT * FROM audit_log WHERE id >= ? ORDER BY id LIMIT ?').all(w.expectedId, WALK_PAGE) as AuditRow[]
  for (const r of page) {
    if (r.id !== w.expectedId) return broken(w, w.expectedId, `row ${w.expectedId} is missing`)
    if (r.prev_hash !== w.prev) return broken(w, r.id, `row ${r.id} does not follow row ${r.id - 1} (a row was removed or replaced)`)
    if (r.chain === 1 && w.keyed) return broken(w, r.id, `row ${r.id} is not signed with the data key (rewritten after the chain was keyed)`)
    if (rowHash(r, sealer) !== r.hash) return broken(w, r.id, `row ${r.id} was edited after it was written`)
    if (r.event === 'audit.anchor-broken') return broken(w, r.id, `the anchor file did not fit the log when row ${r.id} was written (${(JSON.parse(r.details) as { problem?: string }).problem ?? '?'}): rows before it may have been removed or rewritten`)
    if (saved && r.id === saved.id && r.hash !== saved.hash) return broken(w, r.id, `row ${r.id} was rewritten (it differs from the anchor)`)
    w.keyed ||= r.chain === 2
    w.prev = r.hash
    w.expectedId += 1
    w.rows += 1
    w.checked += 1
  }
  return page.length < WALK_PAGE ? 'end' : 'more'
}

/** At the end of the chain: the anchor must be intact and no further than the last row. */
function finish(sealer: Sealer, saved: Anchor | null, w: Walk): AuditVerification {
  if (saved && anchorMac(sealer, saved.id, saved.hash) !== saved.mac) return broken(w, w.rows, `the anchor file ${ANCHOR_FILE} was altered`)
  if (saved && saved.id > w.rows) return broken(w, w.rows + 1, `rows ${w.rows + 1} to ${saved.id} were removed from the end of the log`)
  if (!saved && w.keyed) return broken(w, w.rows, `the anchor file ${ANCHOR_FILE} is missing: the end of the log cannot be checked`)
  return { ok: true, rows: w.rows, head: w.prev, checked: w.checked }
}

/** Where a walk from `checkpoint` starts, or why it cannot (the checkpoint row itself changed). */
function startAt(db: Db, checkpoint: Checkpoint | null): Walk | AuditVerification {
  const fresh: Walk = { prev: GENESIS_HASH, expectedId: 1, rows: 0, keyed: false, checked: 0 }
  if (!checkpoint) return fresh
  const row = db.prepare('SELECT hash, chain FROM audit_log WHERE id = ?').get(checkpoint.id) as { hash: string; chain: number } | undefined
  if (row?.hash !== checkpoint.hash) return broken(fresh, checkpoint.id, `row ${checkpoint.id} changed since it was last verified`)
  return { prev: checkpoint.hash, expectedId: checkpoint.id + 1, rows: checkpoint.rows, keyed: row.chain === 2, checked: 0 }
}

/**
 * Walks the chain in id order from the start (or from `checkpoint`): stops at the first row that
 * does not fit, then checks the anchor. With `pause`, gives the event loop back between pages.
 */
export async function verifyAuditFrom(db: Db, sealer: Sealer, anchor: AnchorStore, checkpoint: Checkpoint | null, pause?: (w: Walk) => Promise<void>): Promise<AuditVerification> {
  const saved = anchor.read()
  const w = startAt(db, checkpoint)
  if ('ok' in w) return w
  for (;;) {
    const step = walkPage(db, sealer, saved, w)
    if (step === 'end') return finish(sealer, saved, w)
    if (step !== 'more') return step
    await pause?.(w)
  }
}

/** The whole chain, at once (the CLI, tests). */
export function verifyAudit(db: Db, sealer: Sealer, anchor: AnchorStore): AuditVerification {
  const saved = anchor.read()
  const w = startAt(db, null) as Walk
  for (;;) {
    const step = walkPage(db, sealer, saved, w)
    if (step === 'end') return finish(sealer, saved, w)
    if (step !== 'more') return step
  }
}
