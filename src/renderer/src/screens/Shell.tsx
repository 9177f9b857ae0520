import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import type { SessionInfo } from '../../../shared/dto'
import { ROLE_WORDS } from '../../../shared/i18n/labels'
import type { MessageId } from '../../../shared/i18n/translate'
import { useT } from '../i18n'
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

const NAV_WORDS = {
  directory: 'account.shell.nav.directory',
  requests: 'account.shell.nav.requests',
  tokens: 'account.shell.nav.tokens',
  policy: 'account.shell.nav.policy',
  audit: 'account.shell.nav.audit',
  account: 'account.shell.nav.account'
} as const satisfies Record<View, MessageId>

/** How often the help-request badge asks for the open count (a request from another seat shows within 2 s). */
const BADGE_POLL_MS = 1_500

/** Signed in: the navigation the role allows, and the screen chosen. */
export function Shell({ session, warnings = [] }: { session: SessionInfo; warnings?: string[] }) {
  const words = useT()
  const { t } = words
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

  const items: { id: View; badge?: number }[] = [
    ...(staff ? [{ id: 'directory' as const }, { id: 'requests' as const, badge: open }, { id: 'tokens' as const }] : []),
    ...(admin ? [{ id: 'policy' as const }, { id: 'audit' as const }] : []),
    { id: 'account' }
  ]
  const role = t(ROLE_WORDS[user.role])

  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand brand--bar" translate="no">Tessera</span>
        <nav aria-label={t('account.shell.nav.label')} className="nav">
          {items.map((i) => (
            <button key={i.id} type="button" className="nav__item" aria-current={view === i.id ? 'page' : undefined} onClick={() => setView(i.id)}>
              {t(NAV_WORDS[i.id])}
              {i.badge ? (
                <span className="nav__badge">
                  {words.number(i.badge)}
                  <span className="visually-hidden"> {t('account.shell.nav.open')}</span>
                </span>
              ) : null}
            </button>
          ))}
        </nav>
        <div className="topbar__user">
          <span className="topbar__name" title={t('account.shell.user', { name: user.displayName, role })}>
            {user.displayName} <span className="badge">{role}</span>
          </span>
          <button type="button" className="button" onClick={() => void logout()}>
            {t('account.shell.logOut')}
          </button>
        </div>
      </header>
      <main className="content">
        {warnings.map((w) => (
          <div key={w} className="notice notice--warn" role="status">
            <strong>{t('account.shell.thisWorkstation')} </strong>
            {words.sayText(w)}
          </div>
        ))}
        {staff && <InterruptedJobs />}
        {notices.items.map((n) => (
          <div key={n} className="notice notice--warn" role="status">
            {words.sayText(n)}{' '}
            <button type="button" className="link-button" onClick={() => notices.dismiss(n)}>
              {t('account.dismiss')}
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
