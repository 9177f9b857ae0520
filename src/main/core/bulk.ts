/**
 * One help-desk action on many accounts: the rows selected in the directory, or every account its
 * filter matches. Runs as a job (a filter can match a million); each account goes through the same
 * service call and rules as one done by hand, and one that does not fit is skipped with the reason.
 *
 * Recorded while it runs (job-journal.ts): each account done is written into the job's record in
 * the action's own transaction, so that after a crash the next start reports exactly which accounts
 * it had done (and logs it). An interrupted bulk action is not resumed: the help desk reads what
 * was done and starts it again on the rest if they still want it.
 */
import type { BulkAction, BulkReport, BulkTarget } from '../../shared/admin-dto'
import { DomainError } from './domain-error'
import type { Directory } from './directory'
import type { Helpdesk } from './helpdesk'
import type { JobControl } from './jobs'
import type { JobJournal, JobRow, SettledState } from './job-journal'
import type { Audit } from './audit'
import { NOTICE_NAMES } from '../../shared/job-notices'
import type { Store } from '../store'
import type { UserRow } from '../db/queries/users'

/** Accounts looked up and acted on per slice of the job. */
const SLICE = 200
/** Skipped accounts listed by name in the report (all are counted). */
const LISTED = 50

export function createBulk(deps: { store: Store; directory: Directory; helpdesk: Helpdesk; journal: JobJournal; audit: Audit }) {
  const { store, directory, helpdesk, journal, audit } = deps

  /** The target's account ids, a slice at a time, in username order. */
  async function* idsOf(target: BulkTarget, control: JobControl): AsyncGenerator<number[], void, void> {
    if ('ids' in target) {
      for (let i = 0; i < target.ids.length; i += SLICE) yield target.ids.slice(i, i + SLICE)
      return
    }
    const query = { ...target.filter, sort: 'username' as const, descending: false, limit: SLICE }
    let total = Infinity
    for (let offset = 0; offset < total; offset += SLICE) {
      const page = await directory.list({ ...query, offset })
      total = page.total
      if (page.rows.length === 0) return
      yield page.rows.map((r) => r.id)
      await control.pause()
    }
  }

  async function count(target: BulkTarget): Promise<number> {
    return 'ids' in target ? target.ids.length : (await directory.list({ ...target.filter, sort: 'username', descending: false, offset: 0, limit: 1 })).total
  }

  /** `done`: the account recorded as done, in the action's own transaction. */
  async function actOn(actor: UserRow, id: number, action: BulkAction, reason: string, workstation: string, done: () => Promise<void>): Promise<string | null> {
    try {
      if (action === 'unlock') await helpdesk.unlock(actor, id, workstation, done)
      else if (action === 'enrolment-link') await helpdesk.sendEnrolmentLink(actor, id, workstation, done)
      else if ((await helpdesk.resetTwoFactor(actor, id, reason, workstation, done)) === 'awaiting-approval') return 'an administrator: the reset waits for a second administrator'
      return null
    } catch (error) {
      if (error instanceof DomainError) return error.message
      throw error
    }
  }

  /** A bulk action a crash interrupted: what it had done, logged and kept as a notice (job-journal.ts). */
  async function recover(job: JobRow, settle: (state: SettledState, outcome: Record<string, unknown>) => Promise<void>): Promise<void> {
    const counts = (await store.get<{ done: number; skipped: number }>(
      'SELECT count(*) - count(skipped) AS done, count(skipped) AS skipped FROM job_items WHERE job_id = ?', [job.id]
    ))!
    const names = await store.all<{ username: string }>(`SELECT username FROM job_items WHERE job_id = ? AND skipped IS NULL ORDER BY username LIMIT ${NOTICE_NAMES}`, [job.id])
    const action = (JSON.parse(job.details) as { action?: string }).action ?? null
    const outcome = { action, done: Number(counts.done), skipped: Number(counts.skipped), names: names.map((n) => n.username) }
    await store.transaction(async () => {
      await audit.record({ event: 'users.bulk-interrupted', workstation: job.workstation, details: { job: job.id, action, done: outcome.done, skipped: outcome.skipped, startedBy: job.actor, startedAt: job.started_at } })
      await settle('interrupted', outcome)
    })
  }
  journal.register('users-bulk', recover)

  return {
    async run(actor: UserRow, target: BulkTarget, action: BulkAction, reason: string, workstation: string, control: JobControl): Promise<BulkReport> {
      const total = await count(target)
      const job = await journal.begin('users-bulk', { ownerId: actor.id, actor: actor.username, workstation }, { total, details: { action, reason } })
      const report: BulkReport = { action, done: 0, skipped: [], skippedCount: 0 }
      const name = async (id: number) => (await store.get<{ username: string }>('SELECT username FROM users WHERE id = ?', [id]))?.username ?? `#${id}`
      let seen = 0
      try {
        for await (const ids of idsOf(target, control)) {
          for (const id of ids) {
            const skipped = await actOn(actor, id, action, reason, workstation, () => job.item(id))
            if (skipped === null) report.done += 1
            else {
              await job.item(id, skipped)
              if (report.skippedCount++ < LISTED) report.skipped.push({ username: await name(id), reason: skipped })
            }
          }
          seen += ids.length
          control.progress(seen, Math.max(total, seen))
          await control.pause()
        }
        await job.settle('done', { action, done: report.done, skipped: report.skippedCount })
        return report
      } catch (error) {
        await job.settle(control.signal.aborted ? 'cancelled' : 'failed', { action, done: report.done, skipped: report.skippedCount }).catch(() => undefined)
        throw error
      } finally {
        await job.release()
      }
    }
  }
}

export type Bulk = ReturnType<typeof createBulk>
