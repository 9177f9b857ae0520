import { useState, type FormEvent } from 'react'
import { MIN_PASSWORD_LENGTH } from '../../../shared/validation'
import { useApiMutation, useApiQuery } from '../api/hooks'
import { Field, FormError } from '../components/forms'
import { CardPage, LinkButton, Notice } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'

const FIELDS = ['identifier', 'code', 'password', 'confirm'] as const

/**
 * Where the organisation's directory checks passwords, its own way to change one comes first: Tessera
 * cannot reset those (the engine sends no code for them).
 */
function DirectoryPasswords() {
  const help = useApiQuery('auth:password-help', {})
  if (!help.data) return null
  const { text, url } = help.data
  return (
    <Notice tone="info">
      <strong>Is your password the one you use for your computer and e-mail at work?</strong> Then Tessera cannot change it: your organisation&apos;s directory
      keeps it. {text || 'Change it the way your organisation does, or ask the help desk.'}
      {url && <> <span className="address">{url}</span></>}
    </Notice>
  )
}

/** "Forgot password?": a reset code by e-mail when SMTP is set up, otherwise a help-desk request. */
export function ForgotPassword({ onBack }: { onBack: (notice?: string) => void }) {
  const [identifier, setIdentifier] = useState('')
  const [form, setForm] = useState({ code: '', password: '', confirm: '' })
  const [via, setVia] = useState<'email' | 'helpdesk' | null>(null)
  const errors = useFormErrors(FIELDS)
  const ask = useApiMutation('auth:forgot-password')
  const reset = useApiMutation('auth:reset-password')

  function request(event: FormEvent) {
    event.preventDefault()
    errors.clear()
    ask.mutate({ identifier }, { onSuccess: (r) => setVia(r.via), onError: errors.showError })
  }

  function submitReset(event: FormEvent) {
    event.preventDefault()
    errors.clear()
    if (form.password !== form.confirm) return errors.setFieldError('confirm', 'The two passwords are not the same.')
    reset.mutate(
      { identifier, code: form.code, password: form.password },
      { onSuccess: () => onBack('Your password was changed. Log in with the new one.'), onError: errors.showError }
    )
  }

  if (via === 'helpdesk') {
    return (
      <CardPage title="Request sent to the help desk" titleId="forgot-title">
        <Notice tone="ok">
          If <strong>{identifier}</strong> is an account here, the help desk has been asked to help. They will check who you are and give you a
          temporary password; you choose your own when you log in with it.
        </Notice>
        <button type="button" className="button button--primary" onClick={() => onBack()} autoFocus>
          Back to log in
        </button>
      </CardPage>
    )
  }

  if (via === 'email') {
    return (
      <CardPage title="Choose a new password" titleId="forgot-title">
        <p className="lead">If <strong>{identifier}</strong> is an account here, a 6-digit code was sent to its e-mail address. It works for 5 minutes.</p>
        <form onSubmit={submitReset} noValidate aria-labelledby="forgot-title">
          <FormError message={errors.formError} ref={errors.alertRef} />
          <Field label="Code from the e-mail" name="code" inputMode="numeric" autoComplete="off" autoFocus required value={form.code}
            onChange={(e) => setForm({ ...form, code: e.target.value })} error={errors.fieldErrors.code} ref={errors.fieldRef('code')} />
          <Field label="New password" name="password" type="password" autoComplete="new-password" required value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })} error={errors.fieldErrors.password} ref={errors.fieldRef('password')}
            hint={`At least ${MIN_PASSWORD_LENGTH} characters.`} />
          <Field label="Confirm new password" name="confirm" type="password" autoComplete="new-password" required value={form.confirm}
            onChange={(e) => setForm({ ...form, confirm: e.target.value })} error={errors.fieldErrors.confirm} ref={errors.fieldRef('confirm')} />
          <button type="submit" className="button button--primary" disabled={reset.isPending}>Change password</button>
        </form>
        <div className="secondary-links">
          <LinkButton onClick={() => onBack()}>Back to log in</LinkButton>
        </div>
      </CardPage>
    )
  }

  return (
    <CardPage title="Forgot your password?" titleId="forgot-title">
      <DirectoryPasswords />
      <p className="lead">Enter your username or e-mail. We will send you a code, or ask the help desk to help you.</p>
      <form onSubmit={request} noValidate aria-labelledby="forgot-title">
        <FormError message={errors.formError} ref={errors.alertRef} />
        <Field label="Username or e-mail" name="identifier" autoComplete="off" autoFocus required value={identifier}
          onChange={(e) => setIdentifier(e.target.value)} error={errors.fieldErrors.identifier} ref={errors.fieldRef('identifier')} />
        <button type="submit" className="button button--primary" disabled={ask.isPending}>Continue</button>
      </form>
      <div className="secondary-links">
        <LinkButton onClick={() => onBack()}>Back to log in</LinkButton>
      </div>
    </CardPage>
  )
}
