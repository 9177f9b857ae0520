import { useState } from 'react'
import type { UserDetail } from '../../../shared/admin-dto'
import { heldMethodWords } from '../../../shared/i18n/labels'
import { useApiMutation } from '../api/hooks'
import { FormError } from '../components/forms'
import { HeldMethodSummary } from '../components/HeldMethodSummary'
import { useFormErrors } from '../components/use-form-errors'
import { useT } from '../i18n'

/**
 * The methods a person holds, when more than one, as the help desk sees them: "I lost my phone"
 * removes that app and keeps the rest. The only one is never removed here: that is a reset.
 */
export function MethodsSection({ user, mayAct, onDone }: { user: UserDetail; mayAct: boolean; onDone: (text: string) => void }) {
  const words = useT()
  const [asking, setAsking] = useState<number | null>(null)
  const errors = useFormErrors([] as const)
  const remove = useApiMutation('users:remove-method', { invalidates: ['users:get', 'users:list'] })
  if (user.methods.length < 2) return null
  return (
    <section aria-labelledby="methods-title">
      <h3 id="methods-title">{words.t('users.methods.title')}</h3>
      <FormError message={errors.formError} ref={errors.alertRef} />
      <ul className="method-list">
        {user.methods.map((m) => ({ m, method: heldMethodWords(words, m) })).map(({ m, method }) => (
          <li key={m.id}>
            <HeldMethodSummary method={m} showDefault />
            {mayAct && asking !== m.id && (
              <button type="button" className="button button--small button--danger" aria-label={words.t('users.methods.remove', { method })} onClick={() => setAsking(m.id)}>
                {words.t('users.remove')}
              </button>
            )}
            {mayAct && asking === m.id && (
              <span className="actions" role="group" aria-label={words.t('users.methods.removeAsk', { method })}>
                <span>{words.t('users.methods.removeWarning')}</span>
                <button type="button" className="button button--small button--danger" autoFocus disabled={remove.isPending}
                  onClick={() => remove.mutate({ userId: user.id, methodId: m.id }, { onSuccess: () => (errors.clear(), setAsking(null), onDone(words.t('users.methods.removed', { method }))), onError: errors.showError })}>
                  {words.t('users.methods.removeIt')}
                </button>
                <button type="button" className="button button--small" onClick={() => setAsking(null)}>{words.t('users.cancel')}</button>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}
