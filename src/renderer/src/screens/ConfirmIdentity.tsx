import { useState, type FormEvent } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { startAuthentication } from '@simplewebauthn/browser'
import type { TwoFactorStatus } from '../../../shared/dto'
import type { Method } from '../../../shared/policy'
import { heldMethodWords } from '../../../shared/i18n/labels'
import type { MessageId } from '../../../shared/i18n/translate'
import { call } from '../api/client'
import { useApiMutation } from '../api/hooks'
import { Field, FormError } from '../components/forms'
import { useFormErrors } from '../components/use-form-errors'
import { useT } from '../i18n'
import { keyProblem } from './key-problem'
import type { Change } from './MyMethods'

type CodeMethod = 'totp' | 'email' | 'token' | 'recovery'
const CONFIRM_WITH = {
  totp: 'setup.confirm.use.totp',
  email: 'setup.confirm.use.email',
  token: 'setup.confirm.use.token',
  recovery: 'setup.confirm.use.recovery'
} as const satisfies Record<CodeMethod, MessageId>

/** Whether this session proved it is them lately enough to change methods (the engine decides in the end). */
export const isConfirmed = (s: TwoFactorStatus) => s.confirmedUntil !== null && s.confirmedUntil > Date.now()

/** A code from a method held (or a recovery code), or a touch of a key: for ten minutes, methods may change. */
export function ConfirmIdentity({ held, what, onConfirmed, onCancel }: { held: Method[]; what: Change; onConfirmed: () => void; onCancel: () => void }) {
  const codes: CodeMethod[] = [...(['totp', 'email', 'token'] as const).filter((m) => held.includes(m)), 'recovery']
  const [use, setUse] = useState<CodeMethod>(codes[0]!)
  const [code, setCode] = useState('')
  const [busy, setBusy] = useState(false)
  const errors = useFormErrors(['code'] as const)
  const confirm = useApiMutation('account:confirm-identity')
  const sendEmail = useApiMutation('account:send-email-code')
  const client = useQueryClient()
  const words = useT()
  const t = words.t
  const confirmed = async () => {
    await client.invalidateQueries({ queryKey: ['account:two-factor'] })
    onConfirmed()
  }
  async function withKey() {
    errors.clear()
    setBusy(true)
    try {
      await confirmWithKey()
      await confirmed()
    } catch (error) {
      errors.showError(error as Error)
    } finally {
      setBusy(false)
    }
  }
  const title = what.kind === 'add' ? t('setup.confirm.titleAdd') : t('setup.confirm.titleRemove', { method: heldMethodWords(words, what.method) })
  return (
    <form className="subform" noValidate aria-label={title}
      onSubmit={(e: FormEvent) => {
        e.preventDefault()
        errors.clear()
        confirm.mutate({ method: use, code }, { onSuccess: () => void confirmed(), onError: (err) => (setCode(''), errors.showError(err)) })
      }}>
      <h4>{title}</h4>
      <FormError message={errors.formError} ref={errors.alertRef} />
      {held.includes('webauthn') && (
        <p>
          <button type="button" className="button" disabled={busy} onClick={() => void withKey()}>{busy ? t('setup.confirm.touchKey') : t('setup.confirm.useKey')}</button>
        </p>
      )}
      <fieldset className="choice-list choice-list--inline">
        <legend>{held.includes('webauthn') ? t('setup.confirm.orWith') : t('setup.confirm.with')}</legend>
        {codes.map((m) => (
          <label key={m} className="choice">
            <input type="radio" name="confirm-with" checked={use === m} onChange={() => (setUse(m), setCode(''))} />
            <span>{t(CONFIRM_WITH[m])}</span>
          </label>
        ))}
      </fieldset>
      {use === 'email' && (
        <p>
          <button type="button" className="button button--small" onClick={() => sendEmail.mutate({}, { onError: errors.showError })}>{t('setup.confirm.sendCode')}</button>
          {sendEmail.isSuccess && <span role="status"> {t('setup.confirm.sent', { email: sendEmail.data.maskedEmail })}</span>}
        </p>
      )}
      <Field label={use === 'recovery' ? t('setup.confirm.recoveryCode') : t('setup.confirm.code')} name="code" autoComplete="off" autoFocus={!held.includes('webauthn')} value={code}
        onChange={(e) => setCode(e.target.value)} error={errors.fieldErrors.code} ref={errors.fieldRef('code')} />
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={confirm.isPending}>{t('setup.confirm.confirm')}</button>
        <button type="button" className="button" onClick={onCancel}>{t('setup.confirm.cancel')}</button>
      </div>
    </form>
  )
}

/** My account: a touch of one of the user's keys proves it is them (before adding or removing a method). */
export async function confirmWithKey(): Promise<Awaited<ReturnType<typeof call<'account:confirm-identity-key'>>>> {
  const options = await call('account:confirm-key-options', {})
  const response = await startAuthentication({ optionsJSON: options }).catch((e: unknown) => Promise.reject(keyProblem(e)))
  return call('account:confirm-identity-key', { response: response as never })
}
