import { useState } from 'react'
import type { UserDetail } from '../../../shared/admin-dto'
import { useApiMutation } from '../api/hooks'
import { FormError } from '../components/forms'
import { formatDateTime, Notice } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'
import { useT } from '../i18n'

/** A user's security keys as the help desk sees them (names and dates, no key material), each removable. */
export function KeysSection({ user }: { user: UserDetail }) {
  const words = useT()
  const [message, setMessage] = useState<string | null>(null)
  const errors = useFormErrors([] as const)
  const remove = useApiMutation('users:remove-key', { invalidates: ['users:get', 'users:list'] })
  if (user.keys.length === 0) return null
  return (
    <section aria-labelledby="keys-title" className="subform">
      <h3 id="keys-title">{words.t('users.keys.title')}</h3>
      {message && <Notice tone="ok">{message}</Notice>}
      <FormError message={errors.formError} ref={errors.alertRef} />
      <ul className="key-list">
        {user.keys.map((k) => (
          <li key={k.id}>
            <strong translate="no">{k.name}</strong>
            {k.lastUsedAt
              ? words.t('users.keys.used', { added: formatDateTime(k.createdAt), used: formatDateTime(k.lastUsedAt) })
              : words.t('users.keys.unused', { added: formatDateTime(k.createdAt) })}{' '}
            <button type="button" className="button button--small" aria-label={words.t('users.keys.remove', { name: k.name })}
              onClick={() => remove.mutate({ userId: user.id, keyId: k.id }, { onSuccess: () => (errors.clear(), setMessage(words.t('users.keys.removed', { name: k.name }))), onError: errors.showError })}>
              {words.t('users.remove')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}
