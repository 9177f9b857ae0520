/**
 * CSV import of users, streamed: the file is parsed as it is read, each row checked and set aside
 * in `import_rows` (so memory stays flat at a million rows), and only when every row passed are
 * users created, in chunks of short transactions with progress. All or nothing: a refused file
 * creates nobody, and a cancel during the writing removes the users this import created (the audit
 * log keeps the record of both). The console checks a file first (a dry run) and then confirms it:
 * the rows set aside wait for the confirmation, so the file is not sent and read twice. Imported
 * users have no password; they set one through a registration link.
 */
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { parse } from 'csv-parse'
import type { ImportReport } from '../../../shared/admin-dto'
import type { Role } from '../../../shared/dto'
import { undefuse } from '../csv-export'
import { displayNameSchema, emailSchema, phoneSchema, problem, roleSchema, usernameSchema } from '../../../shared/validation'
import type { Audit, AuditEntry } from '../audit'
import type { Clock } from '../clock'
import { DomainError } from '../domain-error'
import type { JobControl } from '../jobs'
import type { JobJournal, RunningJob } from '../job-journal'
import { createCheckpoints, type Checkpoints } from '../../db/checkpoints'
import type { Db } from '../../db/open'
import type { Store } from '../../store'
import type { UserRow } from '../../db/queries/users'
import { EARLIER_ROW, stageImportRows } from '../../store/postgres/bulk-users'
import { sharedCreator, type Recorder } from './import-shared'
import { importRecord } from './import-record'

const IMPORT_COLUMNS = ['username', 'email', 'display_name', 'role'] as const
/** Columns a file may have or not. */
const OPTIONAL_COLUMNS = ['phone'] as const
type Column = (typeof IMPORT_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number]
/** No real row is longer: a longer one is refused at once instead of being read into memory. */
export const IMPORT_MAX_ROW_CHARS = 2_000
/** Rows per file: the largest organisation Tessera is built for. */
export const IMPORT_MAX_ROWS = 1_000_000
/** A refused row's report quotes at most this much of what was typed. */
const ECHO_MAX_CHARS = 64
/** Refused rows listed in the report (all are counted). */
const REFUSED_LISTED = 1_000
/**
 * Rows parsed and set aside between two pauses. PostgreSQL: one COPY, a round trip, per chunk,
 * sent while the next chunk is parsed; a chunk also ends after SLICE_MS of parsing. (2,500 rows
 * a chunk took the engine thread's event-loop delay p99 from about 20 ms to 25-37 ms while the file
 * is read, for no clear gain: one round trip a chunk is little.)
 */
const CHUNK = 500
const SHARED_CHUNK = 1_000
/**
 * Work between two pauses (rows compared, users created) is sized to take about this long.
 * PostgreSQL's slices creating users are sized in import-shared.ts.
 */
const SLICE_MS = 25
/** Rows per slice at first, and the bounds of the sizing. */
const SLICE_MIN = 100
const SLICE_MAX = 5_000
/** Text handed to the CSV parser at a time: parsing one chunk is one stretch of the event loop. */
const TEXT_CHUNK = 64 * 1024

/** The next slice's size, from how long this one took. */
const resized = (size: number, tookMs: number, max = SLICE_MAX, target = SLICE_MS) => Math.round(Math.min(max, Math.max(SLICE_MIN, (size * target) / Math.max(1, tookMs))))

/** A text in pieces of about TEXT_CHUNK characters, never between the two halves of a surrogate pair. */
export function* piecesOf(text: string, size = TEXT_CHUNK): Generator<string> {
  for (let at = 0; at < text.length; ) {
    let end = Math.min(text.length, at + size)
    const code = text.charCodeAt(end - 1)
    if (end < text.length && code >= 0xd800 && code <= 0xdbff) end -= 1
    yield text.slice(at, end)
    at = end
  }
}

const echo = (text: string) => (text.length > ECHO_MAX_CHARS ? `${text.slice(0, ECHO_MAX_CHARS)}… (${text.length} characters)` : text)

type Refusal = ImportReport['refused'][number]

/** A checked file waits this long for its confirmation. */
const STAGED_MS = 30 * 60_000
const NOTHING_WAITING = 'No checked file is waiting to be imported (another file was checked since, or 30 minutes passed): choose the file again.'

