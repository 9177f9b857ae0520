/** Editing an account's profile, and deleting the account (typed confirmation), from its detail. */
import { useState, type FormEvent } from 'react'
import type { UserDetail } from '../../../shared/admin-dto'
import { problemsIn } from '../api/client'
import { useApiMutation } from '../api/hooks'
import { Field, FormError } from '../components/forms'
import { Notice } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'

const INVALIDATES = ['users:get', 'users:list', 'requests:list', 'requests:badge', 'audit:list'] as const
const PROFILE_FIELDS = ['displayName', 'username', 'email', 'phone'] as const

export function EditProfile({ user, onDone, onCancel }: { user: UserDetail; onDone: (message: string) => void; onCancel: () => void }) {
  const [form, setForm] = useState({ displayName: user.displayName, username: user.username, email: user.email, phone: user.phone ?? '' })
  const errors = useFormErrors(PROFILE_FIELDS)
  const save = useApiMutation('users:update', { invalidates: INVALIDATES })
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value })

  function submit(event: FormEvent) {
    event.preventDefault()
    if (user.fromDirectory) return
    const input = { userId: user.id, ...form }
    const problems = problemsIn('users:update', input)
    if (Object.keys(problems).length) return errors.showFieldErrors(problems)
    errors.clear()
    save.mutate(input, { onSuccess: (r) => onDone(r.changed.length ? 'Profile saved. The change is in the audit log.' : 'Nothing changed.'), onError: errors.showError })
  }

  // A directory account's fields are the directory's: shown, not editable (the engine refuses a change too).
  const managed = user.fromDirectory
  const field = (k: (typeof PROFILE_FIELDS)[number]) => ({
    value: form[k], onChange: set(k), error: errors.fieldErrors[k], ref: errors.fieldRef(k), readOnly: managed, ...(managed ? { hint: 'Managed by the directory.' } : {})
  })
  return (
    <form className="subform" aria-label={`Edit the profile of ${user.displayName}`} onSubmit={submit} noValidate>
      <FormError message={errors.formError} ref={errors.alertRef} />
      {managed && (
        <Notice tone="info">
          This account comes from the organisation&apos;s directory: its name, username, e-mail and phone are changed there, and Tessera takes them at the next sync.
        </Notice>
      )}
      <Field label="Full name" name="displayName" autoComplete="off" autoFocus {...field('displayName')} />
      <Field label="Username" name="username" autoComplete="off" hint="They log in with it; the audit log keeps the old name in past rows." {...field('username')} />
      <Field label="E-mail" name="email" type="email" autoComplete="off" {...field('email')} />
      <Field label="Phone (optional)" name="phone" type="tel" autoComplete="off" hint="For a call-back when they lose their device." {...field('phone')} />
      <div className="actions">
        {!managed && <button type="submit" className="button button--primary button--inline" disabled={save.isPending}>Save profile</button>}
        <button type="button" className="button" onClick={onCancel}>{managed ? 'Close' : 'Cancel'}</button>
      </div>
    </form>
  )
}

export function DeleteUser({ user, onDone, onCancel }: { user: UserDetail; onDone: () => void; onCancel: () => void }) {
  const [confirm, setConfirm] = useState('')
  const errors = useFormErrors(['confirm'] as const)
  const remove = useApiMutation('users:delete', { invalidates: INVALIDATES })

  function submit(event: FormEvent) {
    event.preventDefault()
    errors.clear()
    remove.mutate({ userId: user.id, confirm }, { onSuccess: onDone, onError: errors.showError })
  }

  return (
    <form className="subform subform--danger" aria-label={`Delete the account of ${user.displayName}`} onSubmit={submit} noValidate>
      <p>
        Deleting <strong>{user.displayName}</strong> removes the account, its password, second factors, recovery codes, security keys and requests.
        {user.token && ` Hardware token ${user.token.serial} goes back to the drawer.`} The audit log keeps what they did, under the name {user.username}. This cannot be undone:
        to stop a login for now, disable the account instead.
      </p>
      <FormError message={errors.formError} ref={errors.alertRef} />
      <Field label={`Type the username, ${user.username}, to confirm`} name="confirm" autoComplete="off" autoFocus value={confirm} onChange={(e) => setConfirm(e.target.value)}
        error={errors.fieldErrors.confirm} ref={errors.fieldRef('confirm')} />
      <div className="actions">
        <button type="submit" className="button button--danger" disabled={remove.isPending || confirm.trim().toLowerCase() !== user.username.toLowerCase()}>Delete account</button>
        <button type="button" className="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  )
}
