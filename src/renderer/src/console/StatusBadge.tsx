import { STATUS_LABELS, type UserListRow } from '../../../shared/admin-dto'
import { formatTime } from '../components/ui'

/** Status as text in a badge (the colour only repeats what the words say). */
export function StatusBadge({ row, postponementsAllowed }: { row: UserListRow; postponementsAllowed: number }) {
  let text: string = STATUS_LABELS[row.status]
  if (row.status === 'postponed') text = `Postponed ${row.postponementsUsed} of ${postponementsAllowed}`
  if (row.status === 'locked' && row.lockedUntil) text = `Locked until ${formatTime(row.lockedUntil)}`
  if (row.status === 'enrolled') text = row.method === 'email' ? 'Enrolled (e-mail)' : 'Enrolled (app)'
  return <span className={`badge badge--status badge--${row.status}`}>{text}</span>
}