/** Rows a preview shows. */
const PREVIEW_ROWS = 5
type Staged = { line: number; username: string; email: string; display_name: string; role: Role; phone: string | null }

/** The CSV as text (from the IPC call) or as a stream of bytes (a file), with its size for progress, and its file's name. */
export type ImportSource = ({ text: string } | { stream: Readable; bytes: number }) & { name?: string }

function headerOf(record: string[]): Record<Column, number> | Refusal {
  const header = record.map((h) => h.toLowerCase().replace(/[\s-]/g, '_'))
  const missing = IMPORT_COLUMNS.filter((c) => !header.includes(c))
  if (missing.length) return { line: 1, username: '', reason: problem('users.importRefusal.header', { columns: IMPORT_COLUMNS.join(', '), missing: missing.join(', ') }) }
  return Object.fromEntries([...IMPORT_COLUMNS, ...OPTIONAL_COLUMNS].map((c) => [c, header.indexOf(c)])) as Record<Column, number>
}

function csvProblem(error: unknown): Refusal {
  const e = error as Error & { code?: string; lines?: number }
  const reason = e.code === 'CSV_MAX_RECORD_SIZE' ? problem('users.importRefusal.rowTooLong', { max: IMPORT_MAX_ROW_CHARS }) : problem('users.importRefusal.notCsv', { reason: echo(e.message) })
  return { line: e.lines ?? 0, username: '', reason }
}

/** One slice's users as created: each row set aside with the id it got, and the ranges those ids fill. */
type Slice = { made: Made[]; ranges: [number, number][] }
type Made = { line: number; id: number; username: string; role: string }

const STAGE = 'INSERT INTO import_rows (line, username, email, display_name, role, phone) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING'
const EARLIER = 'SELECT line, username = ? AS same_name FROM import_rows WHERE username = ? OR email = ? LIMIT 1'
const CLASHES = `SELECT r.line, r.username, EXISTS (SELECT 1 FROM users u WHERE u.username = r.username) AS name_taken
    FROM import_rows r
   WHERE r.line > ? AND r.line <= ?
     AND (EXISTS (SELECT 1 FROM users u WHERE u.username = r.username) OR EXISTS (SELECT 1 FROM users u WHERE u.email = r.email))
   ORDER BY r.line`

/**
 * `sqlite`: the SQLite connection the store runs on (null on PostgreSQL), for the fast path that
 * creates the users and for the write-ahead log's checkpoints between slices (see `sqliteSlice`
 * and db/checkpoints.ts); everything else goes through the store. On PostgreSQL (no `sqlite`)
 * the rows are set aside one COPY per chunk (store/postgres/bulk-users.ts) and the users created
 * in slices two at a time, each one INSERT ... SELECT on the server, their audit rows one COPY
 * more (import-shared.ts).
 */
