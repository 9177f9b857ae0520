/** Where an account is signed in now: the list, and "Sign out everywhere" (for staff, or for oneself). */
import { useState } from 'react'
import type { SessionView } from '../../../shared/dto'
import { useApiMutation, useApiQuery } from '../api/hooks'
import { useT } from '../i18n'
import { formatDateTime } from './ui'

/** A session's stage, as the selector of its line's message (ICU selectors take no hyphen). */
const STAGE_SELECTORS: Record<SessionView['stage'], string> = { 'second-factor': 'secondFactor', enrol: 'enrol', 'change-password': 'changePassword', full: 'full' }

export function SessionList({ sessions }: { sessions: SessionView[] }) {
  const words = useT()
  if (sessions.length === 0) return <p>{words.t('account.sessions.none')}</p>
  const now = Date.now()
  return (
    <ul className="sessions">
      {sessions.map((s) => (
        <li key={`${s.workstation}-${s.loggedInAt}`}>
          <strong translate="no">{s.workstation}</strong>
          {words.t('account.sessions.line', {
            current: s.current ? 'yes' : 'no',
            stage: STAGE_SELECTORS[s.stage],
            since: formatDateTime(s.loggedInAt),
            ago: now - s.lastSeenAt < 60_000 ? words.t('account.sessions.justNow') : words.ago(s.lastSeenAt, now)
          })}
        </li>
      ))}
    </ul>
  )
}

/** The staff view in a user's detail. */
export function UserSessions({ userId, sessions, mayAct }: { userId: number; sessions: SessionView[]; mayAct: boolean }) {
  const { t } = useT()
  const [ended, setEnded] = useState<number | null>(null)
  const signOut = useApiMutation('users:sign-out-everywhere', { invalidates: ['users:get', 'audit:list'] })
  return (
    <>
      <h3>{t('account.sessions.signedIn')}</h3>
      <SessionList sessions={sessions} />
      {ended !== null && <p role="status">{t('account.sessions.ended', { count: ended })}</p>}
      {mayAct && sessions.length > 0 && (
        <button type="button" className="button" disabled={signOut.isPending} onClick={() => signOut.mutate({ userId }, { onSuccess: (r) => setEnded(r.ended) })}>
          {t('account.sessions.signOutEverywhere')}
        </button>
      )}
    </>
  )
}

/** The owner's view in My account: every other window can be signed out at once. */
export function MySessions() {
  const { t } = useT()
  const list = useApiQuery('account:sessions', {})
  const [ended, setEnded] = useState<number | null>(null)
  const signOut = useApiMutation('account:sign-out-everywhere', { invalidates: ['account:sessions'] })
  const others = (list.data ?? []).filter((s) => !s.current).length
  return (
    <div className="panel">
      <h2>{t('account.sessions.mine')}</h2>
      {list.data && <SessionList sessions={list.data} />}
      {ended !== null && <p role="status">{t('account.sessions.endedElsewhere', { count: ended })}</p>}
      <button type="button" className="button" disabled={others === 0 || signOut.isPending}
        onClick={() => signOut.mutate({}, { onSuccess: (r) => setEnded(r.ended) })}>
        {t('account.sessions.signOutElsewhere')}
      </button>
    </div>
  )
}
