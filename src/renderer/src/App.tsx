import { useEffect, useState } from 'react'
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

/** While the database server cannot be reached, the status is asked again this often. */
const UNREACHABLE_RETRY_MS = 3_000
const unreachable = (error: ApiError | null) => error?.code === 'DATABASE_UNAVAILABLE'

export function App() {
  const status = useApiQuery('app:status', {}, { refetchInterval: (q) => (unreachable(q.state.error) ? UNREACHABLE_RETRY_MS : false) })
  const client = useQueryClient()
  /** Said on the login screen after this machine joined an organisation from its first-run screen. */
  const [joinedNotice, setJoinedNotice] = useState<string | null>(null)
  const userId = status.data?.session?.user.id ?? null

  // When the session ends without a log-out (idle, pending login expired), drop every cached answer
  // but the status, so nothing of the previous user stays in this renderer's memory. (Logging out
  // reloads the page.)
  useEffect(() => {
    if (userId === null) client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'app:status' })
  }, [userId, client])

  if (status.isPending) return <p className="loading" role="status">Loading…</p>
  if (status.isError && unreachable(status.error)) return <Unreachable />
  if (status.isError) {
    return (
      <main className="card-page">
        <div className="card" role="alert">
          <h1>Tessera cannot start</h1>
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
  return (
    <main className="card-page">
      <div className="card" role="alert">
        <h1>The database server cannot be reached</h1>
        <p>This workstation cannot reach the organisation's database server, so nobody can log in here for now.</p>
        <p role="status">Tessera tries again every few seconds and carries on by itself when the server is back. If this lasts, tell the help desk.</p>
      </div>
    </main>
  )
}
