import { useState, type FormEvent } from 'react'
import { MIN_PASSWORD_LENGTH } from '../../../shared/validation'
import { useApiMutation } from '../api/hooks'
import { Field, FormError } from '../components/forms'
import { CardPage, LinkButton } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'
import { useT } from '../i18n'

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
  const words = useT()

  function submitToken(event: FormEvent) {
    event.preventDefault()
    errors.clear()
    check.mutate({ token }, { onSuccess: setAccount, onError: errors.showError })
  }

  function submitPassword(event: FormEvent) {
    event.preventDefault()
    errors.clear()
    if (!account?.hasPassword && password !== confirm) return errors.setFieldError('confirm', words.t('signedOut.password.mismatch'))
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
      <CardPage title={words.t('signedOut.registration.welcome', { name: account.displayName })} titleId="registration-title">
        <p className="lead">
          {words.t(account.hasPassword ? 'signedOut.registration.leadHasPassword' : 'signedOut.registration.leadNewPassword')}
        </p>
        <form onSubmit={submitPassword} noValidate aria-labelledby="registration-title">
          <FormError message={errors.formError} ref={errors.alertRef} />
          <Field label={words.t(account.hasPassword ? 'signedOut.field.password' : 'signedOut.field.newPassword')} name="password" type="password" autoComplete={account.hasPassword ? 'off' : 'new-password'}
            autoFocus required value={password} onChange={(e) => setPassword(e.target.value)} error={errors.fieldErrors.password} ref={errors.fieldRef('password')}
            hint={account.hasPassword ? undefined : words.t('signedOut.password.atLeast', { min: MIN_PASSWORD_LENGTH })} />
          {!account.hasPassword && (
            <Field label={words.t('signedOut.field.confirmNewPassword')} name="confirm" type="password" autoComplete="new-password" required value={confirm}
              onChange={(e) => setConfirm(e.target.value)} error={errors.fieldErrors.confirm} ref={errors.fieldRef('confirm')} />
          )}
          <button type="submit" className="button button--primary" disabled={redeem.isPending}>{words.t('signedOut.continue')}</button>
        </form>
      </CardPage>
    )
  }

  return (
    <CardPage title={words.t('signedOut.registration.title')} titleId="registration-title">
      <p className="lead">{words.t('signedOut.registration.lead')}</p>
      <form onSubmit={submitToken} noValidate aria-labelledby="registration-title">
        <FormError message={errors.formError} ref={errors.alertRef} />
        <Field label={words.t('signedOut.registration.token')} name="token" autoComplete="off" spellCheck={false} autoFocus required value={token}
          onChange={(e) => setToken(e.target.value)} error={errors.fieldErrors.token} ref={errors.fieldRef('token')} />
        <button type="submit" className="button button--primary" disabled={check.isPending}>{words.t('signedOut.continue')}</button>
      </form>
      <div className="secondary-links">
        <LinkButton onClick={onBack}>{words.t('signedOut.backToLogin')}</LinkButton>
      </div>
    </CardPage>
  )
}
