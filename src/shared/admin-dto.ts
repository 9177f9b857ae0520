/** Shapes for the help-desk and administrator console. */
import type { HeldMethod, Role, SecurityKeyView, SessionView } from './dto'
import type { Method } from './policy'
import { inEnglish, STATUS_MEANING_WORDS, STATUS_WORDS } from './i18n/labels'

/** How the help desk verified who is asking, before acting on a lost-device request. */
export const IDENTITY_CHECKS = ['call-back', 'in-person', 'manager'] as const
export type IdentityCheck = (typeof IDENTITY_CHECKS)[number]
export const IDENTITY_CHECK_LABELS: Record<IdentityCheck, string> = {
  'call-back': 'Call-back to the number on file',
  'in-person': 'In person with photo ID',
  manager: 'Confirmed by their manager'
}

/** Most urgent first: a user has the first status that applies (the database stores the index). */
export const USER_STATUSES = ['disabled', 'locked', 'reset-requested', 'enrolled', 'must-enrol', 'postponed', 'not-enrolled'] as const
export type UserStatus = (typeof USER_STATUSES)[number]

/**
 * The one name of each status: the badge, the filter, the counts, the detail, the CSV export and
 * the CLI all say these words (a badge may add a detail: "Locked until 14:05").
 */
export const STATUS_LABELS: Record<UserStatus, string> = inEnglish(STATUS_WORDS)

/** What each status means, for the user's detail. */
export const STATUS_MEANINGS: Record<UserStatus, string> = inEnglish(STATUS_MEANING_WORDS)

export type UserListRow = {
  id: number
  username: string
  email: string
  displayName: string
  role: Role
  disabled: boolean
  status: UserStatus
  method: Method | null
  postponementsUsed: number
  mustEnrol: boolean
  lockedUntil: number | null
  resetRequested: boolean
  recoveryCodesLeft: number
  lastLoginAt: number | null
  /** Linked to an entry of the organisation's directory (its profile is changed there). */
  fromDirectory: boolean
}

/** Users per status, and in all. */
export type StatusCounts = { total: number } & Record<UserStatus, number>

/** Where an account comes from: kept by the directory sync (LDAP / Active Directory), or made here. */
export const USER_SOURCES = ['directory', 'local'] as const
export type UserSource = (typeof USER_SOURCES)[number]

/**
 * `total`: how many rows the list has. `capped`: a search matched more users than the list shows
 * (the first `total` of them, in order); typing more narrows it.
 */
export type UserPage = {
  rows: UserListRow[]
  total: number
  capped: boolean
  counts: StatusCounts
  /** Users per source, in all: the source filter is offered once anyone comes from the directory. */
  sources: Record<UserSource, number>
  postponementsAllowed: number
}

export type Counter = { scope: 'account' | 'workstation'; subject: string; factor: 'password' | 'second-factor' | 'reset' | 'token'; failures: number; lockedUntil: number | null }

export type AuditEntryView = {
  id: number
  at: number
  event: string
  actor: string | null
  subject: string | null
  workstation: string | null
  details: Record<string, unknown>
}

/** 'lost-device': reset the second factor or give an access code; 'password': set a temporary password. */
export type RequestKind = 'lost-device' | 'password'

export type RequestView = {
  id: number
  kind: RequestKind
  /** `disabled`: the account cannot log in (disabled here or by the directory): nothing the help desk gives lets it in. */
  user: { id: number; username: string; displayName: string; email: string; role: Role; phone: string | null; disabled: boolean }
  createdAt: number
  workstation: string
  message: string
  toAll: boolean
  /** The first few chosen recipients (none when sent to everyone), and how many there are. */
  recipients: { id: number; displayName: string }[]
  recipientCount: number
  status: 'open' | 'awaiting-approval' | 'reset' | 'access-code' | 'rejected'
  handledBy: string | null
  approvedBy: string | null
  identityCheck: string | null
  note: string | null
  reason: string | null
  closedAt: number | null
}

/** A page of requests, newest first; `next` continues after the last row. */
export type RequestPage = { rows: RequestView[]; total: number; next: { createdAt: number; id: number } | null }

