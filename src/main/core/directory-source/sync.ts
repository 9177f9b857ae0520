/**
 * A directory sync, as a job (recorded: core/job-journal.ts, one at a time in the organisation):
 * connect as the service account, read the groups' members (the roles), then the people, a page at
 * a time, each page applied in its own transaction (apply.ts); then, once the whole read is in,
 * disable those the directory disables and, on a full read, those gone from it.
 *
 * Incremental syncs ask only for what changed since the last one (OpenLDAP `entryCSN`, a stamp to
 * the microsecond, where `modifyTimestamp` is to the second and would read a whole second again; AD
 * `uSNChanged`, both as the highest stamp seen in the entries read, on AD no higher than the
 * server's highestCommittedUSN when the read began); deletions are only caught by a full read. An
 * AD USN is counted by one domain controller's database: the watermark is kept with that database's
 * invocation id (ldap/server-identity.ts), and a sync that reaches another one (the next server, a
 * DC restored from a backup) or cannot tell which it is reads everything, under the full read's
 * safety rule, and its report says why (`fullBecause`, kept in the job's record that the status
 * lists). Safety: a read that fails or stops part-way disables nobody (the disabling comes after
 * it); a sync that would disable more than `maxDisablePercent` of the accounts the directory gave
 * Tessera stops there and waits for an administrator, who confirms it with a full sync of their own.
 * A sync interrupted by a crash is settled as interrupted: every page it applied is the directory's
 * truth, and the next sync goes on from there.
 */
import type { Role } from '../../../shared/dto'
import type { DirectorySource, SyncCounts, SyncRefusal, SyncReport, SyncRequest } from '../../../shared/directory-source'
import type { Audit } from '../audit'
import type { Clock } from '../clock'
import { DomainError } from '../domain-error'
import type { JobControl } from '../jobs'
import type { JobJournal, Starter } from '../job-journal'
import type { SessionStore } from '../sessions'
import type { Store } from '../../store'
import { createApplier, type Applied } from './apply'
import { connect } from './ldap/connection'
import { attributesOf, membersFilter, pagesOf, personOf, stableIdOf, type Person } from './ldap/people'
import { identityOf, type ServerIdentity } from './ldap/server-identity'
import type { SourceSettings } from './settings'
import { problem } from '../../../shared/validation'

export type { SyncReport, SyncRequest } from '../../../shared/directory-source'

/** Refusals listed in a report. */
const LISTED = 50
/** People applied per transaction (a page holds up to 1,000). */
const APPLY_SLICE = 100
/** Accounts disabled per transaction. */
const DISABLE_SLICE = 500

type Connection = Awaited<ReturnType<typeof connect>>
type State = { changed_since: string | null; invocation_id: string | null; last_full_at: number | null }

const zero = (): SyncCounts => ({ seen: 0, created: 0, updated: 0, renamed: 0, disabled: 0, enabled: 0, roleChanged: 0, refused: 0 })

/** The filter of an incremental read: what changed since the stamp (inclusive: a stamp's second may hold more). */
function changedSince(source: DirectorySource, since: string): string {
  return source.kind === 'active-directory' ? `(&${source.userFilter}(uSNChanged>=${Number(since)}))` : `(&${source.userFilter}(entryCSN>=${since}))`
}

/** A change stamp comparable as text: AD's USN padded, which is how it is compared while reading (the stored one too). */
function comparable(source: DirectorySource, stamp: string): string {
  return source.kind === 'active-directory' ? stamp.padStart(20, '0') : stamp
}

/** The change stamp of an entry, comparable as text. */
function stampOf(source: DirectorySource, e: Record<string, unknown>): string | null {
  const name = source.kind === 'active-directory' ? 'usnchanged' : 'entrycsn'
  const key = Object.keys(e).find((k) => k.toLowerCase() === name)
  const v = key ? e[key] : undefined
  const text = Array.isArray(v) ? String(v[0] ?? '') : v === undefined ? '' : String(v)
  return text ? comparable(source, text) : null
}

/**
 * Why an incremental read of Active Directory cannot go on from the stored uSNChanged watermark, or
 * null when it can: the server reached now is the database (invocation id) that counted it.
 */
