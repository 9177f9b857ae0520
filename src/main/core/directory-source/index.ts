/**
 * The organisation's directory (Active Directory or LDAP) as Tessera's source of people: its
 * settings, "Test connection", the sync and what the last syncs did. See sync.ts for the sync's
 * rules, ldap/ for how the server is read.
 */
import type { ConnectionTest, DirectorySource, SyncRun, SyncStatus } from '../../../shared/directory-source'
import type { UserRow } from '../../db/queries/users'
import type { Audit } from '../audit'
import type { Clock } from '../clock'
import { DomainError } from '../domain-error'
import { unattended } from '../jobs'
import type { JobJournal } from '../job-journal'
import type { Sealer } from '../secrets'
import type { SessionStore } from '../sessions'
import type { Store } from '../../store'
import { connect } from './ldap/connection'
import { attributesOf, pagesOf, personOf } from './ldap/people'
import { createSourceSettings } from './settings'
import { createDirectorySync, type SyncReport, type SyncRequest } from './sync'
export type { ConnectionTest, SyncRun, SyncStatus }

/** People shown by "Test connection", as they would be imported. */
const SHOWN = 5


export function createDirectorySource(deps: { store: Store; clock: Clock; audit: Audit; sessions: SessionStore; journal: JobJournal; sealer: Sealer }) {
  const { store, clock, journal } = deps
  const settings = createSourceSettings(deps)
  const syncs = createDirectorySync({ ...deps, settings })
  let ticking = false

  async function configured(given?: { source: DirectorySource; password?: string }): Promise<{ source: DirectorySource; password: string }> {
    const saved = await settings.withPassword()
    if (given) return { source: given.source, password: given.password ?? saved?.password ?? '' }
    if (!saved) throw new DomainError('DIRECTORY_NOT_CONFIGURED')
    return saved
  }

  return {
    settings,
    sync: syncs.sync,

    /** Saves the settings (`password` undefined: keeps the stored one), and the log says who changed what. */
    async save(actor: UserRow | null, source: DirectorySource, password: string | undefined, workstation: string): Promise<void> {
      await store.transaction(async () => {
        await settings.save(source, password)
        await deps.audit.record({ event: 'directory.configured', actor: actor && { id: actor.id, username: actor.username }, workstation, details: { kind: source.kind, urls: source.urls, passwords: source.passwords, ...(password !== undefined ? { bindPassword: 'changed' } : {}) } })
      })
    },

    /** Whether the directory manages this account's profile: linked to an entry, with a directory set up (then its fields change there). */
    async manages(user: { external_id: string | null }): Promise<boolean> {
      return user.external_id !== null && (await settings.get()) !== null
    },

    /** The organisation's own way to change a directory password, when the directory checks passwords (no secret in it). */
    async passwordHelp(): Promise<{ text: string; url: string } | null> {
      const source = await settings.get()
      return source?.passwords === 'directory' ? source.passwordHelp : null
    },

    /** The settings to check directory users' passwords with, when the directory checks them. */
    async passwords(): Promise<{ source: DirectorySource; password: string } | null> {
      const saved = await settings.withPassword()
      return saved?.source.passwords === 'directory' ? saved : null
    },

    /** Connects with these settings (or the saved ones) and counts who the filter matches; writes nothing. */
    async test(given?: { source: DirectorySource; password?: string }): Promise<ConnectionTest> {
      const { source, password } = await configured(given)
      const connection = await connect(source, source.bindDn, password)
      try {
        const result: ConnectionTest = { url: connection.url, matches: 0, first: [], unusable: 0 }
        for await (const page of pagesOf(connection, source, source.userFilter, attributesOf(source))) {
          for (const e of page) {
            const p = personOf(source, e, clock.now())
            result.matches += 1
            if (!('stableId' in p)) result.unusable += 1
            else if (result.first.length < SHOWN) result.first.push(p)
          }
        }
        return result
      } finally {
        await connection.client.unbind().catch(() => undefined)
      }
    },

    /**
     * The sync due now, if any: a full one once a day, the first time the schedule looks after
     * `fullSyncHour` (UTC); else changes only, `syncMinutes` after the last sync began (a failed one
     * too, so that a server that is away is not asked every minute).
     */
    async due(): Promise<SyncRequest | null> {
      const source = await settings.get()
      if (!source) return null
      const now = clock.now()
      const state = await store.get<{ last_full_at: number | null }>('SELECT last_full_at FROM directory_sync_state WHERE one = 1')
      const last = await journal.newest('directory-sync')
      const day = new Date(now)
      let fullAt = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), source.fullSyncHour)
      if (fullAt > now) fullAt -= 24 * 3_600_000
      const lastStart = last?.started_at ?? -Infinity
      const rested = lastStart + source.syncMinutes * 60_000 <= now
      // A full read missed since the day's hour (none begun since, or the last attempt rested).
      if ((state?.last_full_at ?? -Infinity) < fullAt && (lastStart < fullAt || rested)) return { full: true, dryRun: false, confirm: false }
      return rested ? { full: false, dryRun: false, confirm: false } : null
    },

    /**
     * Runs the sync that is due, if any (every minute from the app's and the harness's engine):
     * another seat's running sync, or a directory that is away, is only logged; the next tick tries.
     */
    async tick(workstation: string): Promise<SyncReport | null> {
      if (ticking) return null
      ticking = true
      try {
        const request = await this.due()
        return request ? await syncs.sync(request, { ownerId: null, actor: null, workstation }, unattended()) : null
      } catch (error) {
        if (!(error instanceof DomainError)) throw error
        if (error.code !== 'JOB_RUNNING') console.warn(`[tessera] scheduled directory sync: ${error.message}`)
        return null
      } finally {
        ticking = false
      }
    },

    /** When the last syncs ran, what each did, and a sync waiting for an administrator. */
    async status(limit = 10): Promise<SyncStatus> {
      const state = await store.get<{ last_sync_at: number | null; last_full_at: number | null; waiting: string | null }>('SELECT last_sync_at, last_full_at, waiting FROM directory_sync_state WHERE one = 1')
      const jobs = await journal.recentOf('directory-sync', limit)
      return {
        configured: (await settings.get()) !== null,
        lastSyncAt: state?.last_sync_at ?? null,
        lastFullAt: state?.last_full_at ?? null,
        waiting: state?.waiting ? (JSON.parse(state.waiting) as SyncStatus['waiting']) : null,
        runs: jobs.map((j) => ({ id: j.id, state: j.state, startedAt: j.started_at, finishedAt: j.finished_at, by: j.actor, workstation: j.workstation, report: JSON.parse(j.outcome ?? '{}') as SyncRun['report'] }))
      }
    }
  }
}

export type DirectorySourceService = ReturnType<typeof createDirectorySource>
