import { useState, type FormEvent } from 'react'
import type { Role } from '../../../shared/dto'
import { ROLE_WORDS } from '../../../shared/i18n/labels'
import { problemsIn } from '../api/client'
import { useApiMutation } from '../api/hooks'
import { Field, FormError } from '../components/forms'
import { formatDateTime } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'
import { useT } from '../i18n'

const FIELDS = ['username', 'email', 'displayName', 'phone', 'role'] as const

/**
 * A new account gets a temporary password, shown once here for the staff member to read out: it
 * works for a day, and the user chooses their own at the first login (then sets up 2FA).
 */
export function AddUser({ role, onClose }: { role: Role; onClose: () => void }) {
  const words = useT()
  const empty = { username: '', email: '', displayName: '', phone: '', role: 'user' as Role }
  const [form, setForm] = useState(empty)
  const [created, setCreated] = useState<{ name: string; password: string; expiresAt: number } | null>(null)
  const errors = useFormErrors(FIELDS)
  const create = useApiMutation('users:create', { invalidates: ['users:list'] })
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value })

  function submit(event: FormEvent) {
    event.preventDefault()
    const problems = problemsIn('users:create', form)
    if (Object.keys(problems).length) return errors.showFieldErrors(problems)
    errors.clear()
    create.mutate(form, {
      onSuccess: (r) => {
        setCreated({ name: form.displayName, ...r.temporaryPassword })
        setForm(empty)
      },
      onError: errors.showError
    })
  }

  const field = (k: Exclude<(typeof FIELDS)[number], 'role'>) => ({ value: form[k], onChange: set(k), error: errors.fieldErrors[k], ref: errors.fieldRef(k) })
  return (
    <form className="panel subform" aria-labelledby="add-user-title" onSubmit={submit} noValidate>
      <h2 id="add-user-title">{words.t('users.add.title')}</h2>
      {created && (
        <div className="notice notice--warn" role="status">
          <strong translate="no">{created.name}</strong>{words.t('users.add.created')}<code className="key" translate="no">{created.password}</code>
          {words.t('users.add.createdUntil', { date: formatDateTime(created.expiresAt) })}
        </div>
      )}
      <FormError message={errors.formError} ref={errors.alertRef} />
      <div className="form-grid">
        <Field label={words.t('users.field.username')} name="username" autoComplete="off" autoFocus {...field('username')} />
        <Field label={words.t('users.field.email')} name="email" type="email" autoComplete="off" {...field('email')} />
        <Field label={words.t('users.field.fullName')} name="displayName" autoComplete="off" {...field('displayName')} />
        <Field label={words.t('users.field.phoneOptional')} name="phone" type="tel" autoComplete="off" hint={words.t('users.add.phoneHint')} {...field('phone')} />
        <div className="field">
          <label htmlFor="new-user-role">{words.t('users.field.role')}</label>
          <select id="new-user-role" value={form.role} onChange={set('role')}>
            {(role === 'admin' ? (['user', 'helpdesk', 'admin'] as const) : (['user'] as const)).map((r) => (
              <option key={r} value={r}>{words.t(ROLE_WORDS[r])}</option>
            ))}
          </select>
        </div>
      </div>
      <p className="field__hint">{words.t('users.add.passwordHint')}</p>
      <div className="actions">
        <button type="submit" className="button button--primary button--inline" disabled={create.isPending}>{words.t('users.add.create')}</button>
        <button type="button" className="button" onClick={onClose}>{words.t('users.close')}</button>
      </div>
    </form>
  )
}