function untrustedBecause(url: string, identity: ServerIdentity, stored: string | null): string | null {
  if (identity.invocationId === null) return problem('staffRefusals.fullSyncNoInvocationId', { url, unknown: identity.unknown ?? '' })
  if (stored === null) return problem('staffRefusals.fullSyncNoWatermark')
  if (stored === identity.invocationId) return null
  return problem('staffRefusals.fullSyncOtherDatabase', { url, then: stored, now: identity.invocationId })
}

/**
 * The watermark to keep: the highest stamp read, but on AD never past the server's highestCommittedUSN
 * from before the read. An entry changed while the read ran, after it was read, takes a USN above
 * that, and an entry read later may carry a higher one still: going on from the highest seen would
 * skip that change, going on from the server's count at the start reads it again.
 */
function watermarkOf(high: string | null, identity: ServerIdentity | null): string | null {
  const cap = identity?.highestUsn ?? null
  return high !== null && cap !== null && Number(high) > cap ? String(cap) : high
}

export function createDirectorySync(deps: { store: Store; clock: Clock; audit: Audit; sessions: SessionStore; journal: JobJournal; settings: SourceSettings }) {
  const { store, clock, audit, sessions, journal, settings } = deps
  const applier = createApplier({ store, audit, now: () => clock.now() })

  /** Each group member's role (and the members), or null when the directory's groups do not set roles. */
  async function rolesOf(connection: Connection, source: DirectorySource): Promise<{ of: (stableId: string) => Role; members: string[] } | null> {
    const { admin, helpdesk } = source.groups
    if (!admin && !helpdesk) return null
    const members = async (dn: string | null) => {
      const ids = new Set<string>()
      if (!dn) return ids
      for await (const page of pagesOf(connection, source, membersFilter(source, dn), [source.attributes.stableId])) {
        for (const e of page) {
          const id = stableIdOf(source, e)
          if (id) ids.add(id)
        }
      }
      return ids
    }
    const admins = await members(admin)
    const desk = await members(helpdesk)
    return { of: (id) => (admins.has(id) ? 'admin' : desk.has(id) ? 'helpdesk' : 'user'), members: [...new Set([...admins, ...desk])] }
  }

  async function signOut(after: Applied): Promise<void> {
    for (const s of after.signOut) await sessions.endAllFor(s.id, s.reason)
  }

  /** Reads and applies every page; returns the highest change stamp seen. */
  async function readAll(connection: Connection, source: DirectorySource, state: State, full: boolean, dryRun: boolean, report: SyncReport, control: JobControl): Promise<string | null> {
    const roles = await rolesOf(connection, source)
    const roleOf = roles && ((p: Person) => roles.of(p.stableId))
    const filter = full || !state.changed_since ? source.userFilter : changedSince(source, state.changed_since)
    // A full read starts afresh: the stored stamp may be another AD database's count.
    let high = full || !state.changed_since ? null : comparable(source, state.changed_since)
    const refusals: SyncRefusal[] = []
    for await (const page of pagesOf(connection, source, filter, attributesOf(source))) {
      const people: Person[] = []
      for (const e of page) {
        const p = personOf(source, e, clock.now())
        if ('stableId' in p) people.push(p)
        else refusals.push({ stableId: '', username: p.dn, reason: p.reason })
        const stamp = stampOf(source, e)
        if (stamp && (!high || stamp > high)) high = stamp
      }
      // A page is applied a slice at a time, the event loop given back between them (other calls wait behind one slice).
      for (let i = 0; i < people.length; i += APPLY_SLICE) {
        await signOut(await applier.page(people.slice(i, i + APPLY_SLICE), roleOf, report.counts, refusals, dryRun))
        control.progress(report.counts.seen, null, { label: 'Reading the directory', unit: 'rows' })
        await control.pause()
      }
    }
    if (roles) await signOut(await applier.roles(roles.of, roles.members, report.counts, dryRun))
    report.counts.refused = refusals.length
    report.refusals = refusals.slice(0, LISTED)
    return source.kind === 'active-directory' && high ? String(Number(high)) : high
  }

  /** The disabling, after the whole read: all of it, or none when it is more than the safety rule allows. */
  async function disableAfterRead(source: DirectorySource, full: boolean, request: SyncRequest, report: SyncReport, control: JobControl): Promise<void> {
    const { ids, enabled: of } = await applier.toDisable(full, () => control.pause())
    if (ids.length > 0 && !request.confirm && ids.length * 100 > of * source.maxDisablePercent) {
      report.waiting = { disable: ids.length, of }
      return
    }
    if (request.dryRun) {
      report.counts.disabled = ids.length
      return
    }
    for (let i = 0; i < ids.length; i += DISABLE_SLICE) {
      const after = await applier.disable(ids.slice(i, i + DISABLE_SLICE))
      report.counts.disabled += after.signOut.length
      await signOut(after)
      await control.pause()
    }
  }

  async function run(request: SyncRequest, source: DirectorySource, password: string, control: JobControl): Promise<SyncReport> {
    const t0 = clock.now()
    const state = (await store.get<State>('SELECT changed_since, invocation_id, last_full_at FROM directory_sync_state WHERE one = 1')) ?? { changed_since: null, invocation_id: null, last_full_at: null }
    const connection = await connect(source, source.bindDn, password)
    try {
      // Asked before the read: which AD database counts the stamps, and how far it had counted.
      const identity = source.kind === 'active-directory' ? await identityOf(connection) : null
      // The first sync, and a confirmation, read everything; so does one that cannot trust AD's watermark.
      const asked = request.full || request.confirm || state.last_full_at === null
      const fullBecause = asked || !identity ? null : untrustedBecause(connection.url, identity, state.invocation_id)
      const full = asked || fullBecause !== null
      const report: SyncReport = { full, dryRun: request.dryRun, counts: zero(), refusals: [], waiting: null, ms: 0, ...(fullBecause ? { fullBecause } : {}) }
      await store.run('DELETE FROM directory_seen')
      const high = await readAll(connection, source, state, full, request.dryRun, report, control)
      await disableAfterRead(source, full, request, report, control)
      if (!request.dryRun) await saveState(watermarkOf(high, identity), identity?.invocationId ?? null, full, report)
      report.ms = clock.now() - t0
      return report
    } finally {
      await connection.client.unbind().catch(() => undefined)
      await store.run('DELETE FROM directory_seen')
    }
  }

  /** Where the sync left off: the watermark and, on AD, the database it was counted in, always saved together. */
  async function saveState(high: string | null, invocationId: string | null, full: boolean, report: SyncReport): Promise<void> {
    const now = clock.now()
    await store.run(
      `INSERT INTO directory_sync_state (one, changed_since, invocation_id, last_full_at, last_sync_at, waiting) VALUES (1, ?, ?, ?, ?, ?)
       ON CONFLICT (one) DO UPDATE SET changed_since = excluded.changed_since, invocation_id = excluded.invocation_id, last_full_at = coalesce(excluded.last_full_at, directory_sync_state.last_full_at), last_sync_at = excluded.last_sync_at, waiting = excluded.waiting`,
      [high, invocationId, full ? now : null, now, report.waiting ? JSON.stringify({ ...report.waiting, at: now }) : null]
    )
  }

  journal.register('directory-sync', async (job, settle) => {
    await store.run('DELETE FROM directory_seen')
    await settle('interrupted', { full: (JSON.parse(job.details) as { full?: boolean }).full ?? false })
  })

  return {
    /** One sync now (the console, the CLI, the schedule): recorded, audited, one at a time. */
    async sync(request: SyncRequest, by: Starter, control: JobControl): Promise<SyncReport> {
      const configured = await settings.withPassword()
      if (!configured) throw new DomainError('DIRECTORY_NOT_CONFIGURED')
      const job = await journal.begin('directory-sync', by, { details: { full: request.full || request.confirm, dryRun: request.dryRun } })
      try {
        const report = await run(request, configured.source, configured.password, control)
        await store.transaction(async () => {
          if (!request.dryRun) await audit.record({ event: report.waiting ? 'directory.sync-waiting' : 'directory.synced', actor: by.ownerId === null ? null : { id: by.ownerId, username: by.actor ?? '' }, workstation: by.workstation, details: { full: report.full, ...report.counts, ...(report.waiting ?? {}), confirmed: request.confirm, ...(report.fullBecause ? { fullBecause: report.fullBecause } : {}) } })
          await job.settle('done', report)
        })
        return report
      } catch (error) {
        await job.settle(control.signal.aborted ? 'cancelled' : 'failed', { error: error instanceof DomainError ? error.message : 'failed' }).catch(() => undefined)
        throw error
      } finally {
        await job.release()
      }
    }
  }
}

export type DirectorySync = ReturnType<typeof createDirectorySync>
