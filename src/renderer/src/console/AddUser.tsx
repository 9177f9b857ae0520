import { useState, type FormEvent } from 'react'
import { ROLE_LABELS, type Role } from '../../../shared/dto'
import { MIN_PASSWORD_LENGTH } from '../../../shared/validation'
import { useApiMutation } from '../api/hooks'
import { Field, FormError } from '../components/forms'
import { Notice } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'

const FIELDS = ['username', 'email', 'displayName', 'role', 'password'] as const

export function AddUser({ role, onClose }: { role: Role; onClose: () => void }) {
  const empty = { username: '', email: '', displayName: '', role: 'user' as Role, password: '' }
  const [form, setForm] = useState(empty)
  const [created, setCreated] = useState<string | null>(null)
  const errors = useFormErrors(FIELDS)
  const create = useApiMutation('users:create', { invalidates: ['users:list'] })
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value })

  function submit(event: FormEvent) {
    event.preventDefault()
    errors.clear()
    create.mutate(form, {
      onSuccess: () => {
        setCreated(form.username)
        setForm(empty)
      },
      onError: errors.showError
    })
  }

  return (
    <form className="panel subform" aria-labelledby="add-user-title" onSubmit={submit} noValidate>
      <h2 id="add-user-title">Add a user</h2>
      {created && <Notice tone="ok">{created} was created. They set up two-factor authentication at their first login.</Notice>}
      <FormError message={errors.formError} ref={errors.alertRef} />
      <div className="form-grid">
        <Field label="Username" name="username" autoComplete="off" autoFocus value={form.username} onChange={set('username')} error={errors.fieldErrors.username} ref={errors.fieldRef('username')} />
        <Field label="E-mail" name="email" type="email" autoComplete="off" value={form.email} onChange={set('email')} error={errors.fieldErrors.email} ref={errors.fieldRef('email')} />
        <Field label="Full name" name="displayName" autoComplete="off" value={form.displayName} onChange={set('displayName')} error={errors.fieldErrors.displayName} ref={errors.fieldRef('displayName')} />
        <div className="field">
          <label htmlFor="new-user-role">Role</label>
          <select id="new-user-role" value={form.role} onChange={set('role')}>
            {(role === 'admin' ? (['user', 'helpdesk', 'admin'] as const) : (['user'] as const)).map((r) => (
              <option key={r} value={r}>{ROLE_LABELS[r]}</option>
            ))}
          </select>
        </div>
        <Field label="Initial password" name="password" type="password" autoComplete="new-password" value={form.password} onChange={set('password')}
          hint={`At least ${MIN_PASSWORD_LENGTH} characters. Tell it to the user in person.`} error={errors.fieldErrors.password} ref={errors.fieldRef('password')} />
      </div>
      <div className="actions">
        <button type="submit" className="button button--primary button--inline" disabled={create.isPending}>Create user</button>
        <button type="button" className="button" onClick={onClose}>Close</button>
      </div>
    </form>
  )
}
