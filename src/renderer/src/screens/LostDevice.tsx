import { useState, type FormEvent } from 'react'
import { ROLE_LABELS } from '../../../shared/dto'
import { useApiMutation, useApiQuery } from '../api/hooks'
import { useLogout } from '../api/session'
import { FormError, Group } from '../components/forms'
import { CardPage, LinkButton, Notice } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'

/** "Lost your device?": ask chosen administrators or help-desk staff, or all of them, to help. */
export function LostDevice({ onBack }: { onBack: () => void }) {
  const staff = useApiQuery('auth:staff', {})
  const [chosen, setChosen] = useState<number[]>([])
  const [message, setMessage] = useState('')
  const [sentTo, setSentTo] = useState<string | null>(null)
  const errors = useFormErrors(['recipients'] as const)
  const send = useApiMutation('auth:lost-device')
  const logout = useLogout()

  function submit(all: boolean) {
    errors.clear()
    if (!all && chosen.length === 0) return errors.setFieldError('recipients', 'Choose at least one person, or send the request to all.')
    const names = all ? 'all administrators and help-desk staff' : (staff.data ?? []).filter((s) => chosen.includes(s.id)).map((s) => s.displayName).join(', ')
    send.mutate({ recipients: all ? 'all' : chosen, message }, { onSuccess: () => setSentTo(names), onError: errors.showError })
  }

  if (sentTo) {
    return (
      <CardPage title="Request sent" titleId="lost-title">
        <Notice tone="ok">Your request was sent to {sentTo}.</Notice>
        <p>
          What happens next: someone from the help desk will check that it is really you, for example by calling you back on the number on file or
          asking you to come by with your ID. Then they will either reset your two-factor authentication, so you can set it up again on a new device,
          or give you a one-time access code.
        </p>
        <button type="button" className="button button--primary" autoFocus onClick={() => void logout()}>
          Log out
        </button>
      </CardPage>
    )
  }

  return (
    <CardPage title="Lost your device?" titleId="lost-title">
      <p className="lead">If you cannot use your authenticator app or your recovery codes, ask for help. Choose who should get your request.</p>
      <form onSubmit={(e: FormEvent) => {
          e.preventDefault()
          submit(false)
        }} noValidate aria-labelledby="lost-title">
        <FormError message={errors.formError} ref={errors.alertRef} />
        <Group id="lost-recipients" legend="Send my request to" className="choice-list" error={errors.fieldErrors.recipients}>
          {staff.isPending && <p role="status">Loading the list…</p>}
          {staff.data?.length === 0 && <p>Nobody can receive requests yet. Ask in person at the help desk.</p>}
          {staff.data?.map((s, i) => (
            <label key={s.id} className="choice">
              <input
                type="checkbox"
                autoFocus={i === 0}
                ref={i === 0 ? errors.fieldRef('recipients') : undefined}
                checked={chosen.includes(s.id)}
                onChange={(e) => setChosen((c) => (e.target.checked ? [...c, s.id] : c.filter((x) => x !== s.id)))}
              />
              <span>
                {s.displayName} <span className="badge">{ROLE_LABELS[s.role]}</span>
              </span>
            </label>
          ))}
        </Group>
        <div className="field">
          <label htmlFor="lost-message">Message (optional)</label>
          <textarea id="lost-message" rows={3} maxLength={1000} value={message} onChange={(e) => setMessage(e.target.value)} placeholder="For example: my phone was stolen; call me on my desk phone." />
        </div>
        <div className="actions">
          <button type="submit" className="button button--primary button--inline" disabled={send.isPending}>
            Send to selected
          </button>
          <button type="button" className="button" disabled={send.isPending} onClick={() => submit(true)}>
            Send to all
          </button>
        </div>
      </form>
      <div className="secondary-links">
        <LinkButton onClick={onBack}>Back</LinkButton>
      </div>
    </CardPage>
  )
}
