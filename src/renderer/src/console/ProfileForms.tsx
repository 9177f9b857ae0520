/** Editing an account's profile, and deleting the account (typed confirmation), from its detail. */
import { useState, type FormEvent } from 'react'
import type { UserDetail } from '../../../shared/admin-dto'
import { problemsIn } from '../api/client'
import { useApiMutation } from '../api/hooks'
import { Field, FormError } from '../components/forms'
import { Notice } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'
import { useT } from '../i18n'

const INVALIDATES = ['users:get', 'users:list', 'requests:list', 'requests:badge', 'audit:list'] as const
const PROFILE_FIELDS = ['displayName', 'username', 'email', 'phone'] as const

export function EditProfile({ user, onDone, onCancel }: { user: UserDetail; onDone: (message: string) => void; onCancel: () => void }) {
  const words = useT()
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
    save.mutate(input, { onSuccess: (r) => onDone(r.changed.length ? words.t('users.profile.saved') : words.t('users.profile.unchanged')), onError: errors.showError })
  }

  // A directory account's fields are the directory's: shown, not editable (the engine refuses a change too).
  const managed = user.fromDirectory
  const field = (k: (typeof PROFILE_FIELDS)[number]) => ({
    value: form[k], onChange: set(k), error: errors.fieldErrors[k], ref: errors.fieldRef(k), readOnly: managed, ...(managed ? { hint: words.t('users.profile.managed') } : {})
  })
  return (
    <form className="subform" aria-label={words.t('users.profile.form', { name: user.displayName })} onSubmit={submit} noValidate>
      <FormError message={errors.formError} ref={errors.alertRef} />
      {managed && <Notice tone="info">{words.t('users.profile.fromDirectory')}</Notice>}
      <Field label={words.t('users.field.fullName')} name="displayName" autoComplete="off" autoFocus {...field('displayName')} />
      <Field label={words.t('users.field.username')} name="username" autoComplete="off" hint={words.t('users.profile.usernameHint')} {...field('username')} />
      <Field label={words.t('users.field.email')} name="email" type="email" autoComplete="off" {...field('email')} />
      <Field label={words.t('users.field.phoneOptional')} name="phone" type="tel" autoComplete="off" hint={words.t('users.profile.phoneHint')} {...field('phone')} />
      <div className="actions">
        {!managed && <button type="submit" className="button button--primary button--inline" disabled={save.isPending}>{words.t('users.profile.save')}</button>}
        <button type="button" className="button" onClick={onCancel}>{managed ? words.t('users.close') : words.t('users.cancel')}</button>
      </div>
    </form>
  )
}

export function DeleteUser({ user, onDone, onCancel }: { user: UserDetail; onDone: () => void; onCancel: () => void }) {
  const words = useT()
  const [confirm, setConfirm] = useState('')
  const errors = useFormErrors(['confirm'] as const)
  const remove = useApiMutation('users:delete', { invalidates: INVALIDATES })

  function submit(event: FormEvent) {
    event.preventDefault()
    errors.clear()
    remove.mutate({ userId: user.id, confirm }, { onSuccess: onDone, onError: errors.showError })
  }

  return (
    <form className="subform subform--danger" aria-label={words.t('users.delete.form', { name: user.displayName })} onSubmit={submit} noValidate>
      <p>
        {words.t('users.delete.before')}<strong translate="no">{user.displayName}</strong>{words.t('users.delete.removes')}
        {user.token && words.t('users.delete.token', { serial: user.token.serial })}
        {words.t('users.delete.keeps', { username: user.username })}
      </p>
      <FormError message={errors.formError} ref={errors.alertRef} />
      <Field label={words.t('users.delete.confirm', { username: user.username })} name="confirm" autoComplete="off" autoFocus value={confirm} onChange={(e) => setConfirm(e.target.value)}
        error={errors.fieldErrors.confirm} ref={errors.fieldRef('confirm')} />
      <div className="actions">
        <button type="submit" className="button button--danger" disabled={remove.isPending || confirm.trim().toLowerCase() !== user.username.toLowerCase()}>{words.t('users.delete.button')}</button>
        <button type="button" className="button" onClick={onCancel}>{words.t('users.cancel')}</button>
      </div>
    </form>
  )
}
