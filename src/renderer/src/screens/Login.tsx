import { useState, type FormEvent } from 'react'
import { useApiMutation } from '../api/hooks'
import { Field, FormError } from '../components/forms'
import { useFormErrors } from '../components/use-form-errors'

const FIELDS = ['identifier', 'password'] as const

export function Login() {
  const [identifier, setIdentifier] = useState('')
  const [password, setPassword] = useState('')
  const errors = useFormErrors(FIELDS)
  const login = useApiMutation('auth:login', { invalidates: ['app:status'] })

  function submit(event: FormEvent) {
    event.preventDefault()
    errors.clear()
    login.mutate(
      { identifier, password },
      {
        onError: (error) => {
          // Never leave a refused password in the field for the next person at this machine.
          setPassword('')
          errors.showError(error)
        }
      }
    )
  }

  return (
    <main className="card-page">
      <form className="card" onSubmit={submit} noValidate aria-labelledby="login-title">
        <p className="brand">Tessera</p>
        <h1 id="login-title">Log in</h1>
        <FormError message={errors.formError} ref={errors.alertRef} />
        <Field label="Username or e-mail" name="identifier" autoComplete="off" autoCapitalize="none" spellCheck={false}
          autoFocus required value={identifier} onChange={(e) => setIdentifier(e.target.value)}
          error={errors.fieldErrors.identifier} ref={errors.fieldRef('identifier')} />
        <Field label="Password" name="password" type="password" autoComplete="off" required value={password}
          onChange={(e) => setPassword(e.target.value)} error={errors.fieldErrors.password}
          ref={errors.fieldRef('password')} />
        <button type="submit" className="button button--primary" disabled={login.isPending}>
          {login.isPending ? 'Checking…' : 'Log in'}
        </button>
      </form>
    </main>
  )
}
