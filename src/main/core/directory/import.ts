/**
 * CSV import of users, streamed: the file is parsed as it is read, each row checked and set aside
 * in `import_rows` (so memory stays flat at a million rows), and only when every row passed are
 * users created, in chunks of short transactions with progress. All or nothing: a refused file
 * creates nobody, and a cancel during the writing removes the users this import created (the audit
 * log keeps the record of both). Imported users have no password; they set one through a
 * registration link.
 */
import { Readable } from 'node:stream'
import { parse } from 'csv-parse'
import type { ImportReport } from '../../../shared/admin-dto'
import type { Role } from '../../../shared/dto'
import { displayNameSchema, emailSchema, roleSchema, usernameSchema } from '../../../shared/validation'
import type { Audit } from '../audit'
import type { Clock } from '../clock'
import type { JobControl } from '../jobs'
import type { Db } from '../../db/open'
import type { UserRow } from '../../db/queries/users'

const IMPORT_COLUMNS = ['username', 'email', 'display_name', 'role'] as const
type Column = (typeof IMPORT_COLUMNS)[number]
/** No real row is longer: a longer one is refused at once instead of being read into memory. */
export const IMPORT_MAX_ROW_CHARS = 2_000
/** Rows per file: the largest organisation Tessera is built for. */
export const IMPORT_MAX_ROWS = 1_000_000
/** A refused row's report quotes at most this much of what was typed. */
const ECHO_MAX_CHARS = 64
/** Refused rows listed in the report (all are counted). */
const REFUSED_LISTED = 1_000
/** Rows checked, or users created, between two pauses. */
const CHUNK = 500

const echo = (text: string) => (text.length > ECHO_MAX_CHARS ? `${text.slice(0, ECHO_MAX_CHARS)}… (${text.length} characters)` : text)

type Refusal = ImportReport['refused'][number]
type Staged = { line: number; username: string; email: string; display_name: string; role: Role }

/** The CSV as text (from the IPC call) or as a stream of bytes (a file), with its size for progress. */
export type ImportSource = { text: string } | { stream: Readable; bytes: number }

