import { useState } from 'react'
import type { UserDetail } from '../../../shared/admin-dto'
import { METHOD_WORDS } from '../../../shared/i18n/labels'
import { useApiMutation } from '../api/hooks'
import { Field, FormError } from '../components/forms'
import { Notice } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'
import { useT } from '../i18n'

const INVALIDATES = ['users:get', 'users:list', 'tokens:list'] as const

/** A user's hardware token in their detail: which one they hold, or a serial number to give them one. */
export function TokenSection({ user }: { user: UserDetail }) {
  const words = useT()
  const [serial, setSerial] = useState('')
  const [message, setMessage] = useState<string | null>(null)
  const errors = useFormErrors(['serial'] as const)
  const assign = useApiMutation('users:assign-token', { invalidates: INVALIDATES })
  const release = useApiMutation('tokens:release', { invalidates: INVALIDATES })
  const done = (text: string) => () => {
    errors.clear()
    setSerial('')
    setMessage(text)
  }
  if (!user.token && !user.tokensAllowed) return null
  return (
    <section aria-labelledby="token-title" className="subform">
      <h3 id="token-title">{words.t(METHOD_WORDS.token)}</h3>
      {message && <Notice tone="ok">{message}</Notice>}
      <FormError message={errors.formError} ref={errors.alertRef} />
      {user.token ? (
        <>
          <p>
            {words.t('users.token.before')}<strong translate="no">{user.token.serial}</strong>{user.token.confirmed ? words.t('users.token.inUse') : words.t('users.token.waiting')}
          </p>
          <div className="actions">
            <button type="button" className="button" onClick={() => release.mutate({ serial: user.token!.serial, lost: false }, { onSuccess: done(words.t('users.token.takenBack')), onError: errors.showError })}>
              {words.t('users.token.unassign')}
            </button>
            <button type="button" className="button button--danger" onClick={() => release.mutate({ serial: user.token!.serial, lost: true }, { onSuccess: done(words.t('users.token.markedLost')), onError: errors.showError })}>
              {words.t('users.token.markLost')}
            </button>
          </div>
        </>
      ) : (
        <form
          noValidate
          aria-label={words.t('users.token.form')}
          onSubmit={(e) => {
            e.preventDefault()
            assign.mutate({ userId: user.id, serial }, { onSuccess: (t) => done(words.t('users.token.assigned', { serial: t.serial, name: user.displayName }))(), onError: errors.showError })
          }}
        >
          <Field label={words.t('users.token.serial')} name="serial" autoComplete="off" spellCheck={false} value={serial} onChange={(e) => setSerial(e.target.value)}
            error={errors.fieldErrors.serial} ref={errors.fieldRef('serial')} hint={words.t('users.token.serialHint')} />
          <button type="submit" className="button" disabled={assign.isPending}>{words.t('users.token.assign')}</button>
        </form>
      )}
    </section>
  )
}
