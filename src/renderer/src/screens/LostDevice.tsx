import { useState, type FormEvent } from 'react'
import { ROLE_WORDS } from '../../../shared/i18n/labels'
import { useApiMutation, useApiQuery } from '../api/hooks'
import { useLogout } from '../api/session'
import { FormError, Group } from '../components/forms'
import { CardPage, LinkButton, Notice } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'
import { useT } from '../i18n'

/** "Lost your device?": ask chosen administrators or help-desk staff, or all of them, to help. */
export function LostDevice({ onBack }: { onBack: () => void }) {
  const staff = useApiQuery('auth:staff', {})
  const [chosen, setChosen] = useState<number[]>([])
  const [message, setMessage] = useState('')
  /** Who got the request: everyone, or the names of those chosen. */
  const [sentTo, setSentTo] = useState<'all' | string[] | null>(null)
  const words = useT()
  const errors = useFormErrors(['recipients'] as const)
  const send = useApiMutation('auth:lost-device')
  const logout = useLogout()

  function submit(all: boolean) {
    errors.clear()
    if (!all && chosen.length === 0) return errors.setFieldError('recipients', words.t('secondStep.lost.chooseOne'))
    const names = all ? 'all' : (staff.data ?? []).filter((s) => chosen.includes(s.id)).map((s) => s.displayName)
    send.mutate({ recipients: all ? 'all' : chosen, message }, { onSuccess: () => setSentTo(names), onError: errors.showError })
  }

  if (sentTo) {
    return (
      <CardPage title={words.t('secondStep.lost.sent.title')} titleId="lost-title">
        <Notice tone="ok">
          {sentTo === 'all' ? words.t('secondStep.lost.sent.toAll') : words.t('secondStep.lost.sent.to', { names: sentTo.join(words.t('secondStep.lost.sent.nameSeparator')) })}
        </Notice>
        <p>{words.t('secondStep.lost.sent.next')}</p>
        <button type="button" className="button button--primary" autoFocus onClick={() => void logout()}>
          {words.t('secondStep.lost.logout')}
        </button>
      </CardPage>
    )
  }

  return (
    <CardPage title={words.t('secondStep.lost.title')} titleId="lost-title">
      <p className="lead">{words.t('secondStep.lost.lead')}</p>
      <form onSubmit={(e: FormEvent) => {
          e.preventDefault()
          submit(false)
        }} noValidate aria-labelledby="lost-title">
        <FormError message={errors.formError} ref={errors.alertRef} />
        <Group id="lost-recipients" legend={words.t('secondStep.lost.recipients')} className="choice-list" error={errors.fieldErrors.recipients}>
          {staff.isPending && <p role="status">{words.t('secondStep.lost.loading')}</p>}
          {staff.data?.length === 0 && <p>{words.t('secondStep.lost.nobody')}</p>}
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
                {s.displayName} <span className="badge">{words.t(ROLE_WORDS[s.role])}</span>
              </span>
            </label>
          ))}
        </Group>
        <div className="field">
          <label htmlFor="lost-message">{words.t('secondStep.lost.message')}</label>
          <textarea id="lost-message" rows={3} maxLength={1000} value={message} onChange={(e) => setMessage(e.target.value)} placeholder={words.t('secondStep.lost.messageExample')} />
        </div>
        <div className="actions">
          <button type="submit" className="button button--primary button--inline" disabled={send.isPending}>
            {words.t('secondStep.lost.sendSelected')}
          </button>
          <button type="button" className="button" disabled={send.isPending} onClick={() => submit(true)}>
            {words.t('secondStep.lost.sendAll')}
          </button>
        </div>
      </form>
      <div className="secondary-links">
        <LinkButton onClick={onBack}>{words.t('secondStep.lost.back')}</LinkButton>
      </div>
    </CardPage>
  )
}
