import { useState, type FormEvent } from 'react'
import type { Input } from '../../../shared/contract'
import { EXAMPLE_DATABASE_URL, MAX_KEY_BUNDLE_CHARS } from '../../../shared/seat'
import { problemsIn, type ApiError } from '../api/client'
import { useApiMutation } from '../api/hooks'
import { Field, FormError, TextAreaField } from '../components/forms'
import { CardPage, LinkButton } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'

const FIELDS = ['databaseUrl', 'password', 'caFile', 'bundleText', 'passphrase'] as const
type Form = Required<Input<'setup:join-organisation'>>

/** The fields holding a secret: emptied when refused, so nothing refused stays on the screen. */
const SECRET_FIELDS: readonly string[] = ['password', 'passphrase']

/**
 * "Join an existing organisation": this first-run machine becomes a seat of the organisation's
 * shared PostgreSQL database, as `tessera seat join` makes one, and shows the organisation's login.
 */
export function JoinOrganisation({ onBack, onJoined }: { onBack: () => void; onJoined: (notice: string) => void }) {
  const [form, setForm] = useState<Form>({ databaseUrl: '', password: '', caFile: '', bundleText: '', passphrase: '' })
  const errors = useFormErrors(FIELDS)
  const join = useApiMutation('setup:join-organisation', {
    onSuccess: (joined) => onJoined(`This workstation joined the organisation at ${joined.address}. Log in with your account there.`)
  })
  const set = (name: keyof Form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value }))

  async function pick(file: File | undefined) {
    if (!file) return
    if (file.size > MAX_KEY_BUNDLE_CHARS) return errors.setFieldError('bundleText', `${file.name} is too large to be a key bundle: choose the .tessera-key file.`)
    const text = await file.text()
    setForm((f) => ({ ...f, bundleText: text }))
  }

  function refused(error: ApiError) {
    if (error.field && SECRET_FIELDS.includes(error.field)) setForm((f) => ({ ...f, [error.field!]: '' }))
    errors.showError(error)
  }

  function submit(event: FormEvent) {
    event.preventDefault()
    const problems = problemsIn('setup:join-organisation', form)
    if (Object.keys(problems).length) return errors.showFieldErrors(problems)
    errors.clear()
    join.mutate(form, { onError: refused })
  }

  return (
    <CardPage title="Join an existing organisation" titleId="join-title" wide>
      <p className="lead">
        Make this machine a seat of an organisation that already uses Tessera on a shared PostgreSQL database. Its users are there: you
        log in with your account once this machine has joined.
      </p>
      <form onSubmit={submit} noValidate aria-labelledby="join-title">
        <FormError message={errors.formError} ref={errors.alertRef} />
        <Field label="Database address" name="databaseUrl" autoComplete="off" autoCapitalize="none" spellCheck={false} autoFocus required
          value={form.databaseUrl} onChange={set('databaseUrl')} error={errors.fieldErrors.databaseUrl} ref={errors.fieldRef('databaseUrl')}
          hint={<>Like <code>{EXAMPLE_DATABASE_URL}</code>, without the password.</>} />
        <Field label="Database password" name="password" type="password" autoComplete="off" value={form.password} onChange={set('password')}
          error={errors.fieldErrors.password} ref={errors.fieldRef('password')}
          hint="Kept in a file of the data folder that only this account can read, never in the seat's settings. Leave it empty if the server asks for none." />
        <Field label="CA certificate file (optional)" name="caFile" autoComplete="off" spellCheck={false} value={form.caFile} onChange={set('caFile')}
          error={errors.fieldErrors.caFile} ref={errors.fieldRef('caFile')}
          hint={<>The full path of the organisation&apos;s CA certificate, like <code>/etc/ssl/certs/org-ca.pem</code>: the connection then uses TLS and checks the server&apos;s certificate and name.</>} />
        <fieldset className="bundle">
          <legend>Key bundle</legend>
          <p className="field__hint">The file an administrator exported on a seat of the organisation (<code>tessera seat export-key</code>).</p>
          <Field label="Bundle file" name="bundleFile" type="file" accept=".tessera-key,.json,application/json,text/plain"
            onChange={(e) => void pick(e.target.files?.[0])} />
          <TextAreaField label="Or paste its text" name="bundleText" rows={4} spellCheck={false} autoComplete="off" className="bundle__text"
            value={form.bundleText} onChange={set('bundleText')} error={errors.fieldErrors.bundleText} ref={errors.fieldRef('bundleText')} />
        </fieldset>
        <Field label="Bundle passphrase" name="passphrase" type="password" autoComplete="off" required value={form.passphrase} onChange={set('passphrase')}
          error={errors.fieldErrors.passphrase} ref={errors.fieldRef('passphrase')} hint="Given to you apart from the file." />
        <button type="submit" className="button button--primary" disabled={join.isPending}>
          {join.isPending ? 'Checking with the organisation…' : 'Join the organisation'}
        </button>
        <p className="field__hint" role="status">{join.isPending ? 'Opening the bundle and reaching the database server: this takes a few seconds.' : ''}</p>
      </form>
      <div className="secondary-links">
        <LinkButton onClick={onBack}>Create the first administrator instead</LinkButton>
      </div>
    </CardPage>
  )
}