export type UserDetail = UserListRow & {
  createdAt: number
  /** The number on file for a call-back check, if any. */
  phone: string | null
  /** Where they are signed in now, and since when. */
  sessions: SessionView[]
  /** When their default method was set up. */
  activatedAt: number | null
  /** Every method they hold, the default first. */
  methods: HeldMethod[]
  /** A second factor to reset: active, or a setup under way. */
  hasFactor: boolean
  postponementsAllowed: number
  counters: Counter[]
  events: AuditEntryView[]
  openRequest: RequestView | null
  /** The user's security keys: names and dates, never key material. */
  keys: SecurityKeyView[]
  /** The hardware token the user holds, if any. */
  token: { serial: string; confirmed: boolean } | null
  /** Whether the policy allows hardware tokens (so one can be assigned). */
  tokensAllowed: boolean
}

/** A hardware token as the console lists it. */
export type TokenView = {
  serial: string
  kind: 'hotp' | 'totp'
  digits: number
  period: number | null
  algorithm: 'sha1' | 'sha256'
  state: 'available' | 'assigned' | 'lost'
  user: { id: number; username: string; displayName: string; role: Role } | null
  importedAt: number
  assignedAt: number | null
  lastUsedAt: number | null
}

/** `refused` lists the first 1,000 refused rows; `refusedCount` counts them all. */
export type ImportReport = {
  ok: boolean
  created: number
  refused: { line: number; username: string; reason: string }[]
  refusedCount: number
  /** A preview (nothing written): how many users the import would create, and the first rows as read. */
  wouldCreate?: number
  preview?: { line: number; username: string; email: string; displayName: string; role: Role; phone: string | null }[]
}

export type PolicyPreview = {
  /** Users without 2FA who would be sent to setup at their next login. */
  sentToSetup: number
  /** Of those, how many may still postpone. */
  withPostponementsLeft: number
  /** Users who hold methods, but none of the kind their role would require (sent to add one). */
  methodChanges: number
  guessesPerYear: number
  successChance: number
  warnings: string[]
}

export type AuditPage = { rows: AuditEntryView[]; nextBeforeId: number | null }

/** `rows` in the log as far as it fits; `checked` by this run, which started after row `since` (the last verified row) or at the first. */
export type AuditVerification = { ok: boolean; rows: number; checked: number; since: number | null; brokenAt: number | null; problem: string | null }

export type JobKind = 'users-import' | 'users-export' | 'audit-export' | 'audit-verify' | 'users-bulk' | 'directory-sync'

/** Jobs recorded in the database while they run, settled whole at the next start after a crash (core/job-journal.ts). */
export type RecordedJobKind = 'users-import' | 'users-bulk' | 'directory-sync'

/** A job a crash interrupted, as settled at the next start: for its owner and the administrators to read. */
export type JobNotice = {
  id: string
  kind: RecordedJobKind
  state: 'done' | 'rolled-back' | 'interrupted'
  actor: string | null
  workstation: string
  inputName: string | null
  total: number | null
  startedAt: number
  settledAt: number
  /** Import: `removed` (users removed again), `created`. Bulk: `action`, `done`, `skipped`, `names` (the first accounts done). */
  outcome: Record<string, unknown>
}

/** What a bulk action does to each account. */
export const BULK_ACTIONS = ['enrolment-link', 'unlock', 'reset-2fa'] as const
export type BulkAction = (typeof BULK_ACTIONS)[number]
/** The accounts selected in the directory, or every account its filter matches. */
export type BulkTarget = { ids: number[] } | { filter: { search: string; status: 'all' | UserStatus; role: 'all' | Role; source: 'all' | UserSource } }
/** How it went: accounts acted on, and those skipped (the first few by name, with why). */
export type BulkReport = { action: BulkAction; done: number; skipped: { username: string; reason: string }[]; skippedCount: number }

/** Long work running in the engine: its progress (in rows or bytes, `total` null when unknown) and outcome. */
/** One step of a job, in words, with the unit its progress counts. */
export type JobStep = { label: string; unit: 'bytes' | 'rows' }

export type JobView = {
  id: string
  kind: JobKind
  state: 'running' | 'done' | 'failed' | 'cancelled'
  done: number
  total: number | null
  /** The step under way when a job has several (an import reads, compares, then creates). */
  step: JobStep | null
  /** The job's outcome once done: an ImportReport, an ExportResult or an AuditVerification. */
  result: unknown
  error: string | null
  startedAt: number
  finishedAt: number | null
}

/** A finished export: how many rows, and (in the browser harness) where to download the file. */
export type ExportResult = { rows: number; file: string; download: string | null }
