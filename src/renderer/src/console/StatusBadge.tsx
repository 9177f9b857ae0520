import type { UserListRow } from '../../../shared/admin-dto'
import { STATUS_WORDS } from '../../../shared/i18n/labels'
import type { Translator } from '../../../shared/i18n/translate'
import type { Method } from '../../../shared/policy'
import { formatTime } from '../components/ui'
import { useT } from '../i18n'

/** The method in a badge's few characters (the detail names it in full). */
const METHOD_SHORT = {
  totp: 'users.badge.method.totp',
  email: 'users.badge.method.email',
  token: 'users.badge.method.token',
  webauthn: 'users.badge.method.webauthn'
} as const satisfies Record<Method, string>

/** Status as text in a badge (the colour only repeats what the words say), with its detail. */
function statusText(words: Translator, row: UserListRow, postponementsAllowed: number): string {
  const status = words.t(STATUS_WORDS[row.status])
  if (row.status === 'postponed') return words.t('users.badge.postponed', { status, used: row.postponementsUsed, allowed: postponementsAllowed })
  if (row.status === 'locked' && row.lockedUntil) return words.t('users.badge.lockedUntil', { status, time: formatTime(row.lockedUntil) })
  if (row.status === 'enrolled' && row.method) return words.t('users.badge.enrolledWith', { status, method: words.t(METHOD_SHORT[row.method]) })
  return status
}

export function StatusBadge({ row, postponementsAllowed }: { row: UserListRow; postponementsAllowed: number }) {
  const words = useT()
  return <span className={`badge badge--status badge--${row.status}`}>{statusText(words, row, postponementsAllowed)}</span>
}
