/**
 * One help-desk action on many accounts: the rows selected in the directory, or every account its
 * filter matches. Runs as a job (a filter can match a million); each account goes through the same
 * service call and rules as one done by hand, and one that does not fit is skipped with the reason.
 */
import type { BulkAction, BulkReport, BulkTarget } from '../../shared/admin-dto'
import { DomainError } from './domain-error'
import type { Directory } from './directory'
import type { Helpdesk } from './helpdesk'
import type { JobControl } from './jobs'
import type { Store } from '../store'
import type { UserRow } from '../db/queries/users'

/** Accounts looked up and acted on per slice of the job. */
const SLICE = 200
/** Skipped accounts listed by name in the report (all are counted). */
const LISTED = 50

export function createBulk(deps: { store: Store; directory: Directory; helpdesk: Helpdesk }) {
  const { store, directory, helpdesk } = deps

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

  async function actOn(actor: UserRow, id: number, action: BulkAction, reason: string, workstation: string): Promise<string | null> {
    try {
      if (action === 'unlock') await helpdesk.unlock(actor, id, workstation)
      else if (action === 'enrolment-link') await helpdesk.sendEnrolmentLink(actor, id, workstation)
      else if ((await helpdesk.resetTwoFactor(actor, id, reason, workstation)) === 'awaiting-approval') return 'an administrator: the reset waits for a second administrator'
      return null
    } catch (error) {
      if (error instanceof DomainError) return error.message
      throw error
    }
  }

  return {
    async run(actor: UserRow, target: BulkTarget, action: BulkAction, reason: string, workstation: string, control: JobControl): Promise<BulkReport> {
      const total = await count(target)
      const report: BulkReport = { action, done: 0, skipped: [], skippedCount: 0 }
      const name = async (id: number) => (await store.get<{ username: string }>('SELECT username FROM users WHERE id = ?', [id]))?.username ?? `#${id}`
      let seen = 0
      for await (const ids of idsOf(target, control)) {
        for (const id of ids) {
          const skipped = await actOn(actor, id, action, reason, workstation)
          if (skipped === null) report.done += 1
          else if (report.skippedCount++ < LISTED) report.skipped.push({ username: await name(id), reason: skipped })
        }
        seen += ids.length
        control.progress(seen, Math.max(total, seen))
        await control.pause()
      }
      return report
    }
  }
}

export type Bulk = ReturnType<typeof createBulk>