export function createImporter(deps: { store: Store; sqlite: Db | null; clock: Clock; audit: Audit; journal: JobJournal }) {
  const { store, sqlite, clock, audit, journal } = deps
  /** PostgreSQL: the users created in slices of their own (import-shared.ts). */
  const shared = sqlite ? null : sharedCreator({ store, clock, audit })
  const { removeCreated, recover, clearScratch, takeScratch, alreadyImported } = importRecord({ store, audit, journal })

  /** Between two slices that wrote: the event loop back, and the log copied back when due (a step of its own). */
  async function betweenSlices(control: JobControl, wal: Checkpoints): Promise<void> {
    await control.pause()
    if (!wal.written()) return
    wal.copy()
    await control.pause()
  }

  /** Checks one row on its own: the row as it would be set aside, or why it is refused. */
  function validate(actor: UserRow | null, line: number, rec: string[], col: Record<Column, number>): Staged | Refusal {
    const raw = (c: Column) => (col[c] < 0 ? '' : undefuse(rec[col[c]] ?? ''))
    const checks = [
      ['username', usernameSchema.safeParse(raw('username'))],
      ['email', emailSchema.safeParse(raw('email'))],
      ['displayName', displayNameSchema.safeParse(raw('display_name'))],
      ['role', roleSchema.safeParse(raw('role').toLowerCase() || 'user')],
      ['phone', phoneSchema.safeParse(raw('phone'))]
    ] as const
    const bad = checks.find(([, r]) => !r.success)
    if (bad) return { line, username: echo(raw('username')), reason: problem('users.importRefusal.field', { field: bad[0], problem: bad[1].error?.issues[0]?.message ?? problem('validation.format') }) }
    const [username, email, displayName, role, phone] = checks.map(([, r]) => r.data) as [string, string, string, Role, string | null]
    if (actor?.role === 'helpdesk' && role !== 'user') return { line, username, reason: problem('users.importRefusal.helpDeskUsersOnly') }
    return { line, username, email, display_name: displayName, role, phone }
  }

  /** Why a row that could not be set aside is refused: the row before it with its username or e-mail. */
  async function clash(r: Staged): Promise<Refusal> {
    const first = (await store.get<{ line: number; same_name: unknown }>(sqlite ? EARLIER : EARLIER_ROW, [r.username, r.username, r.email]))!
    return { line: r.line, username: r.username, reason: problem('users.importRefusal.alsoOnLine', { what: first.same_name ? 'username' : 'email', line: first.line }) }
  }

  /**
   * Sets aside the rows of a chunk that passed their own checks; returns the chunk's refusals in
   * line order. SQLite: one INSERT per row (in process, cheap) in the caller's transaction;
   * PostgreSQL: one COPY for the chunk (store/postgres/bulk-users.ts).
   */
  async function stageChunk(checked: readonly (Staged | Refusal)[]): Promise<Refusal[]> {
    const found: Refusal[] = []
    if (sqlite) {
      for (const r of checked) {
        if ('reason' in r) found.push(r)
        else if ((await store.run(STAGE, [r.line, r.username, r.email, r.display_name, r.role, r.phone])).changes !== 1) found.push(await clash(r))
      }
      return found
    }
    const valid = checked.filter((r): r is Staged => !('reason' in r))
    const staged = await stageImportRows(store, valid)
    for (const r of checked) {
      if ('reason' in r) found.push(r)
      else if (!staged.has(r.line)) found.push(await clash(r))
    }
    return found
  }

  /** Rows set aside whose username or e-mail an existing user already has, compared in steps. */
  async function compareWithDirectory(control: JobControl, refuse: (r: Refusal) => void): Promise<void> {
    const last = (await store.get<{ line: number | null }>('SELECT max(line) AS line FROM import_rows'))?.line ?? 0
    for (let from = 0, size = SLICE_MIN; from < last; ) {
      const t0 = performance.now()
      for (const c of await store.all<{ line: number; username: string; name_taken: unknown }>(CLASHES, [from, from + size])) {
        refuse({ line: c.line, username: c.username, reason: problem('users.importRefusal.inUse', { what: c.name_taken ? 'username' : 'email' }) })
      }
      from += size
      size = resized(size, performance.now() - t0, 100_000)
      control.progress(Math.min(from, last), last, { label: 'Comparing with the directory', unit: 'rows' })
      await control.pause()
    }
  }

  /**
   * Parses and checks every row, then compares the rows set aside with the directory; returns the
   * refusals in line order (none: every row waits in import_rows).
   */
  async function checkAll(actor: UserRow | null, source: ImportSource, control: JobControl): Promise<{ refused: Refusal[]; refusedCount: number; rows: number; digest: string | null }> {
    const refused: Refusal[] = []
    let refusedCount = 0
    let listed = 0
    const refuse = (r: Refusal) => {
      refusedCount += 1
      if (listed < REFUSED_LISTED) {
        listed += 1
        refused.push(r)
      }
    }
    const parsed = await parseAll(actor, source, control, refuse)
    if ('fatal' in parsed) return { refused: [parsed.fatal], refusedCount: 1, rows: 0, digest: null }
    listed = 0
    await compareWithDirectory(control, refuse)
    refused.sort((x, y) => x.line - y.line).splice(REFUSED_LISTED)
    if (parsed.rows === 0 && refusedCount === 0) refuse({ line: 0, username: '', reason: problem('users.importRefusal.noUsers') })
    return { refused, refusedCount, rows: parsed.rows, digest: parsed.digest }
  }

  /** Reads the file as a stream, checks each row on its own and sets it aside in chunks. */
  async function parseAll(actor: UserRow | null, source: ImportSource, control: JobControl, refuse: (r: Refusal) => void): Promise<{ rows: number; digest: string } | { fatal: Refusal }> {
    const bytes = 'text' in source ? Buffer.byteLength(source.text) : source.bytes
    const input = 'text' in source ? Readable.from(piecesOf(source.text)) : source.stream
    let read = 0
    // The file's SHA-256, as read: "the same file again" is told by it (see `alreadyImported`).
    const hash = createHash('sha256')
    input.on('data', (chunk: Buffer | string) => {
      hash.update(chunk)
      read += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length
    })
    const parser = input.pipe(parse({ bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, max_record_size: IMPORT_MAX_ROW_CHARS, to: IMPORT_MAX_ROWS + 2, info: true }))
    let col: Record<Column, number> | null = null
    let rows = 0
    let batch: (Staged | Refusal)[] = []
    const wal = createCheckpoints(sqlite)
    // PostgreSQL: a chunk is set aside while the next one is parsed (the server works on the other
    // core meanwhile); at most one chunk is in flight, and chunks are refused in order.
    let inFlight = null as Promise<void> | null
    const failures = new Set<unknown>()
    let since = performance.now()
    const flush = async () => {
      const chunk = batch
      batch = []
      await inFlight
      // SQLite: a transaction per chunk. PostgreSQL: the chunk's COPY is atomic by itself (one round trip).
      inFlight = (sqlite ? store.transaction(() => stageChunk(chunk)) : stageChunk(chunk)).then(
        (problems) => problems.forEach(refuse),
        (error: unknown) => {
          failures.add(error)
          throw error
        }
      )
      inFlight.catch(() => undefined) // seen at the next flush, or below; not an unhandled rejection meanwhile
      if (sqlite) await inFlight
    }
    try {
      for await (const { record: rec, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        const line = info.lines
        if (!col) {
          const header = headerOf(rec)
          if ('reason' in header) return { fatal: header }
          col = header
          continue
        }
        rows += 1
        if (rows > IMPORT_MAX_ROWS) return { fatal: { line, username: '', reason: problem('users.importRefusal.tooMany', { max: IMPORT_MAX_ROWS }) } }
        batch.push(validate(actor, line, rec, col))
        // PostgreSQL: a chunk also ends after SLICE_MS of parsing (the first rows run before the code is warm).
        if (batch.length === (sqlite ? CHUNK : SHARED_CHUNK) || (!sqlite && batch.length % 50 === 0 && performance.now() - since > SLICE_MS)) {
          await flush()
          control.progress(read, bytes, { label: 'Reading the file', unit: 'bytes' })
          await betweenSlices(control, wal)
          since = performance.now()
        }
      }
      if (batch.length) await flush()
      await inFlight
    } catch (error) {
      if (control.signal.aborted || failures.has(error)) throw error
      return { fatal: csvProblem(error) }
    } finally {
      input.destroy()
      // Nothing is left writing once this returns (the caller clears import_rows next).
      await inFlight?.catch(() => undefined)
    }
    if (!col) return { fatal: { line: 0, username: '', reason: problem('users.importRefusal.empty') } }
    return { rows, digest: hash.digest('hex') }
  }

  /**
   * SQLite-only (moves into src/main/store/sqlite): the next `size` rows set aside after line
   * `after`, created in one INSERT ... SELECT and their search index entries in one more (bulk_load
   * holds back the per-row trigger that would add them), the ids read from the last row id. Runs
   * in the caller's transaction, which holds the connection.
   */
  async function sqliteSlice(db: Db, after: number, size: number): Promise<Slice> {
    const chunk = await store.all<Pick<Staged, 'line' | 'username' | 'role'>>('SELECT line, username, role FROM import_rows WHERE line > ? ORDER BY line LIMIT ?', [after, size])
    if (chunk.length === 0) return { made: [], ranges: [] }
    db.prepare('INSERT INTO bulk_load (one) VALUES (1)').run()
    const made = db
      .prepare(
        `INSERT INTO users (username, email, display_name, role, phone, created_at, updated_at)
         SELECT username, email, display_name, role, phone, @now, @now FROM import_rows WHERE line > @after AND line <= @upto ORDER BY line`
      )
      .run({ now: clock.now(), after, upto: chunk.at(-1)!.line })
    db.prepare('DELETE FROM bulk_load').run()
    // Row ids are handed out one above the highest, in the order of the select.
    const last = Number(made.lastInsertRowid)
    const first = last - made.changes + 1
    db.prepare('INSERT INTO users_fts (rowid, username, display_name, email) SELECT id, username, display_name, email FROM users WHERE id BETWEEN ? AND ?').run(first, last)
    return { made: chunk.map((r, i) => ({ ...r, id: first + i })), ranges: [[first, last]] }
  }

  /** A slice's audit rows: one `user.created` per user, in line order. */
  const createdEntries = (made: readonly Made[], by: AuditEntry['actor'], workstation: string): AuditEntry[] =>
    made.map((r) => ({ event: 'user.created', actor: by, subject: { id: r.id, username: r.username }, workstation, details: { role: r.role, via: 'import', line: r.line } }))

  /**
   * Creates the users set aside, in transactions sized to take about SLICE_MS each; each writes the
   * ranges of ids it created into the job's record (`record`). Returns the users created.
   * PostgreSQL: import-shared.ts.
   */
  async function createAll(actor: UserRow | null, workstation: string, total: number, control: JobControl, record: Recorder): Promise<number> {
    const by = actor && { id: actor.id, username: actor.username }
    if (!sqlite) return shared!.createAll((made) => createdEntries(made, by, workstation), total, control, record)
    const wal = createCheckpoints(sqlite)
    let after = 0
    let size = SLICE_MIN
    let done = 0
    for (;;) {
      const t0 = performance.now()
      const slice = await store.transaction(async () => {
        const slice = await sqliteSlice(sqlite, after, size)
        if (slice.made.length) {
          await audit.recordMany(createdEntries(slice.made, by, workstation))
          await record(slice.ranges)
        }
        return slice
      })
      const rows = slice.made.length
      if (rows === 0) return done
      after = slice.made.at(-1)!.line
      done += rows
      size = resized(size, performance.now() - t0)
      control.progress(done, total, { label: 'Creating users', unit: 'rows' })
      await betweenSlices(control, wal)
    }
  }

  /** The first rows set aside, as they would be created. */
  async function preview(): Promise<NonNullable<ImportReport['preview']>> {
    const rows = await store.all<Staged>(`SELECT line, username, email, display_name, role, phone FROM import_rows ORDER BY line LIMIT ${PREVIEW_ROWS}`)
    return rows.map((r) => ({ line: r.line, username: r.username, email: r.email, displayName: r.display_name, role: r.role, phone: r.phone }))
  }

  /**
   * Creates the users waiting in import_rows; a failure or a cancel removes those it created, and
   * the log says so. Where even that fails (the database lost), the job stays running in its
   * record, for the next start to roll back.
   */
  async function create(actor: UserRow | null, workstation: string, rows: number, control: JobControl, job: RunningJob): Promise<ImportReport> {
    let created: number
    await job.describe({ details: { creating: true } })
    try {
      created = await createAll(actor, workstation, rows, control, (ranges) => job.created(ranges))
    } catch (error) {
      const removed = await removeCreated(job.id)
      await store.transaction(async () => {
        await audit.record({ event: 'users.import-cancelled', actor: actor && { id: actor.id, username: actor.username }, workstation, details: { removed, job: job.id } })
        await job.settle(control.signal.aborted ? 'cancelled' : 'failed', { removed })
      })
      throw error
    }
    await job.settle('done', { created })
    return { ok: true, created, refused: [], refusedCount: 0 }
  }

  /** A checked file waiting in import_rows for its confirmation: whose, how many rows, since when, which job checked it. */
  let staged: { owner: number | null; rows: number; at: number; job: string; name: string | null; digest: string | null } | null = null
  function assertWaiting(actor: UserRow | null): void {
    if (staged === null || staged.owner !== (actor?.id ?? null) || clock.now() - staged.at > STAGED_MS) throw new DomainError('NOT_FOUND', NOTHING_WAITING)
  }

  /**
   * Runs `body` as a job recorded in the database (job-journal.ts): one import at a time in the
   * organisation. A body that throws before settling its job leaves it failed (or cancelled); where
   * the database cannot even record that, the job stays running for the next start to roll back.
   */
  async function recorded<T>(actor: UserRow | null, workstation: string, name: string | null, control: JobControl, body: (job: RunningJob) => Promise<T>): Promise<T> {
    const job = await journal.begin('users-import', { ownerId: actor?.id ?? null, actor: actor?.username ?? null, workstation }, { name })
    try {
      return await body(job)
    } catch (error) {
      await job.settle(control.signal.aborted ? 'cancelled' : 'failed').catch(() => undefined)
      throw error
    } finally {
      await job.release()
    }
  }

  /** A refused file's refusals, or the one line saying it was imported before. */
  async function refusalsOf(checked: { refused: Refusal[]; refusedCount: number; digest: string | null }): Promise<{ refused: Refusal[]; refusedCount: number }> {
    const before = checked.refusedCount > 0 ? await alreadyImported(checked.digest) : null
    return before ? { refused: [before], refusedCount: 1 } : { refused: checked.refused, refusedCount: checked.refusedCount }
  }

  journal.register('users-import', recover)

  return {
    /**
     * Checks a file and, unless `dryRun`, creates its users. A dry run writes no user: the report
     * shows the first rows as they would be created, and a file with no refusal waits (in
     * import_rows) for `confirm`, so that it is not sent and read a second time.
     */
    async run(actor: UserRow | null, source: ImportSource, workstation: string, control: JobControl, dryRun = false): Promise<ImportReport> {
      staged = null
      return recorded(actor, workstation, source.name ?? null, control, async (job) => {
        await takeScratch(job.id)
        let keep = false
        try {
          const checked = await checkAll(actor, source, control)
          await job.describe({ total: checked.rows, ...(checked.digest ? { inputDigest: checked.digest } : {}) })
          const { refused, refusedCount } = await refusalsOf(checked)
          if (dryRun) {
            keep = refusedCount === 0
            if (keep) staged = { owner: actor?.id ?? null, rows: checked.rows, at: clock.now(), job: job.id, name: source.name ?? null, digest: checked.digest }
            const report = { ok: keep, created: 0, refused, refusedCount, wouldCreate: keep ? checked.rows : 0, preview: await preview() }
            await job.settle(keep ? 'staged' : 'failed', { refused: refusedCount })
            return report
          }
          if (refusedCount > 0) {
            await job.settle('failed', { refused: refusedCount })
            return { ok: false, created: 0, refused, refusedCount }
          }
          return await create(actor, workstation, checked.rows, control, job)
        } finally {
          if (!keep) await clearScratch(job.id)
        }
      })
    },

    /** Refuses unless `actor` has a checked file waiting for its confirmation. */
    assertWaiting,

    /** Creates the users of the file `actor` checked last, compared with the directory again first. */
    async confirm(actor: UserRow | null, workstation: string, control: JobControl): Promise<ImportReport> {
      assertWaiting(actor)
      const waiting = staged!
      staged = null
      return recorded(actor, workstation, waiting.name, control, async (job) => {
        // Another process may have checked or imported a file since, replacing the rows set aside.
        const owner = await store.get<{ job_id: string }>('SELECT job_id FROM import_scratch')
        if (owner?.job_id !== waiting.job || (await store.get<{ n: number }>('SELECT count(*) AS n FROM import_rows'))!.n !== waiting.rows) throw new DomainError('NOT_FOUND', NOTHING_WAITING)
        await store.run('UPDATE import_scratch SET job_id = ?', [job.id])
        try {
          await job.describe({ total: waiting.rows, ...(waiting.digest ? { inputDigest: waiting.digest } : {}) })
          const refused: Refusal[] = []
          let refusedCount = 0
          await compareWithDirectory(control, (r) => {
            refusedCount += 1
            if (refused.length < REFUSED_LISTED) refused.push(r)
          })
          if (refusedCount > 0) {
            const report = { ok: false, created: 0, ...(await refusalsOf({ refused, refusedCount, digest: waiting.digest })) }
            await job.settle('failed', { refused: refusedCount })
            return report
          }
          return await create(actor, workstation, waiting.rows, control, job)
        } finally {
          await clearScratch(job.id)
        }
      })
    }
  }
}

export type Importer = ReturnType<typeof createImporter>
