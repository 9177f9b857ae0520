import { useEffect, useRef, useState } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { useApiQuery } from './api/hooks'
import type { ApiError } from './api/client'
import { IdleGuard } from './components/IdleGuard'
import { NoticeProvider } from './components/notices'
import { FirstRun } from './screens/FirstRun'
import { NewPassword } from './screens/NewPassword'
import { SecondStep } from './screens/SecondStep'
import { SetupRequired } from './screens/Setup'
import { Shell } from './screens/Shell'
import { SignedOut } from './screens/SignedOut'
import { I18nProvider, useT } from './i18n'
import { chooseLocale, PSEUDO_LOCALE, type DisplayLocale, type Locale } from '../../shared/i18n/locales'
import type { AppStatus } from '../../shared/dto'

/** While the database server cannot be reached, the status is asked again this often. */
const UNREACHABLE_RETRY_MS = 3_000
const unreachable = (error: ApiError | null) => error?.code === 'DATABASE_UNAVAILABLE'

/**
 * The screens' language: the signed-in person's own, else the one picked on the login screen, else
 * the organisation's default, else the system's (Electron's, or this browser's), else English.
 */
function localeOf(s: AppStatus | undefined, picked: Locale | null): DisplayLocale {
  if (s?.language.pseudo) return PSEUDO_LOCALE
  return chooseLocale(s?.session?.user.language, picked, s?.language.organisation, s?.language.system, navigator.languages)
}

export function App() {
  const status = useApiQuery('app:status', {}, { refetchInterval: (q) => (unreachable(q.state.error) ? UNREACHABLE_RETRY_MS : false) })
  const client = useQueryClient()
  /** The language picked on the login screen, kept through that person's session and forgotten after it. */
  const [picked, setPicked] = useState<Locale | null>(null)
  const userId = status.data?.session?.user.id ?? null
  const lastUser = useRef<number | null>(null)

  // When the session ends without a log-out (idle, pending login expired), drop every cached answer
  // but the status, so nothing of the previous user stays in this renderer's memory, and the kiosk
  // goes back to the organisation's language. (Logging out reloads the page.)
  useEffect(() => {
    if (userId === null) client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'app:status' })
    if (userId === null && lastUser.current !== null) setPicked(null)
    lastUser.current = userId
  }, [userId, client])

  return (
    <I18nProvider locale={localeOf(status.data, picked)} pick={userId === null ? setPicked : null}>
      <Screens status={status} />
    </I18nProvider>
  )
}

function Screens({ status }: { status: ReturnType<typeof useApiQuery<'app:status'>> }) {
  const t = useT().t
  const client = useQueryClient()
  /** Said on the login screen after this machine joined an organisation from its first-run screen. */
  const [joinedNotice, setJoinedNotice] = useState<string | null>(null)
  if (status.isPending) return <p className="loading" role="status">{t('common.loading')}</p>
  if (status.isError && unreachable(status.error)) return <Unreachable />
  if (status.isError) {
    return (
      <main className="card-page">
        <div className="card" role="alert">
          <h1>{t('common.cannotStart')}</h1>
          <p>{status.error.message}</p>
        </div>
      </main>
    )
  }
  const s = status.data
  if (!s.initialized) {
    const joined = (notice: string) => {
      setJoinedNotice(notice)
      void client.invalidateQueries({ queryKey: ['app:status'] })
    }
    return <FirstRun canJoin={s.canJoin} onJoined={joined} />
  }
  if (!s.session || !s.stage) return <SignedOut pendingLink={s.pendingLink} notice={joinedNotice} />
  return (
    <NoticeProvider key={s.session.user.id}>
      <IdleGuard timeoutMs={s.idleTimeoutMs}>
        {s.stage === 'second-factor' && s.secondFactor && <SecondStep step={s.secondFactor} session={s.session} />}
        {s.stage === 'enrol' && s.enrol && <SetupRequired requirement={s.enrol} session={s.session} />}
        {s.stage === 'change-password' && <NewPassword session={s.session} />}
        {s.stage === 'full' && <Shell session={s.session} warnings={s.warnings} />}
      </IdleGuard>
    </NoticeProvider>
  )
}

/** A seat whose shared database is away: said plainly, and tried again by itself. */
function Unreachable() {
  const t = useT().t
  return (
    <main className="card-page">
      <div className="card" role="alert">
        <h1>{t('common.unreachable.title')}</h1>
        <p>{t('common.unreachable.body')}</p>
        <p role="status">{t('common.unreachable.retrying')}</p>
      </div>
    </main>
  )
}
