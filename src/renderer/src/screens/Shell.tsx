import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { ROLE_LABELS, type SessionInfo } from '../../../shared/dto'
import { useApiQuery } from '../api/hooks'
import { useLogout } from '../api/session'
import { AuditLog } from '../console/AuditLog'
import { Directory } from '../console/Directory'
import { PolicyScreen } from '../console/PolicyScreen'
import { Requests } from '../console/Requests'
import { Tokens } from '../console/Tokens'
import { useNotices } from '../components/notices'
import { InterruptedJobs } from '../components/InterruptedJobs'
import { Account } from './Account'

type View = 'account' | 'directory' | 'requests' | 'tokens' | 'policy' | 'audit'

/** How often the help-request badge asks for the open count (a request from another seat shows within 2 s). */
const BADGE_POLL_MS = 1_500

/** Signed in: the navigation the role allows, and the screen chosen. */
export function Shell({ session, warnings = [] }: { session: SessionInfo; warnings?: string[] }) {
  const { user } = session
  const staff = user.role !== 'user'
  const admin = user.role === 'admin'
  const [view, setView] = useState<View>(staff ? 'directory' : 'account')
  const logout = useLogout()
  const notices = useNotices()
  // A request made at any seat shows here within two seconds: the badge asks every 1.5 s, and at
  // every move between screens, on a passive channel that does not keep an unattended session alive.
  const badge = useApiQuery('requests:badge', {}, { enabled: staff, refetchInterval: BADGE_POLL_MS })
  const open = badge.data?.open ?? 0
  const { refetch } = badge
  useEffect(() => {
    if (staff) void refetch()
  }, [view, staff, refetch])
  // A new request (filed at any seat) refreshes the queue and the directory shown; a request handled
  // here lowers the count without pulling the page being read from under the person.
  const client = useQueryClient()
  const seen = useRef<number | null>(null)
  useEffect(() => {
    if (badge.data === undefined) return
    if (seen.current !== null && open > seen.current) for (const key of ['requests:list', 'users:list']) void client.invalidateQueries({ queryKey: [key] })
    seen.current = open
  }, [open, badge.data, client])

  const items: { id: View; label: string; badge?: number }[] = [
    ...(staff ? [{ id: 'directory' as const, label: 'Users' }, { id: 'requests' as const, label: 'Help requests', badge: open }, { id: 'tokens' as const, label: 'Tokens' }] : []),
    ...(admin ? [{ id: 'policy' as const, label: 'Policy' }, { id: 'audit' as const, label: 'Audit log' }] : []),
    { id: 'account', label: 'My account' }
  ]

  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand brand--bar">Tessera</span>
        <nav aria-label="Main" className="nav">
          {items.map((i) => (
            <button key={i.id} type="button" className="nav__item" aria-current={view === i.id ? 'page' : undefined} onClick={() => setView(i.id)}>
              {i.label}
              {i.badge ? (
                <span className="nav__badge">
                  {i.badge}
                  <span className="visually-hidden"> open</span>
                </span>
              ) : null}
            </button>
          ))}
        </nav>
        <div className="topbar__user">
          <span className="topbar__name" title={`${user.displayName} (${ROLE_LABELS[user.role]})`}>
            {user.displayName} <span className="badge">{ROLE_LABELS[user.role]}</span>
          </span>
          <button type="button" className="button" onClick={() => void logout()}>
            Log out
          </button>
        </div>
      </header>
      <main className="content">
        {warnings.map((w) => (
          <div key={w} className="notice notice--warn" role="status">
            <strong>This workstation: </strong>
            {w}
          </div>
        ))}
        {staff && <InterruptedJobs />}
        {notices.items.map((n) => (
          <div key={n} className="notice notice--warn" role="status">
            {n}{' '}
            <button type="button" className="link-button" onClick={() => notices.dismiss(n)}>
              Dismiss
            </button>
          </div>
        ))}
        {view === 'account' && <Account session={session} />}
        {view === 'directory' && <Directory session={session} />}
        {view === 'requests' && <Requests session={session} />}
        {view === 'tokens' && <Tokens session={session} />}
        {view === 'policy' && <PolicyScreen />}
        {view === 'audit' && <AuditLog />}
      </main>
    </div>
  )
}
