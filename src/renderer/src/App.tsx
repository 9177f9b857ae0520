import { useEffect } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { useApiQuery } from './api/hooks'
import { FirstRun } from './screens/FirstRun'
import { Home } from './screens/Home'
import { Login } from './screens/Login'

export function App() {
  const status = useApiQuery('app:status', {})
  const client = useQueryClient()
  const userId = status.data?.session?.user.id ?? null

  // When the signed-in user changes (log out, session end), drop every cached answer but the status,
  // so nothing of the previous user stays in this renderer's memory.
  useEffect(() => {
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'app:status' })
  }, [userId, client])

  if (status.isPending) return <p className="loading" role="status">Loading…</p>
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
  const { initialized, session } = status.data
  if (!initialized) return <FirstRun />
  if (!session) return <Login key="login" />
  return <Home session={session} />
}
