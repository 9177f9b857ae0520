import { useState } from 'react'
import type { UserDetail } from '../../../shared/admin-dto'
import { heldMethodLabel } from '../../../shared/policy'
import { useApiMutation } from '../api/hooks'
import { FormError } from '../components/forms'
import { HeldMethodSummary } from '../components/HeldMethodSummary'
import { useFormErrors } from '../components/use-form-errors'

/**
 * The methods a person holds, when more than one, as the help desk sees them: "I lost my phone"
 * removes that app and keeps the rest. The only one is never removed here: that is a reset.
 */
export function MethodsSection({ user, mayAct, onDone }: { user: UserDetail; mayAct: boolean; onDone: (text: string) => void }) {
  const [asking, setAsking] = useState<number | null>(null)
  const errors = useFormErrors([] as const)
  const remove = useApiMutation('users:remove-method', { invalidates: ['users:get', 'users:list'] })
  if (user.methods.length < 2) return null
  return (
    <section aria-labelledby="methods-title">
      <h3 id="methods-title">Second factors</h3>
      <FormError message={errors.formError} ref={errors.alertRef} />
      <ul className="method-list">
        {user.methods.map((m) => (
          <li key={m.id}>
            <HeldMethodSummary method={m} showDefault />
            {mayAct && asking !== m.id && (
              <button type="button" className="button button--small button--danger" aria-label={`Remove ${heldMethodLabel(m)}`} onClick={() => setAsking(m.id)}>
                Remove
              </button>
            )}
            {mayAct && asking === m.id && (
              <span className="actions" role="group" aria-label={`Remove ${heldMethodLabel(m)}?`}>
                <span>Their sessions end; they keep the others.</span>
                <button type="button" className="button button--small button--danger" autoFocus disabled={remove.isPending}
                  onClick={() => remove.mutate({ userId: user.id, methodId: m.id }, { onSuccess: () => (errors.clear(), setAsking(null), onDone(`${heldMethodLabel(m)} removed.`)), onError: errors.showError })}>
                  Remove it
                </button>
                <button type="button" className="button button--small" onClick={() => setAsking(null)}>Cancel</button>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}
