import { useState, type FormEvent } from 'react'
import type { SessionInfo } from '../../../shared/dto'
import { MIN_PASSWORD_LENGTH } from '../../../shared/validation'
import { useApiMutation } from '../api/hooks'
import { useLogout } from '../api/session'
import { Field, FormError } from '../components/forms'
import { CardPage, LinkButton } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'
import { useT } from '../i18n'

const FIELDS = ['password', 'confirm'] as const

/** After a temporary password from the help desk: the user chooses their own before going on. */
export function NewPassword({ session }: { session: SessionInfo }) {
  const [form, setForm] = useState({ password: '', confirm: '' })
  const errors = useFormErrors(FIELDS)
  const save = useApiMutation('auth:set-password', { invalidates: ['app:status'] })
  const logout = useLogout()
  const words = useT()

  function submit(event: FormEvent) {
    event.preventDefault()
    errors.clear()
    if (form.password !== form.confirm) return errors.setFieldError('confirm', words.t('signedOut.password.mismatch'))
    save.mutate({ password: form.password }, { onError: errors.showError })
  }

  return (
    <CardPage title={words.t('signedOut.newPassword.title')} titleId="new-password-title">
      <p className="lead">{words.t('signedOut.newPassword.lead', { name: session.user.displayName })}</p>
      <form onSubmit={submit} noValidate aria-labelledby="new-password-title">
        <FormError message={errors.formError} ref={errors.alertRef} />
        <Field label={words.t('signedOut.field.newPassword')} name="password" type="password" autoComplete="new-password" autoFocus required value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })} error={errors.fieldErrors.password} ref={errors.fieldRef('password')}
          hint={words.t('signedOut.password.atLeastPassphrase', { min: MIN_PASSWORD_LENGTH })} />
        <Field label={words.t('signedOut.field.confirmNewPassword')} name="confirm" type="password" autoComplete="new-password" required value={form.confirm}
          onChange={(e) => setForm({ ...form, confirm: e.target.value })} error={errors.fieldErrors.confirm} ref={errors.fieldRef('confirm')} />
        <button type="submit" className="button button--primary" disabled={save.isPending}>
          {words.t('signedOut.newPassword.save')}
        </button>
      </form>
      <div className="secondary-links">
        <LinkButton onClick={() => void logout()}>{words.t('signedOut.newPassword.logout')}</LinkButton>
      </div>
    </CardPage>
  )
}
