import { useState, type FormEvent } from 'react'
import { MIN_PASSWORD_LENGTH } from '../../../shared/validation'
import { useApiMutation, useApiQuery } from '../api/hooks'
import { Field, FormError } from '../components/forms'
import { CardPage, LinkButton, Notice } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'
import { around, MARK, useT } from '../i18n'
import { encodeWords, message } from '../../../shared/i18n/translate'

const FIELDS = ['identifier', 'code', 'password', 'confirm'] as const


/**
 * Where the organisation's directory checks passwords, its own way to change one comes first: Tessera
 * cannot reset those (the engine sends no code for them).
 */
function DirectoryPasswords() {
  const help = useApiQuery('auth:password-help', {})
  const words = useT()
  if (!help.data) return null
  const { text, url } = help.data
  return (
    <Notice tone="info">
      <strong>{words.t('signedOut.forgot.directory.question')}</strong>{' '}
      {words.t('signedOut.forgot.directory.body', { how: text || words.t('signedOut.forgot.directory.fallback') })}
      {url && <> <span className="address" translate="no">{url}</span></>}
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
  const words = useT()
  const who = <strong translate="no">{identifier}</strong>

  function request(event: FormEvent) {
    event.preventDefault()
    errors.clear()
    ask.mutate({ identifier }, { onSuccess: (r) => setVia(r.via), onError: errors.showError })
  }

  function submitReset(event: FormEvent) {
    event.preventDefault()
    errors.clear()
    if (form.password !== form.confirm) return errors.setFieldError('confirm', words.t('signedOut.password.mismatch'))
    reset.mutate(
      { identifier, code: form.code, password: form.password },
      { onSuccess: () => onBack(encodeWords(message('signedOut.forgot.changed'))), onError: errors.showError }
    )
  }

  if (via === 'helpdesk') {
    return (
      <CardPage title={words.t('signedOut.forgot.helpdesk.title')} titleId="forgot-title">
        <Notice tone="ok">{around(words.t('signedOut.forgot.helpdesk.body', { identifier: MARK }), who)}</Notice>
        <button type="button" className="button button--primary" onClick={() => onBack()} autoFocus>
          {words.t('signedOut.backToLogin')}
        </button>
      </CardPage>
    )
  }

  if (via === 'email') {
    return (
      <CardPage title={words.t('signedOut.forgot.email.title')} titleId="forgot-title">
        <p className="lead">{around(words.t('signedOut.forgot.email.lead', { identifier: MARK }), who)}</p>
        <form onSubmit={submitReset} noValidate aria-labelledby="forgot-title">
          <FormError message={errors.formError} ref={errors.alertRef} />
          <Field label={words.t('signedOut.forgot.email.code')} name="code" inputMode="numeric" autoComplete="off" autoFocus required value={form.code}
            onChange={(e) => setForm({ ...form, code: e.target.value })} error={errors.fieldErrors.code} ref={errors.fieldRef('code')} />
          <Field label={words.t('signedOut.field.newPassword')} name="password" type="password" autoComplete="new-password" required value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })} error={errors.fieldErrors.password} ref={errors.fieldRef('password')}
            hint={words.t('signedOut.password.atLeast', { min: MIN_PASSWORD_LENGTH })} />
          <Field label={words.t('signedOut.field.confirmNewPassword')} name="confirm" type="password" autoComplete="new-password" required value={form.confirm}
            onChange={(e) => setForm({ ...form, confirm: e.target.value })} error={errors.fieldErrors.confirm} ref={errors.fieldRef('confirm')} />
          <button type="submit" className="button button--primary" disabled={reset.isPending}>{words.t('signedOut.forgot.email.submit')}</button>
        </form>
        <div className="secondary-links">
          <LinkButton onClick={() => onBack()}>{words.t('signedOut.backToLogin')}</LinkButton>
        </div>
      </CardPage>
    )
  }

  return (
    <CardPage title={words.t('signedOut.forgot.title')} titleId="forgot-title">
      <DirectoryPasswords />
      <p className="lead">{words.t('signedOut.forgot.lead')}</p>
      <form onSubmit={request} noValidate aria-labelledby="forgot-title">
        <FormError message={errors.formError} ref={errors.alertRef} />
        <Field label={words.t('signedOut.field.identifier')} name="identifier" autoComplete="off" autoFocus required value={identifier}
          onChange={(e) => setIdentifier(e.target.value)} error={errors.fieldErrors.identifier} ref={errors.fieldRef('identifier')} />
        <button type="submit" className="button button--primary" disabled={ask.isPending}>{words.t('signedOut.continue')}</button>
      </form>
      <div className="secondary-links">
        <LinkButton onClick={() => onBack()}>{words.t('signedOut.backToLogin')}</LinkButton>
      </div>
    </CardPage>
  )
}
