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
import type { Queryable, Store } from '../store'
import { insertAuditRows } from '../store/postgres/bulk-audit'

export const GENESIS_HASH = '0'.repeat(64)
export const ANCHOR_FILE = 'audit-anchor.json'

export type { AuditEvent } from '../../shared/audit-events'
import type { AuditEvent } from '../../shared/audit-events'
import { problem } from '../../shared/validation'

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
  /**
   * Whether a missing anchor is itself a sign of tampering (the default: one machine, whose anchor
   * follows every write). A seat of a shared database keeps the head *it* last saw: a seat that has
   * none yet has simply not seen the chain, while an anchor ahead of the chain still means rows went.
   */
  readonly required?: boolean
}

/** The anchor as a small file next to the database, replaced atomically (write, then rename). */
export function fileAnchorStore(dataDir: string, options: { required?: boolean } = {}): AnchorStore {
  const path = join(dataDir, ANCHOR_FILE)
  return {
    required: options.required ?? true,
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

type Head = { id: number; hash: string }

/**
 * PostgreSQL: rows of one append chained and written per step (an import's slice holds
 * thousands): the next step is hashed here while the server writes this one, and the event loop
 * comes back between steps.
 */
const CHAIN_STEP = 1_000

export function createAudit(deps: { store: Store; clock: Clock; sealer: Sealer; anchor: AnchorStore; operator?: string | null }) {
  const { store, clock, sealer, anchor } = deps
  const operator = deps.operator ?? null
  let anchorChecked = false

  /**
   * The chain's head, locked until the caller's transaction ends: appends never fork the chain.
   * An empty log has no head row to lock yet: its first appends (two seats, or an import's two
   * slices at once) queue on a lock of their own instead, and read the head again once they hold
   * it (the first one's commit made the row).
   */
  async function lockedHead(): Promise<Head | undefined> {
    const sql = `SELECT id, hash FROM audit_head WHERE one = 1${store.forUpdate}`
    const head = await store.get<Head>(sql)
    if (head) return head
    await store.lock('audit head')
    return store.get<Head>(sql)
  }

  /** The row `e` becomes after `head`: its id, time, link and hash (nothing written yet). */
  function chained(e: AuditEntry, head: Head | undefined): AuditRow {
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
    return { ...row, hash: rowHash(row, sealer) }
  }

  /** Writes chained rows: one INSERT each (SQLite, in process), or one per batch on PostgreSQL. */
  async function insertRows(rows: readonly AuditRow[]): Promise<void> {
    if (store.kind === 'postgres' && rows.length > 1) return insertAuditRows(store, rows)
    for (const full of rows) {
      await store.run(
        `INSERT INTO audit_log (id, at, event, actor_id, actor, subject_id, subject, workstation, details, prev_hash, hash, chain)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [full.id, full.at, full.event, full.actor_id, full.actor, full.subject_id, full.subject, full.workstation, full.details, full.prev_hash, full.hash, full.chain]
      )
    }
  }

  async function appendRow(e: AuditEntry, head: Head | undefined): Promise<AuditRow> {
    const full = chained(e, head)
    await insertRows([full])
    return full
  }

  const moveHead = (h: Head) =>
    store.run('INSERT INTO audit_head (one, id, hash) VALUES (1, ?, ?) ON CONFLICT (one) DO UPDATE SET id = excluded.id, hash = excluded.hash', [h.id, h.hash])

  /** What is wrong with the anchor file for the committed chain, or null. */
  async function anchorProblem(head: { id: number; hash: string; chain: number }): Promise<string | null> {
    const saved = anchor.read()
    if (!saved) return head.chain === 2 && anchor.required !== false ? 'missing' : null
    if (anchorMac(sealer, saved.id, saved.hash) !== saved.mac) return 'altered'
    if (saved.id > head.id) return `rows ${head.id + 1} to ${saved.id} are gone`
    const at = await store.get<{ hash: string }>('SELECT hash FROM audit_log WHERE id = ?', [saved.id])
    return at?.hash === saved.hash ? null : `row ${saved.id} differs from the anchor`
  }

  /**
   * Before the first row this engine writes: an anchor that does not fit the chain is recorded in
   * the chain itself (a row nobody can remove without the key) before the anchor moves on.
   * Inside the append's transaction, with the head locked; returns the head after it.
   */
  async function checkAnchor(head: Head | undefined): Promise<Head | undefined> {
    anchorChecked = true
    if (!head) return head
    const chain = (await store.get<{ chain: number }>('SELECT chain FROM audit_log WHERE id = ?', [head.id]))?.chain ?? 2
    const problem = await anchorProblem({ ...head, chain })
    if (problem) return appendRow({ event: 'audit.anchor-broken', details: { head: head.id, problem } }, head)
    if (chain === 1 && !anchor.read()) return appendRow({ event: 'audit.chain-keyed', details: { from: head.id + 1 } }, head)
    return head
  }

  /** Appends in the caller's transaction (or one of its own), with the head locked throughout. */
  async function append(entries: readonly AuditEntry[]): Promise<AuditRow[]> {
    return store.transaction(async () => {
      let head = await lockedHead()
      if (!anchorChecked) head = await checkAnchor(head)
      const rows: AuditRow[] = []
      // PostgreSQL: chained a step at a time, each step hashed while the server writes the one before.
      const step = store.kind === 'postgres' ? CHAIN_STEP : Math.max(1, entries.length)
      let writing: Promise<void> = Promise.resolve()
      for (let at = 0; at < entries.length; at += step) {
        const chunk: AuditRow[] = []
        for (const e of entries.slice(at, at + step)) chunk.push((head = chained(e, head)))
        await writing
        writing = insertRows(chunk)
        rows.push(...chunk)
      }
      await writing
      if (head) await moveHead(head)
      const written = head
      if (written) store.afterCommit(() => follow(written))
      return rows
    })
  }

  /** After the commit: the anchor follows the committed head (never moves back). */
  /** The anchor moves to `head` (never back): right after the commit that wrote it. */
  function follow(head: Head): void {
    const current = anchor.read()
    if (current && current.id >= head.id) return
    anchor.write({ id: head.id, hash: head.hash, mac: anchorMac(sealer, head.id, head.hash) })
  }

  /** The anchor to the committed head as the database has it now (shutdown, tests). */
  async function flush(): Promise<void> {
    let head: Head | undefined
    try {
      head = await store.get<Head>('SELECT id, hash FROM audit_head WHERE one = 1')
    } catch {
      return // closed meanwhile (close() flushed already), or the server is away: the next append moves it
    }
    if (head) follow(head)
  }

  return {
    async record(entry: AuditEntry): Promise<AuditRow> {
      return (await append([entry]))[0]!
    },
    /** Many rows in the caller's transaction (an import's chunk): the chain's head is read once. */
    async recordMany(entries: readonly AuditEntry[]): Promise<void> {
      if (!store.inTransaction) throw new Error('recordMany runs inside a transaction')
      await append(entries)
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
async function walkPage(q: Queryable, sealer: Sealer, saved: Anchor | null, w: Walk): Promise<AuditVerification | 'end' | 'more'> {
  const page = await q.all<AuditRow>('SELECT * FROM audit_log WHERE id >= ? ORDER BY id LIMIT ?', [w.expectedId, WALK_PAGE])
  for (const r of page) {
    if (r.id !== w.expectedId) return broken(w, w.expectedId, problem('audit.verify.missing', { row: w.expectedId }))
    if (r.prev_hash !== w.prev) return broken(w, r.id, problem('audit.verify.notFollowing', { row: r.id, previous: r.id - 1 }))
    if (r.chain === 1 && w.keyed) return broken(w, r.id, problem('audit.verify.notSigned', { row: r.id }))
    if (rowHash(r, sealer) !== r.hash) return broken(w, r.id, problem('audit.verify.edited', { row: r.id }))
    if (r.event === 'audit.anchor-broken') return broken(w, r.id, problem('audit.verify.anchorDidNotFit', { row: r.id, detail: (JSON.parse(r.details) as { problem?: string }).problem ?? '?' }))
    if (saved && r.id === saved.id && r.hash !== saved.hash) return broken(w, r.id, problem('audit.verify.rewritten', { row: r.id }))
    w.keyed ||= r.chain === 2
    w.prev = r.hash
    w.expectedId += 1
    w.rows += 1
    w.checked += 1
  }
  return page.length < WALK_PAGE ? 'end' : 'more'
}

/** At the end of the chain: the anchor must be intact and no further than the last row. */
function finish(sealer: Sealer, anchor: AnchorStore, saved: Anchor | null, w: Walk): AuditVerification {
  if (saved && anchorMac(sealer, saved.id, saved.hash) !== saved.mac) return broken(w, w.rows, problem('audit.verify.anchorAltered', { file: ANCHOR_FILE }))
  if (saved && saved.id > w.rows) return broken(w, w.rows + 1, problem('audit.verify.removedFromEnd', { from: w.rows + 1, to: saved.id }))
  if (!saved && w.keyed && anchor.required !== false) return broken(w, w.rows, problem('audit.verify.anchorMissing', { file: ANCHOR_FILE }))
  return { ok: true, rows: w.rows, head: w.prev, checked: w.checked }
}

/** Where a walk from `checkpoint` starts, or why it cannot (the checkpoint row itself changed). */
async function startAt(q: Queryable, checkpoint: Checkpoint | null): Promise<Walk | AuditVerification> {
  const fresh: Walk = { prev: GENESIS_HASH, expectedId: 1, rows: 0, keyed: false, checked: 0 }
  if (!checkpoint) return fresh
  const row = await q.get<{ hash: string; chain: number }>('SELECT hash, chain FROM audit_log WHERE id = ?', [checkpoint.id])
  if (row?.hash !== checkpoint.hash) return broken(fresh, checkpoint.id, problem('audit.verify.changedSinceVerified', { row: checkpoint.id }))
  return { prev: checkpoint.hash, expectedId: checkpoint.id + 1, rows: checkpoint.rows, keyed: row.chain === 2, checked: 0 }
}

/**
 * Walks the chain in id order from the start (or from `checkpoint`): stops at the first row that
 * does not fit, then checks the anchor. With `pause`, gives the event loop back between pages.
 */
export async function verifyAuditFrom(q: Queryable, sealer: Sealer, anchor: AnchorStore, checkpoint: Checkpoint | null, pause?: (w: Walk) => Promise<void>): Promise<AuditVerification> {
  const saved = anchor.read()
  const w = await startAt(q, checkpoint)
  if ('ok' in w) return w
  for (;;) {
    const step = await walkPage(q, sealer, saved, w)
    if (step === 'end') return finish(sealer, anchor, saved, w)
    if (step !== 'more') return step
    await pause?.(w)
  }
}

/** The whole chain, at once (the CLI, tests). */
export function verifyAudit(q: Queryable, sealer: Sealer, anchor: AnchorStore): Promise<AuditVerification> {
  return verifyAuditFrom(q, sealer, anchor, null)
}
