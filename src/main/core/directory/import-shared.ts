/**
 * PostgreSQL: the CSV import's users created from the rows set aside (core/directory/import.ts),
 * in slices of lines, each slice a transaction on a pooled connection of its own:
 * 1. the users' ids taken from the identity in one burst (store/postgres/bulk-users.ts), so that a
 *    slice's ids run on in line order whatever else inserts users meanwhile;
 * 2. its users created in one INSERT ... SELECT on the server;
 * 3. the audit head locked, their audit rows chained here and written (audit.ts), the commit.
 *
 * Two slices run at once (LANES): the server creates one slice's users while the other slice's
 * users are created too (the server's other core) or its audit rows are hashed here and written,
 * so the main thread and the server mostly wait for neither. Each slice takes the audit head in its
 * turn: the log stays one chain, a slice's rows together, slices in the order they committed. The
 * ids of each slice are reserved only after the slice before reserved its own.
 *
 * Each slice writes the ranges of ids it created into the job's record in its own transaction
 * (core/job-journal.ts), so that a cancel, a failure or a crash finds every user to remove again.
 * A failure or cancel stops starting slices and waits for those still open.
 */
import type { Audit, AuditEntry } from '../audit'
import type { Clock } from '../clock'
import type { JobControl } from '../jobs'
import type { Store } from '../../store'
import { postgresUserCreator, type MadeUser } from '../../store/postgres/bulk-users'

/** Slices open at once: one for each of the server's two cores here; more would only queue. */
const LANES = 2
/**
 * A slice's INSERT of users is sized to take about this long on the server. Other seats' audited
 * changes wait for a slice's lock on the audit head while its audit rows are written (about a
 * quarter of this), and a slice's fixed cost (a few round trips, the anchor file) stays small.
 */
const SHARED_SLICE_MS = 150
/** Lines per slice at first, and the bounds of the sizing. */
const SLICE_MIN = 200
const SLICE_MAX = 5_000

/** Writes a slice's ranges of ids into its job's record, in the slice's transaction. */
export type Recorder = (ranges: [number, number][]) => Promise<void>

/** A slice as committed: its users, and how long their INSERT took for how many lines. */
type Ended = { made: MadeUser[]; lines: number; ms: number }

/** Sorted ids as the ranges of consecutive ones. */
export function rangesOf(ids: number[]): [number, number][] {
  const ranges: [number, number][] = []
  for (const id of ids) {
    const last = ranges.at(-1)
    if (last && id === last[1] + 1) last[1] = id
    else ranges.push([id, id])
  }
  return ranges
}

const idRanges = (made: MadeUser[]) => rangesOf(made.map((m) => m.id).sort((a, b) => a - b))

export function sharedCreator(deps: { store: Store; clock: Clock; audit: Audit }) {
  const { store, clock, audit } = deps
  const creator = postgresUserCreator(store)

  /** Lines (after, upto] as one transaction; `reserved` settles once its ids are taken. */
  function slice(after: number, upto: number, entries: (made: MadeUser[]) => AuditEntry[], record: Recorder): { reserved: Promise<unknown>; ended: Promise<Ended> } {
    let reserve: () => void = () => undefined
    const reserved = new Promise<void>((resolve) => (reserve = resolve))
    const ended = store.transaction(async () => {
      const made = await creator.reserve(after, upto)
      reserve()
      const t0 = performance.now()
      await creator.create(made, clock.now())
      const ms = performance.now() - t0
      if (made.length) {
        await audit.recordMany(entries(made))
        await record(idRanges(made))
      }
      return { made, lines: upto - after, ms }
    })
    ended.catch(() => undefined) // awaited by the caller, possibly later
    return { reserved: Promise.race([reserved, ended]), ended }
  }

  /**
   * Creates the users of every line set aside, LANES slices at a time; `record` writes each
   * slice's ranges of ids into the job's record, in the slice's transaction. Returns the users
   * created; when it throws, the slices still open have ended first.
   */
  async function createAll(entries: (made: MadeUser[]) => AuditEntry[], total: number, control: JobControl, record: Recorder): Promise<number> {
    const last = (await store.get<{ line: number | null }>('SELECT max(line) AS line FROM import_rows'))?.line ?? 0
    const open: Promise<Ended>[] = []
    let failed = null as { error: unknown } | null
    let done = 0
    let size = SLICE_MIN
    /** The oldest open slice's end: its users counted, the next size from its time. */
    const endOldest = async () => {
      const end = await open[0]!
      open.shift()
      done += end.made.length
      if (end.made.length) size = Math.round(Math.min(SLICE_MAX, Math.max(SLICE_MIN, (end.lines * SHARED_SLICE_MS) / Math.max(1, end.ms))))
      control.progress(done, total, { label: 'Creating users', unit: 'rows' })
    }
    try {
      for (let after = 0; after < last; ) {
        if (open.length >= LANES) await endOldest()
        if (failed) throw failed.error // a newer slice failed while the oldest ran on
        const upto = Math.min(last, after + size)
        const next = slice(after, upto, entries, record)
        next.ended.catch((error: unknown) => (failed ??= { error }))
        open.push(next.ended)
        await next.reserved
        after = upto
        await control.pause()
      }
      while (open.length) await endOldest()
      return done
    } finally {
      await Promise.allSettled(open)
    }
  }

  return { createAll }
}
