import { useState, type FormEvent } from 'react'
import { MIN_PASSWORD_LENGTH } from '../../../shared/validation'
import { useApiMutation } from '../api/hooks'
import { Field, FormError } from '../components/forms'
import { CardPage, LinkButton } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'

const FIELDS = ['token', 'password', 'confirm'] as const

/**
 * A registration link (tessera://enroll?token=...) opened the app, or its code was pasted: the user
 * chooses a password (or confirms theirs) and goes on to set up two-factor authentication.
 */
export function RegistrationCode({ initialToken, onBack }: { initialToken: string; onBack: () => void }) {
  const [token, setToken] = useState(initialToken)
  const [account, setAccount] = useState<{ displayName: string; hasPassword: boolean } | null>(null)
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const errors = useFormErrors(FIELDS)
  const check = useApiMutation('enrol:check-link')
  const redeem = useApiMutation('enrol:redeem-link', { invalidates: ['app:status'] })

  function submitToken(event: FormEvent) {
    event.preventDefault()
    errors.clear()
    check.mutate({ token }, { onSuccess: setAccount, onError: errors.showError })
  }

  function submitPassword(event: FormEvent) {
    event.preventDefault()
    errors.clear()
    if (!account?.hasPassword && password !== confirm) return errors.setFieldError('confirm', 'The two passwords are not the same.')
    redeem.mutate({ token, password }, {
        onError: (e) => {
          setPassword('')
          setConfirm('')
          errors.showError(e)
        }
      })
  }

  if (account) {
    return (
      <CardPage title={`Welcome, ${account.displayName}`} titleId="registration-title">
        <p className="lead">
          {account.hasPassword ? 'Enter your password to continue to the setup of two-factor authentication.' : 'Choose your password. Next you will set up two-factor authentication.'}
        </p>
        <form onSubmit={submitPassword} noValidate aria-labelledby="registration-title">
          <FormError message={errors.formError} ref={errors.alertRef} />
          <Field label={account.hasPassword ? 'Password' : 'New password'} name="password" type="password" autoComplete={account.hasPassword ? 'off' : 'new-password'}
            autoFocus required value={password} onChange={(e) => setPassword(e.target.value)} error={errors.fieldErrors.password} ref={errors.fieldRef('password')}
            hint={account.hasPassword ? undefined : `At least ${MIN_PASSWORD_LENGTH} characters.`} />
          {!account.hasPassword && (
            <Field label="Confirm new password" name="confirm" type="password" autoComplete="new-password" required value={confirm}
              onChange={(e) => setConfirm(e.target.value)} error={errors.fieldErrors.confirm} ref={errors.fieldRef('confirm')} />
          )}
          <button type="submit" className="button button--primary" disabled={redeem.isPending}>Continue</button>
        </form>
      </CardPage>
    )
  }

  return (
    <CardPage title="Registration code" titleId="registration-title">
      <p className="lead">Paste the registration link or code from the e-mail your administrator sent you.</p>
      <form onSubmit={submitToken} noValidate aria-labelledby="registration-title">
        <FormError message={errors.formError} ref={errors.alertRef} />
        <Field label="Registration link or code" name="token" autoComplete="off" spellCheck={false} autoFocus required value={token}
          onChange={(e) => setToken(e.target.value)} error={errors.fieldErrors.token} ref={errors.fieldRef('token')} />
        <button type="submit" className="button button--primary" disabled={check.isPending}>Continue</button>
      </form>
      <div className="secondary-links">
        <LinkButton onClick={onBack}>Back to log in</LinkButton>
      </div>
    </CardPage>
  )
}
