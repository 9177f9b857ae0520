/**
 * Where an organisation's people come from: an Active Directory or LDAP server that Tessera reads
 * (core/directory-source/). The settings' schema (checked in the engine, the CLI and the policy
 * screen), the presets that fill them in for Active Directory and OpenLDAP, and what a sync did.
 * The service account's password is not here: it is sealed apart, like the SMTP password.
 */
import { z } from 'zod'
import './validation'

export const SOURCE_KINDS = ['active-directory', 'openldap'] as const
export type SourceKind = (typeof SOURCE_KINDS)[number]
export const SOURCE_LABELS: Record<SourceKind, string> = { 'active-directory': 'Active Directory', openldap: 'OpenLDAP' }

const text = (label: string, max: number) => z.string().trim().min(1, `${label}: this cannot be empty.`).max(max, `${label}: at most ${max} characters.`)
const attribute = (label: string) => text(label, 64).regex(/^[A-Za-z][A-Za-z0-9-]*$/, `${label}: an attribute name, like mail.`)
const whole = (label: string, min: number, max: number) => {
  const error = `${label}: enter a whole number from ${min} to ${max}.`
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error })
}

/** ldap://host[:port] or ldaps://host[:port], nothing after the address. */
const serverUrl = z
  .string()
  .trim()
  .regex(/^ldaps?:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?\/?$/, 'Servers: each one ldap://host or ldaps://host, with a port if it is not the usual one.')

export const directorySourceSchema = z
  .object({
    kind: z.enum(SOURCE_KINDS),
    /** Tried in order: the next when one cannot be reached. */
    urls: z.array(serverUrl).min(1, 'Servers: give at least one.').max(4, 'Servers: at most 4.'),
    /** ldap:// upgraded with StartTLS before anything is sent (ldaps:// is TLS from the start). */
    startTls: z.boolean(),
    /** A PEM file on each seat with the CA that signed the server's certificate (null: the system's). */
    caFile: z.string().trim().max(1024).nullable(),
    bindDn: text('Service account', 512),
    baseDn: text('Base DN', 512),
    userFilter: text('User filter', 1024).regex(/^\(.*\)$/, 'User filter: an LDAP filter in parentheses, like (objectClass=person).'),
    attributes: z
      .object({ username: attribute('Username attribute'), email: attribute('E-mail attribute'), displayName: attribute('Display name attribute'), phone: attribute('Phone attribute'), stableId: attribute('Stable id attribute') })
      .strict(),
    /** Members of these groups (DNs) are help desk and administrators; everyone else a user. */
    groups: z.object({ helpdesk: z.string().trim().max(512).nullable(), admin: z.string().trim().max(512).nullable() }).strict(),
    pageSize: whole('Page size', 10, 1000),
    timeoutSeconds: whole('Timeout (seconds)', 1, 120),
    /** Minutes between two incremental syncs; a full one runs once a day at `fullSyncHour` (UTC). */
    syncMinutes: whole('Sync every (minutes)', 5, 1440),
    fullSyncHour: whole('Full sync at (hour, UTC)', 0, 23),
    /** A sync that would disable more than this share of the synced accounts waits for an administrator. */
    maxDisablePercent: whole('Most accounts one sync may disable (%)', 0, 100),
    /** Whether directory users' passwords are checked by the directory (a bind) or by Tessera. */
    passwords: z.enum(['directory', 'local']),
    /**
     * Wrong directory passwords in a row before Tessera blocks password attempts for the account:
     * keep it below the directory's own lockout threshold, so that nobody can lock a colleague's
     * directory account through Tessera.
     */
    bindAttempts: whole('Wrong passwords before Tessera blocks them', 1, 20),
    /** Where a directory user changes or recovers their password: the organisation's own way. */
    passwordHelp: z.object({ text: z.string().trim().max(500), url: z.string().trim().max(500) }).strict()
  })
  .strict()

export type DirectorySource = z.infer<typeof directorySourceSchema>

const COMMON = { startTls: true, caFile: null, pageSize: 500, timeoutSeconds: 10, syncMinutes: 15, fullSyncHour: 2, maxDisablePercent: 10, passwords: 'directory', bindAttempts: 3, passwordHelp: { text: '', url: '' } } as const

/** What each kind of server usually has: the form starts from one of these. */
export const PRESETS: Record<SourceKind, Omit<DirectorySource, 'urls' | 'bindDn' | 'baseDn'>> = {
  'active-directory': {
    ...COMMON,
    kind: 'active-directory',
    userFilter: '(&(objectCategory=person)(objectClass=user))',
    attributes: { username: 'sAMAccountName', email: 'mail', displayName: 'displayName', phone: 'telephoneNumber', stableId: 'objectGUID' },
    groups: { helpdesk: null, admin: null }
  },
  openldap: {
    ...COMMON,
    kind: 'openldap',
    userFilter: '(objectClass=inetOrgPerson)',
    attributes: { username: 'uid', email: 'mail', displayName: 'cn', phone: 'telephoneNumber', stableId: 'entryUUID' },
    groups: { helpdesk: null, admin: null }
  }
}

/** What one sync did (and, for a dry run, would have done). */
export type SyncCounts = { seen: number; created: number; updated: number; renamed: number; disabled: number; enabled: number; roleChanged: number; refused: number }
export type SyncRefusal = { stableId: string; username: string; reason: string }

/** A directory entry as Tessera would import it. */
export type DirectoryPerson = { stableId: string; dn: string; username: string; email: string; displayName: string; phone: string | null; disabled: boolean }

/** "Test connection": the server that answered, how many entries the filter matches, the first few as people. */
export type ConnectionTest = { url: string; matches: number; first: DirectoryPerson[]; unusable: number }

export type SyncRequest = { full: boolean; dryRun: boolean; confirm: boolean }

export type SyncReport = {
  full: boolean
  dryRun: boolean
  counts: SyncCounts
  /** The first refusals, each with why (all are counted). */
  refusals: SyncRefusal[]
  /** Accounts the sync would disable but did not: it waits for an administrator. */
  waiting: { disable: number; of: number } | null
  ms: number
  /** Why it read everything when only changes were asked for (an Active Directory watermark it could not trust). */
  fullBecause?: string
}

export type SyncRun = { id: string; state: string; startedAt: number; finishedAt: number | null; by: string | null; workstation: string; report: Partial<SyncReport> & { error?: string } }
export type SyncStatus = { configured: boolean; lastSyncAt: number | null; lastFullAt: number | null; waiting: { disable: number; of: number; at: number } | null; runs: SyncRun[] }
