import { useState, type FormEvent } from 'react'
import { MIN_PASSWORD_LENGTH } from '../../../shared/validation'
import { problemsIn } from '../api/client'
import { useApiMutation } from '../api/hooks'
import { Field, FormError } from '../components/forms'
import { useFormErrors } from '../components/use-form-errors'
import { JoinOrganisation } from './JoinOrganisation'

const FIELDS = ['username', 'email', 'displayName', 'password', 'confirm'] as const

/**
 * Nobody is set up here yet: create the organisation's first administrator or, on a first-run
 * machine, join an organisation that already exists on a shared database instead.
 */
export function FirstRun({ canJoin, onJoined }: { canJoin: boolean; onJoined: (notice: string) => void }) {
  const [joining, setJoining] = useState(false)
  if (joining && canJoin) return <JoinOrganisation onBack={() => setJoining(false)} onJoined={onJoined} />
  return <CreateAdmin onJoin={canJoin ? () => setJoining(true) : null} />
}

function CreateAdmin({ onJoin }: { onJoin: (() => void) | null }) {
  const [form, setForm] = useState({ username: '', email: '', displayName: '', password: '', confirm: '' })
  const errors = useFormErrors(FIELDS)
  const create = useApiMutation('setup:create-admin', { invalidates: ['app:status'], onSuccess: () => errors.clear() })

  const set = (name: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: e.target.value }))

  function submit(event: FormEvent) {
    event.preventDefault()
    const { confirm, ...input } = form
    const problems = { ...problemsIn('setup:create-admin', input), ...(confirm !== input.password ? { confirm: 'The two passwords are not the same.' } : {}) }
    if (Object.keys(problems).length) return errors.showFieldErrors(problems)
    errors.clear()
    create.mutate(input, { onError: errors.showError })
  }

  return (
    <main className="card-page">
      <form className="card" onSubmit={submit} noValidate aria-labelledby="first-run-title">
        <p className="brand">Tessera</p>
        <h1 id="first-run-title">Create the first administrator</h1>
        <p className="lead">
          Nobody has been set up on this machine yet. The account you create now manages policy, help-desk staff and
          users. You will set up its second factor next.
        </p>
        {onJoin && (
          <div className="join-offer">
            <p>Is this a seat of an organisation that already uses Tessera on a shared database?</p>
            <button type="button" className="button button--small" onClick={onJoin}>
              Join an existing organisation
            </button>
          </div>
        )}
        <FormError message={errors.formError} ref={errors.alertRef} />
        <Field label="Username" name="username" autoComplete="off" autoFocus required value={form.username}
          onChange={set('username')} error={errors.fieldErrors.username} ref={errors.fieldRef('username')} />
        <Field label="E-mail" name="email" type="email" autoComplete="off" required value={form.email}
          onChange={set('email')} error={errors.fieldErrors.email} ref={errors.fieldRef('email')} />
        <Field label="Full name" name="displayName" autoComplete="off" required value={form.displayName}
          onChange={set('displayName')} error={errors.fieldErrors.displayName} ref={errors.fieldRef('displayName')} />
        <Field label="Password" name="password" type="password" autoComplete="new-password" required
          value={form.password} onChange={set('password')} error={errors.fieldErrors.password}
          ref={errors.fieldRef('password')} hint={`At least ${MIN_PASSWORD_LENGTH} characters. A passphrase of several words is easiest to remember.`} />
        <Field label="Confirm password" name="confirm" type="password" autoComplete="new-password" required
          value={form.confirm} onChange={set('confirm')} error={errors.fieldErrors.confirm} ref={errors.fieldRef('confirm')} />
        <button type="submit" className="button button--primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create administrator'}
        </button>
      </form>
    </main>
  )
}
