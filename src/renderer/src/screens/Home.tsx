import type { SessionInfo } from '../../../shared/dto'
import { useApiMutation } from '../api/hooks'

const ROLE_LABEL = { user: 'User', helpdesk: 'Help desk', admin: 'Administrator' } as const

export function Home({ session }: { session: SessionInfo }) {
  const logout = useApiMutation('auth:logout', { invalidates: ['app:status'] })
  const { user } = session
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand brand--bar">Tessera</span>
        <div className="topbar__user">
          <span>
            {user.displayName} <span className="badge">{ROLE_LABEL[user.role]}</span>
          </span>
          <button type="button" className="button" onClick={() => logout.mutate({})} disabled={logout.isPending}>
            Log out
          </button>
        </div>
      </header>
      <main className="content" aria-labelledby="home-title">
        <h1 id="home-title">Welcome, {user.displayName}</h1>
        <p className="lead">
          You are signed in as <strong>{user.username}</strong> ({user.email}).
        </p>
      </main>
    </div>
  )
}
