import { useState } from 'react'
import type { UserDetail } from '../../../shared/admin-dto'
import { useApiMutation } from '../api/hooks'
import { Field, FormError } from '../components/forms'
import { Notice } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'

const INVALIDATES = ['users:get', 'users:list', 'tokens:list'] as const

/** A user's hardware token in their detail: which one they hold, or a serial number to give them one. */
export function TokenSection({ user }: { user: UserDetail }) {
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
      <h3 id="token-title">Hardware token</h3>
      {message && <Notice tone="ok">{message}</Notice>}
      <FormError message={errors.formError} ref={errors.alertRef} />
      {user.token ? (
        <>
          <p>
            Token <strong>{user.token.serial}</strong>: {user.token.confirmed ? 'in use.' : 'waiting for its first code at their next login.'}
          </p>
          <div className="actions">
            <button type="button" className="button" onClick={() => release.mutate({ serial: user.token!.serial, lost: false }, { onSuccess: done('Token taken back: it is available again.'), onError: errors.showError })}>
              Unassign
            </button>
            <button type="button" className="button button--danger" onClick={() => release.mutate({ serial: user.token!.serial, lost: true }, { onSuccess: done('Token marked lost.'), onError: errors.showError })}>
              Mark lost
            </button>
          </div>
        </>
      ) : (
        <form
          noValidate
          aria-label="Assign a hardware token"
          onSubmit={(e) => {
            e.preventDefault()
            assign.mutate({ userId: user.id, serial }, { onSuccess: (t) => done(`Token ${t.serial} assigned: ${user.displayName} confirms its first code at their next login.`)(), onError: errors.showError })
          }}
        >
          <Field label="Serial number on the token" name="serial" autoComplete="off" spellCheck={false} value={serial} onChange={(e) => setSerial(e.target.value)}
            error={errors.fieldErrors.serial} ref={errors.fieldRef('serial')} hint="One more method beside theirs, once they confirm its first code at their next login." />
          <button type="submit" className="button" disabled={assign.isPending}>Assign token</button>
        </form>
      )}
    </section>
  )
}
