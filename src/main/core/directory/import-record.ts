/**
 * The CSV import's record as a job (core/job-journal.ts): the rows set aside belong to one import
 * at a time (`import_scratch`); the users an import created are removed again, a slice at a time,
 * when it is cancelled, fails or was interrupted by a crash; and a file imported before is told by
 * its digest.
 */
import type { ImportReport } from '../../../shared/admin-dto'
import { problem } from '../../../shared/validation'
import { utcMinute } from '../../../shared/words'
import type { Audit } from '../audit'
import type { JobJournal, JobRow } from '../job-journal'
import type { Store } from '../../store'

/** Ids of users removed per transaction when an import is cancelled or rolled back. */
const UNDO_SLICE = 2_000

export function importRecord(deps: { store: Store; audit: Audit; journal: JobJournal }) {
  const { store, audit, journal } = deps

  /** How many users the job's record says it created (and has not removed yet). */
  async function createdBy(jobId: string): Promise<number> {
    return Number((await store.get<{ n: number | null }>('SELECT sum(last_id - first_id + 1) AS n FROM job_ranges WHERE job_id = ?', [jobId]))?.n ?? 0)
  }

  /**
   * Removes the users a job created, as its record lists them, a slice of ids per transaction (each
   * also shortening the record, so that a crash meanwhile resumes where it stopped). Returns how
   * many the job had created when the removal began.
   */
  async function removeCreated(jobId: string): Promise<number> {
    // The count when the removal first began, kept in case a crash cuts it short.
    await store.run('UPDATE jobs SET outcome = ? WHERE id = ? AND outcome IS NULL', [JSON.stringify({ removing: await createdBy(jobId) }), jobId])
    for (;;) {
      const range = await store.get<{ first_id: number; last_id: number }>('SELECT first_id, last_id FROM job_ranges WHERE job_id = ? ORDER BY first_id LIMIT 1', [jobId])
      if (!range) break
      const upto = Math.min(range.last_id, range.first_id + UNDO_SLICE - 1)
      await store.transaction(async () => {
        await store.run('DELETE FROM users WHERE id BETWEEN ? AND ?', [range.first_id, upto])
        if (upto === range.last_id) await store.run('DELETE FROM job_ranges WHERE job_id = ? AND first_id = ?', [jobId, range.first_id])
        else await store.run('UPDATE job_ranges SET first_id = ? WHERE job_id = ? AND first_id = ?', [upto + 1, jobId, range.first_id])
      })
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
    const outcome = await store.get<{ outcome: string }>('SELECT outcome FROM jobs WHERE id = ?', [jobId])
    return Number((JSON.parse(outcome!.outcome) as { removing: number }).removing)
  }

  /**
   * A job a crash interrupted (job-journal.ts): complete if every row set aside had been created,
   * else rolled back, its users removed again, the log saying so in one row.
   */
  async function recover(job: JobRow, settle: (state: 'done' | 'rolled-back', outcome: Record<string, unknown>) => Promise<void>): Promise<void> {
    const details = JSON.parse(job.details) as { creating?: boolean }
    if (details.creating && job.total !== null && (await createdBy(job.id)) === job.total && job.outcome === null) return settle('done', { created: job.total })
    const removed = await removeCreated(job.id)
    await store.transaction(async () => {
      await audit.record({
        event: 'users.import-rolled-back',
        workstation: job.workstation,
        details: { removed, job: job.id, startedBy: job.actor, startedAt: job.started_at, ...(job.input_name ? { file: job.input_name } : {}) }
      })
      await settle('rolled-back', { removed })
    })
    await clearScratch(job.id)
  }

  /** The rows set aside, when they are this job's. */
  async function clearScratch(jobId: string): Promise<void> {
    if ((await store.get<{ job_id: string }>('SELECT job_id FROM import_scratch'))?.job_id === jobId) await store.run('DELETE FROM import_rows')
  }

  /** The rows set aside from now on are `jobId`'s. */
  async function takeScratch(jobId: string): Promise<void> {
    await store.transaction(async () => {
      await store.run('DELETE FROM import_rows')
      await store.run('INSERT INTO import_scratch (one, job_id) VALUES (1, ?) ON CONFLICT (one) DO UPDATE SET job_id = excluded.job_id', [jobId])
    })
  }

  /** A file whose rows are refused because it was imported before: one line saying when, by whom. */
  async function alreadyImported(digest: string | null): Promise<ImportReport['refused'][number] | null> {
    const earlier = digest ? await journal.lastDone('users-import', digest) : undefined
    if (!earlier) return null
    const created = (JSON.parse(earlier.outcome ?? '{}') as { created?: number }).created ?? 0
    const time = utcMinute(earlier.finished_at ?? earlier.started_at)
    return { line: 0, username: '', reason: problem('users.importRefusal.alreadyImported', { time, hasActor: earlier.actor ? 'yes' : 'no', actor: earlier.actor ?? '', created }) }
  }

  return { removeCreated, recover, clearScratch, takeScratch, alreadyImported }
}
