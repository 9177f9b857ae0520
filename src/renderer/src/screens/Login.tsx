import { useState, type FormEvent } from 'react'
import { useApiMutation } from '../api/hooks'
import { Field, FormError } from '../components/forms'
import { CardPage, LinkButton, Notice, formatTime } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'
import { useT } from '../i18n'

const FIELDS = ['identifier', 'password'] as const

/** `notice`: said above the form (a message encodeWords carried is worded in the screen's language). */
export function Login({ notice, onForgot, onRegistration }: { notice?: string | undefined; onForgot: () => void; onRegistration: () => void }) {
  const [identifier, setIdentifier] = useState('')
  const [password, setPassword] = useState('')
  const errors = useFormErrors(FIELDS)
  const login = useApiMutation('auth:login', { invalidates: ['app:status'] })
  const words = useT()

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
          errors.showError(typeof until === 'number' ? new Error(words.t('signedOut.login.lockedUntil', { message: error.message, time: formatTime(until) })) : error)
        }
      }
    )
  }

  return (
    <CardPage title={words.t('signedOut.login.title')} titleId="login-title">
      {notice && <Notice tone="ok">{words.sayText(notice)}</Notice>}
      <form onSubmit={submit} noValidate aria-labelledby="login-title">
        <FormError message={errors.formError} ref={errors.alertRef} />
        <Field label={words.t('signedOut.field.identifier')} name="identifier" autoComplete="off" autoCapitalize="none" spellCheck={false}
          autoFocus required value={identifier} onChange={(e) => setIdentifier(e.target.value)}
          error={errors.fieldErrors.identifier} ref={errors.fieldRef('identifier')} />
        <Field label={words.t('signedOut.field.password')} name="password" type="password" autoComplete="off" required value={password}
          onChange={(e) => setPassword(e.target.value)} error={errors.fieldErrors.password}
          ref={errors.fieldRef('password')} />
        <button type="submit" className="button button--primary" disabled={login.isPending}>
          {login.isPending ? words.t('signedOut.login.checking') : words.t('signedOut.login.submit')}
        </button>
      </form>
      <div className="secondary-links">
        <LinkButton onClick={onForgot}>{words.t('signedOut.login.forgot')}</LinkButton>
        <LinkButton onClick={onRegistration}>{words.t('signedOut.login.registration')}</LinkButton>
      </div>
    </CardPage>
  )
}
