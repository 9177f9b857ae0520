import { useState, type FormEvent } from 'react'
import type { Input } from '../../../shared/contract'
import { EXAMPLE_DATABASE_URL, MAX_KEY_BUNDLE_CHARS } from '../../../shared/seat'
import { problemsIn, type ApiError } from '../api/client'
import { useApiMutation } from '../api/hooks'
import { Field, FileField, FormError, TextAreaField } from '../components/forms'
import { CardPage, LinkButton } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'
import { around, MARK, useT } from '../i18n'
import { encodeWords, message } from '../../../shared/i18n/translate'

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
  const words = useT()
  const join = useApiMutation('setup:join-organisation', {
    onSuccess: (joined) => onJoined(encodeWords(message('signedOut.join.joined', { address: joined.address })))
  })
  const set = (name: keyof Form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value }))

  async function pick(file: File | undefined) {
    if (!file) return
    if (file.size > MAX_KEY_BUNDLE_CHARS) return errors.setFieldError('bundleText', words.t('signedOut.join.tooLarge', { file: file.name }))
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
    <CardPage title={words.t('signedOut.join.title')} titleId="join-title" wide>
      <p className="lead">{words.t('signedOut.join.lead')}</p>
      <form onSubmit={submit} noValidate aria-labelledby="join-title">
        <FormError message={errors.formError} ref={errors.alertRef} />
        <Field label={words.t('signedOut.join.databaseUrl')} name="databaseUrl" autoComplete="off" autoCapitalize="none" spellCheck={false} autoFocus required
          value={form.databaseUrl} onChange={set('databaseUrl')} error={errors.fieldErrors.databaseUrl} ref={errors.fieldRef('databaseUrl')}
          hint={around(words.t('signedOut.join.databaseUrl.hint', { example: MARK }), <code translate="no">{EXAMPLE_DATABASE_URL}</code>)} />
        <Field label={words.t('signedOut.join.password')} name="password" type="password" autoComplete="off" value={form.password} onChange={set('password')}
          error={errors.fieldErrors.password} ref={errors.fieldRef('password')}
          hint={words.t('signedOut.join.password.hint')} />
        <Field label={words.t('signedOut.join.caFile')} name="caFile" autoComplete="off" spellCheck={false} value={form.caFile} onChange={set('caFile')}
          error={errors.fieldErrors.caFile} ref={errors.fieldRef('caFile')}
          hint={around(words.t('signedOut.join.caFile.hint', { example: MARK }), <code translate="no">/etc/ssl/certs/org-ca.pem</code>)} />
        <fieldset className="bundle">
          <legend>{words.t('signedOut.join.bundle')}</legend>
          <p className="field__hint">{around(words.t('signedOut.join.bundle.hint', { command: MARK }), <code translate="no">tessera seat export-key</code>)}</p>
          <FileField label={words.t('signedOut.join.bundleFile')} name="bundleFile" accept=".tessera-key,.json,application/json,text/plain" onFile={(f) => void pick(f)} />
          <TextAreaField label={words.t('signedOut.join.bundleText')} name="bundleText" rows={4} spellCheck={false} autoComplete="off" className="bundle__text"
            value={form.bundleText} onChange={set('bundleText')} error={errors.fieldErrors.bundleText} ref={errors.fieldRef('bundleText')} />
        </fieldset>
        <Field label={words.t('signedOut.join.passphrase')} name="passphrase" type="password" autoComplete="off" required value={form.passphrase} onChange={set('passphrase')}
          error={errors.fieldErrors.passphrase} ref={errors.fieldRef('passphrase')} hint={words.t('signedOut.join.passphrase.hint')} />
        <button type="submit" className="button button--primary" disabled={join.isPending}>
          {join.isPending ? words.t('signedOut.join.checking') : words.t('signedOut.join.submit')}
        </button>
        <p className="field__hint" role="status">{join.isPending ? words.t('signedOut.join.pending') : ''}</p>
      </form>
      <div className="secondary-links">
        <LinkButton onClick={onBack}>{words.t('signedOut.join.instead')}</LinkButton>
      </div>
    </CardPage>
  )
}
