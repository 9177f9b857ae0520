/**
 * The write-ahead log copied back in a stretch of its own during a long write job, not inside one
 * of its slices: SQLite's automatic checkpoint runs in the commit that crosses
 * WAL_CHECKPOINT_PAGES and adds its whole cost (about 50 ms at 8,000 pages on this project's
 * machine) to that slice, so a call waiting behind it waited for both. A job reports each slice it
 * wrote and, when told, copies the log back as a step of its own; the slices between two copies
 * are adjusted so that each copies about half the automatic threshold (the automatic one then
 * never fires inside a slice).
 *
 * SQLite-only (moves into src/main/store/sqlite): the write-ahead log and its checkpoints. Given no
 * SQLite connection (PostgreSQL, which checkpoints by itself), a job is never told to copy.
 */
import { WAL_CHECKPOINT_PAGES, type Db } from './open'

const PAGES_PER_COPY = WAL_CHECKPOINT_PAGES / 2

export function createCheckpoints(sqlite: Db | null) {
  let since = 0
  let every = 1
  return {
    /** A slice was written: true when the log should be copied back before the next one. */
    written(): boolean {
      if (!sqlite) return false
      since += 1
      return since >= every
    },
    /** Copies the log back (without waiting for readers), and plans the next copy from its size. */
    copy(): void {
      if (!sqlite) return
      const [r] = sqlite.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[]
      const pagesPerSlice = Math.max(1, (r?.log ?? 0) / since)
      every = Math.max(1, Math.floor(PAGES_PER_COPY / pagesPerSlice))
      since = 0
    }
  }
}

export type Checkpoints = ReturnType<typeof createCheckpoints>