function headerOf(record: string[]): Record<Column, number> | Refusal {
  const header = record.map((h) => h.toLowerCase().replace(/[\s-]/g, '_'))
  const missing = IMPORT_COLUMNS.filter((c) => !header.includes(c))
  if (missing.length) return { line: 1, username: '', reason: `The header must name the columns ${IMPORT_COLUMNS.join(', ')}; missing: ${missing.join(', ')}.` }
  return Object.fromEntries(IMPORT_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<Column, number>
}

function csvProblem(error: unknown): Refusal {
  const e = error as Error & { code?: string; lines?: number }
  const reason = e.code === 'CSV_MAX_RECORD_SIZE' ? `a row is longer than ${IMPORT_MAX_ROW_CHARS.toLocaleString('en')} characters` : echo(e.message)
  return { line: e.lines ?? 0, username: '', reason: `The file is not valid CSV: ${reason}.` }
}

export function createImporter(deps: { db: Db; clock: Clock; audit: Audit }) {
  const { db, clock, audit } = deps

  /** Checks one row and sets it aside; returns why it is refused, or null. */
  function check(actor: UserRow | null, line: number, rec: string[], col: Record<Column, number>): Refusal | null {
    const raw = (c: Column) => rec[col[c]] ?? ''
    const checks = [
      ['username', usernameSchema.safeParse(raw('username'))],
      ['e-mail', emailSchema.safeParse(raw('email'))],
      ['display name', displayNameSchema.safeParse(raw('display_name'))],
      ['role', roleSchema.safeParse(raw('role').toLowerCase() || 'user')]
    ] as const
    const bad = checks.find(([, r]) => !r.success)
    if (bad) return { line, username: echo(raw('username')), reason: `${bad[0]}: ${bad[1].error?.issues[0]?.message ?? 'not valid'}` }
    const [username, email, displayName, role] = checks.map(([, r]) => r.data) as [string, string, string, Role]
    if (actor?.role === 'helpdesk' && role !== 'user') return { line, username, reason: 'help-desk staff can import user accounts only' }
    const taken = (column: 'username' | 'email', value: string) =>
      !!db.prepare(`SELECT 1 FROM users WHERE ${column} = ? UNION ALL SELECT 1 FROM import_rows WHERE ${column} = ?`).get(value, value)
    if (taken('username', username)) return { line, username, reason: 'username already in use' }
    if (taken('email', email)) return { line, username, reason: 'e-mail already in use' }
    db.prepare('INSERT INTO import_rows (line, username, email, display_name, role) VALUES (?, ?, ?, ?, ?)').run(line, username, email, displayName, role)
    return null
  }

  /** Parses and checks every row; returns the refusals (none: every row waits in import_rows). */
  async function checkAll(actor: UserRow | null, source: ImportSource, control: JobControl): Promise<{ refused: Refusal[]; refusedCount: number; rows: number }> {
    const bytes = 'text' in source ? Buffer.byteLength(source.text) : source.bytes
    const input = 'text' in source ? Readable.from([source.text]) : source.stream
    let read = 0
    input.on('data', (chunk: Buffer | string) => (read += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length))
    const parser = input.pipe(parse({ bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, max_record_size: IMPORT_MAX_ROW_CHARS, to: IMPORT_MAX_ROWS + 2, info: true }))
    const refused: Refusal[] = []
    let refusedCount = 0
    let col: Record<Column, number> | null = null
    let rows = 0
    const refuse = (r: Refusal) => {
      refusedCount += 1
      if (refused.length < REFUSED_LISTED) refused.push(r)
    }
    let batch: { line: number; rec: string[] }[] = []
    const flush = () => {
      db.transaction(() => {
        for (const { line, rec } of batch) {
          const problem = check(actor, line, rec, col!)
          if (problem) refuse(problem)
        }
      }).immediate()
      batch = []
    }
    try {
      for await (const { record: rec, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        const line = info.lines
        if (!col) {
          const header = headerOf(rec)
          if ('reason' in header) return { refused: [header], refusedCount: 1, rows: 0 }
          col = header
          continue
        }
        rows += 1
        if (rows > IMPORT_MAX_ROWS) return { refused: [{ line, username: '', reason: `A file can hold at most ${IMPORT_MAX_ROWS.toLocaleString('en')} users: split it.` }], refusedCount: 1, rows }
        batch.push({ line, rec })
        if (batch.length === CHUNK) {
          flush()
          control.progress(read, bytes)
          await control.pause()
        }
      }
      if (batch.length) flush()
    } catch (error) {
      if (control.signal.aborted) throw error
      return { refused: [csvProblem(error)], refusedCount: 1, rows }
    } finally {
      input.destroy()
    }
    if (!col) return { refused: [{ line: 0, username: '', reason: 'The file is empty: it needs a header and at least one user.' }], refusedCount: 1, rows: 0 }
    if (rows === 0 && refusedCount === 0) refuse({ line: 0, username: '', reason: 'The file has no users in it.' })
    return { refused, refusedCount, rows }
  }

  /** Creates the users set aside, a chunk per transaction; returns the ids created. */
  async function createAll(actor: UserRow | null, workstation: string, total: number, control: JobControl, created: number[]): Promise<void> {
    const by = actor && { id: actor.id, username: actor.username }
    let after = 0
    for (;;) {
      const done = db.transaction(() => {
        const chunk = db.prepare(`SELECT * FROM import_rows WHERE line > ? ORDER BY line LIMIT ${CHUNK}`).all(after) as Staged[]
        if (chunk.length === 0) return 0
        db.prepare('INSERT INTO bulk_load (one) VALUES (1)').run()
        const now = clock.now()
        const insert = db.prepare('INSERT INTO users (username, email, display_name, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
        const ids = chunk.map((r) => Number(insert.run(r.username, r.email, r.display_name, r.role, now, now).lastInsertRowid))
        db.prepare('INSERT INTO users_fts (rowid, username, display_name, email) SELECT id, username, display_name, email FROM users WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(ids))
        db.prepare('DELETE FROM bulk_load').run()
        audit.recordMany(chunk.map((r, i) => ({ event: 'user.created', actor: by, subject: { id: ids[i]!, username: r.username }, workstation, details: { role: r.role, via: 'import', line: r.line } })))
        after = chunk.at(-1)!.line
        created.push(...ids)
        return chunk.length
      }).immediate()
      if (done === 0) return
      control.progress(created.length, total)
      await control.pause()
    }
  }

  /** A cancel after users were created: they are removed again, and the log says so. */
  function undo(actor: UserRow | null, workstation: string, created: number[]): void {
    for (let i = 0; i < created.length; i += CHUNK) {
      db.prepare('DELETE FROM users WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(created.slice(i, i + CHUNK)))
    }
    audit.record({ event: 'users.import-cancelled', actor: actor && { id: actor.id, username: actor.username }, workstation, details: { removed: created.length } })
  }

  return {
    async run(actor: UserRow | null, source: ImportSource, workstation: string, control: JobControl): Promise<ImportReport> {
      db.prepare('DELETE FROM import_rows').run()
      const created: number[] = []
      try {
        const checked = await checkAll(actor, source, control)
        if (checked.refusedCount > 0) return { ok: false, created: 0, refused: checked.refused, refusedCount: checked.refusedCount }
        await createAll(actor, workstation, checked.rows, control, created)
        return { ok: true, created: created.length, refused: [], refusedCount: 0 }
      } catch (error) {
        if (created.length) undo(actor, workstation, created)
        throw error
      } finally {
        db.prepare('DELETE FROM import_rows').run()
      }
    }
  }
}

export type Importer = ReturnType<typeof createImporter>
