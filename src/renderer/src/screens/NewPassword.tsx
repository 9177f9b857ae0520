import { useState, type FormEvent } from 'react'
import type { SessionInfo } from '../../../shared/dto'
import { MIN_PASSWORD_LENGTH } from '../../../shared/validation'
import { useApiMutation } from '../api/hooks'
import { useLogout } from '../api/session'
import { Field, FormError } from '../components/forms'
import { CardPage, LinkButton } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'

const FIELDS = ['password', 'confirm'] as const

/** After a temporary password from the help desk: the user chooses their own before going on. */
export function NewPassword({ session }: { session: SessionInfo }) {
  const [form, setForm] = useState({ password: '', confirm: '' })
  const errors = useFormErrors(FIELDS)
  const save = useApiMutation('auth:set-password', { invalidates: ['app:status'] })
  const logout = useLogout()

  function submit(event: FormEvent) {
    event.preventDefault()
    errors.clear()
    if (form.password !== form.confirm) return errors.setFieldError('confirm', 'The two passwords are not the same.')
    save.mutate({ password: form.password }, { onError: errors.showError })
  }

  return (
    <CardPage title="Choose your own password" titleId="new-password-title">
      <p className="lead">
        Hello {session.user.displayName}. You logged in with a temporary password from the help desk. Choose a password that only you know to
        continue.
      </p>
      <form onSubmit={submit} noValidate aria-labelledby="new-password-title">
        <FormError message={errors.formError} ref={errors.alertRef} />
        <Field label="New password" name="password" type="password" autoComplete="new-password" autoFocus required value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })} error={errors.fieldErrors.password} ref={errors.fieldRef('password')}
          hint={`At least ${MIN_PASSWORD_LENGTH} characters. A passphrase of several words is easiest to remember.`} />
        <Field label="Confirm new password" name="confirm" type="password" autoComplete="new-password" required value={form.confirm}
          onChange={(e) => setForm({ ...form, confirm: e.target.value })} error={errors.fieldErrors.confirm} ref={errors.fieldRef('confirm')} />
        <button type="submit" className="button button--primary" disabled={save.isPending}>
          Save and continue
        </button>
      </form>
      <div className="secondary-links">
        <LinkButton onClick={() => void logout()}>Log out</LinkButton>
      </div>
    </CardPage>
  )
}
