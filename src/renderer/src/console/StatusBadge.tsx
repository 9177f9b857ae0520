import { STATUS_LABELS, type UserListRow } from '../../../shared/admin-dto'
import type { Method } from '../../../shared/policy'
import { formatTime } from '../components/ui'

/** The method in a badge's few characters (the detail names it in full). */
const METHOD_SHORT: Record<Method, string> = { totp: 'app', email: 'e-mail', token: 'token', webauthn: 'key' }

/** Status as text in a badge (the colour only repeats what the words say), with its detail. */
function statusText(row: UserListRow, postponementsAllowed: number): string {
  const label = STATUS_LABELS[row.status]
  if (row.status === 'postponed') return `${label} ${row.postponementsUsed} of ${postponementsAllowed}`
  if (row.status === 'locked' && row.lockedUntil) return `${label} until ${formatTime(row.lockedUntil)}`
  if (row.status === 'enrolled' && row.method) return `${label}: ${METHOD_SHORT[row.method]}`
  return label
}

export function StatusBadge({ row, postponementsAllowed }: { row: UserListRow; postponementsAllowed: number }) {
  return <span className={`badge badge--status badge--${row.status}`}>{statusText(row, postponementsAllowed)}</span>
}
