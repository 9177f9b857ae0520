/** Shapes for the help-desk and administrator console. */
import type { Role } from './dto'
import type { Method } from './policy'

/** How the help desk verified who is asking, before acting on a lost-device request. */
export const IDENTITY_CHECKS = ['call-back', 'in-person', 'manager'] as const
export type IdentityCheck = (typeof IDENTITY_CHECKS)[number]
export const IDENTITY_CHECK_LABELS: Record<IdentityCheck, string> = {
  'call-back': 'Call-back to the number on file',
  'in-person': 'In person with photo ID',
  manager: 'Confirmed by their manager'
}

export type UserStatus = 'enrolled' | 'not-enrolled' | 'postponed' | 'must-enrol' | 'locked' | 'reset-requested' | 'disabled'

export const STATUS_LABELS: Record<UserStatus, string> = {
  enrolled: 'Enrolled',
  'not-enrolled': 'Not set up',
  postponed: 'Postponed',
  'must-enrol': 'Must set up',
  locked: 'Locked',
  'reset-requested': 'Reset requested',
  disabled: 'Disabled'
}

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
}

export type StatusCounts = { total: number; enrolled: number; notEnrolled: number; postponed: number; locked: number; resetRequests: number; disabled: number }

export type UserPage = { rows: UserListRow[]; total: number; counts: StatusCounts; postponementsAllowed: number }

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
  user: { id: number; username: string; displayName: string; email: string; role: Role }
  createdAt: number
  workstation: string
  message: string
  toAll: boolean
  recipients: { id: number; displayName: string }[]
  status: 'open' | 'awaiting-approval' | 'reset' | 'access-code' | 'rejected'
  handledBy: string | null
  approvedBy: string | null
  identityCheck: string | null
  note: string | null
  reason: string | null
  closedAt: number | null
}

export type UserDetail = UserListRow & {
  createdAt: number
  activatedAt: number | null
  /** A second factor to reset: active, or a setup under way. */
  hasFactor: boolean
  postponementsAllowed: number
  counters: Counter[]
  events: AuditEntryView[]
  openRequest: RequestView | null
}

export type ImportReport = { ok: boolean; created: number; refused: { line: number; username: string; reason: string }[] }

export type PolicyPreview = {
  /** Users without 2FA who would be sent to setup at their next login. */
  sentToSetup: number
  /** Of those, how many may still postpone. */
  withPostponementsLeft: number
  guessesPerYear: number
  successChance: number
  warnings: string[]
}

export type AuditPage = { rows: AuditEntryView[]; nextBeforeId: number | null }

export type AuditVerification = { ok: boolean; rows: number; brokenAt: number | null; problem: string | null }
