/** Where an account is signed in now: the list, and "Sign out everywhere" (for staff, or for oneself). */
import { useState } from 'react'
import type { SessionView } from '../../../shared/dto'
import { ago, plural } from '../../../shared/words'
import { useApiMutation, useApiQuery } from '../api/hooks'
import { formatDateTime } from './ui'

const STAGE_WORDS: Record<SessionView['stage'], string> = { 'second-factor': 'at the second step', enrol: 'setting up 2FA', 'change-password': 'choosing a password', full: 'signed in' }

export function SessionList({ sessions }: { sessions: SessionView[] }) {
  if (sessions.length === 0) return <p>Not signed in anywhere.</p>
  return (
    <ul className="sessions">
      {sessions.map((s) => (
        <li key={`${s.workstation}-${s.loggedInAt}`}>
          <strong>{s.workstation}</strong>{s.current && ' (this window)'}: {STAGE_WORDS[s.stage]} since {formatDateTime(s.loggedInAt)}, last active {ago(s.lastSeenAt, Date.now())}
        </li>
      ))}
    </ul>
  )
}

/** The staff view in a user's detail. */
export function UserSessions({ userId, sessions, mayAct }: { userId: number; sessions: SessionView[]; mayAct: boolean }) {
  const [message, setMessage] = useState<string | null>(null)
  const signOut = useApiMutation('users:sign-out-everywhere', { invalidates: ['users:get', 'audit:list'] })
  return (
    <>
      <h3>Signed in</h3>
      <SessionList sessions={sessions} />
      {message && <p role="status">{message}</p>}
      {mayAct && sessions.length > 0 && (
        <button type="button" className="button" disabled={signOut.isPending} onClick={() => signOut.mutate({ userId }, { onSuccess: (r) => setMessage(`${plural(r.ended, 'session')} ended.`) })}>
          Sign out everywhere
        </button>
      )}
    </>
  )
}

/** The owner's view in My account: every other window can be signed out at once. */
export function MySessions() {
  const list = useApiQuery('account:sessions', {})
  const [message, setMessage] = useState<string | null>(null)
  const signOut = useApiMutation('account:sign-out-everywhere', { invalidates: ['account:sessions'] })
  const others = (list.data ?? []).filter((s) => !s.current).length
  return (
    <div className="panel">
      <h2>Where you are signed in</h2>
      {list.data && <SessionList sessions={list.data} />}
      {message && <p role="status">{message}</p>}
      <button type="button" className="button" disabled={others === 0 || signOut.isPending}
        onClick={() => signOut.mutate({}, { onSuccess: (r) => setMessage(`Signed out everywhere else: ${plural(r.ended, 'session')} ended.`) })}>
        Sign out everywhere else
      </button>
    </div>
  )
}
