import { useState } from 'react'
import type { UserDetail } from '../../../shared/admin-dto'
import { useApiMutation } from '../api/hooks'
import { FormError } from '../components/forms'
import { formatDateTime, Notice } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'

/** A user's security keys as the help desk sees them (names and dates, no key material), each removable. */
export function KeysSection({ user }: { user: UserDetail }) {
  const [message, setMessage] = useState<string | null>(null)
  const errors = useFormErrors([] as const)
  const remove = useApiMutation('users:remove-key', { invalidates: ['users:get', 'users:list'] })
  if (user.keys.length === 0) return null
  return (
    <section aria-labelledby="keys-title" className="subform">
      <h3 id="keys-title">Security keys</h3>
      {message && <Notice tone="ok">{message}</Notice>}
      <FormError message={errors.formError} ref={errors.alertRef} />
      <ul className="key-list">
        {user.keys.map((k) => (
          <li key={k.id}>
            <strong>{k.name}</strong>, added {formatDateTime(k.createdAt)}, {k.lastUsedAt ? `last used ${formatDateTime(k.lastUsedAt)}` : 'not used yet'}{' '}
            <button type="button" className="button button--small" aria-label={`Remove the key ${k.name}`}
              onClick={() => remove.mutate({ userId: user.id, keyId: k.id }, { onSuccess: () => (errors.clear(), setMessage(`Key “${k.name}” removed.`)), onError: errors.showError })}>
              Remove
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}
