import { useState, type FormEvent } from 'react'
import { MIN_PASSWORD_LENGTH } from '../../../shared/validation'
import { problemsIn } from '../api/client'
import { useApiMutation } from '../api/hooks'
import { Field, FormError } from '../components/forms'
import { useFormErrors } from '../components/use-form-errors'
import { useT } from '../i18n'
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
  const words = useT()

  const set = (name: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: e.target.value }))

  function submit(event: FormEvent) {
    event.preventDefault()
    const { confirm, ...input } = form
    const problems = { ...problemsIn('setup:create-admin', input), ...(confirm !== input.password ? { confirm: words.t('signedOut.password.mismatch') } : {}) }
    if (Object.keys(problems).length) return errors.showFieldErrors(problems)
    errors.clear()
    create.mutate(input, { onError: errors.showError })
  }

  return (
    <main className="card-page">
      <form className="card" onSubmit={submit} noValidate aria-labelledby="first-run-title">
        <p className="brand">Tessera</p>
        <h1 id="first-run-title">{words.t('signedOut.firstRun.title')}</h1>
        <p className="lead">{words.t('signedOut.firstRun.lead')}</p>
        {onJoin && (
          <div className="join-offer">
            <p>{words.t('signedOut.firstRun.joinQuestion')}</p>
            <button type="button" className="button button--small" onClick={onJoin}>
              {words.t('signedOut.firstRun.join')}
            </button>
          </div>
        )}
        <FormError message={errors.formError} ref={errors.alertRef} />
        <Field label={words.t('signedOut.firstRun.username')} name="username" autoComplete="off" autoFocus required value={form.username}
          onChange={set('username')} error={errors.fieldErrors.username} ref={errors.fieldRef('username')} />
        <Field label={words.t('signedOut.firstRun.email')} name="email" type="email" autoComplete="off" required value={form.email}
          onChange={set('email')} error={errors.fieldErrors.email} ref={errors.fieldRef('email')} />
        <Field label={words.t('signedOut.firstRun.displayName')} name="displayName" autoComplete="off" required value={form.displayName}
          onChange={set('displayName')} error={errors.fieldErrors.displayName} ref={errors.fieldRef('displayName')} />
        <Field label={words.t('signedOut.field.password')} name="password" type="password" autoComplete="new-password" required
          value={form.password} onChange={set('password')} error={errors.fieldErrors.password}
          ref={errors.fieldRef('password')} hint={words.t('signedOut.password.atLeastPassphrase', { min: MIN_PASSWORD_LENGTH })} />
        <Field label={words.t('signedOut.firstRun.confirm')} name="confirm" type="password" autoComplete="new-password" required
          value={form.confirm} onChange={set('confirm')} error={errors.fieldErrors.confirm} ref={errors.fieldRef('confirm')} />
        <button type="submit" className="button button--primary" disabled={create.isPending}>
          {create.isPending ? words.t('signedOut.firstRun.creating') : words.t('signedOut.firstRun.create')}
        </button>
      </form>
    </main>
  )
}
