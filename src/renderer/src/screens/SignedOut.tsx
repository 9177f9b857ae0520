import { useState } from 'react'
import { ForgotPassword } from './ForgotPassword'
import { Login } from './Login'
import { RegistrationCode } from './RegistrationCode'

type View = { name: 'login'; notice?: string } | { name: 'forgot' } | { name: 'registration'; token: string }

/** Login and the two ways around it: a forgotten password and a registration link or code. */
export function SignedOut({ pendingLink, notice = null }: { pendingLink: string | null; notice?: string | null }) {
  const [view, setView] = useState<View>(pendingLink ? { name: 'registration', token: pendingLink } : notice ? { name: 'login', notice } : { name: 'login' })
  const back = (notice?: string) => setView(notice ? { name: 'login', notice } : { name: 'login' })
  if (view.name === 'forgot') return <ForgotPassword onBack={back} />
  if (view.name === 'registration') return <RegistrationCode initialToken={view.token} onBack={() => back()} />
  return <Login notice={view.notice} onForgot={() => setView({ name: 'forgot' })} onRegistration={() => setView({ name: 'registration', token: '' })} />
}
