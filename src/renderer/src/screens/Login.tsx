import { useState, type FormEvent } from 'react'
import { useApiMutation } from '../api/hooks'
import { Field, FormError } from '../components/forms'
import { CardPage, LinkButton, Notice, formatTime } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'

const FIELDS = ['identifier', 'password'] as const

export function Login({ notice, onForgot, onRegistration }: { notice?: string | undefined; onForgot: () => void; onRegistration: () => void }) {
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
          const until = error.details?.['lockedUntil']
          errors.showError(typeof until === 'number' ? new Error(`${error.message} You can try again after ${formatTime(until)}.`) : error)
        }
      }
    )
  }

  return (
    <CardPage title="Log in" titleId="login-title">
      {notice && <Notice tone="ok">{notice}</Notice>}
      <form onSubmit={submit} noValidate aria-labelledby="login-title">
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
      <div className="secondary-links">
        <LinkButton onClick={onForgot}>Forgot password?</LinkButton>
        <LinkButton onClick={onRegistration}>I have a registration code</LinkButton>
      </div>
    </CardPage>
  )
}
