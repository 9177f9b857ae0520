import { useState, type FormEvent } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { startAuthentication, startRegistration, type PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser'
import type { EnrolStep, SecurityKeyView, TwoFactorStatus } from '../../../shared/dto'
import { call } from '../api/client'
import { useApiQuery } from '../api/hooks'
import { Field, FormError } from '../components/forms'
import { CardPage, formatDateTime, LinkButton, Notice } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'
import { ConfirmIdentity, isConfirmed } from './ConfirmIdentity'
import { keyProblem } from './key-problem'
import { around, MARK, useT } from '../i18n'
import { METHOD_WORDS } from '../../../shared/i18n/labels'


/** Setup: name the key, then touch it when the browser asks. */
export function RegisterKey({ options, onRegistered, onCancel }: { options: PublicKeyCredentialCreationOptionsJSON; onRegistered: (s: EnrolStep) => void; onCancel: () => void }) {
  const words = useT()
  const [name, setName] = useState(() => words.t(METHOD_WORDS.webauthn))
  const [busy, setBusy] = useState(false)
  const errors = useFormErrors(['name'] as const)
  async function register(event: FormEvent) {
    event.preventDefault()
    errors.clear()
    setBusy(true)
    try {
      const response = await startRegistration({ optionsJSON: options })
      onRegistered(await call('enrol:register-key', { response: response as never, name }))
    } catch (error) {
      errors.showError(keyProblem(error))
    } finally {
      setBusy(false)
    }
  }
  return (
    <CardPage title={words.t('secondStep.register.title')} titleId="wizard-title">
      <form onSubmit={(e) => void register(e)} noValidate aria-labelledby="wizard-title">
        <p className="lead">{words.t('secondStep.register.lead')}</p>
        <FormError message={errors.formError} ref={errors.alertRef} />
        <Field label={words.t('secondStep.register.name')} name="name" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} hint={words.t('secondStep.register.nameHint')}
          error={errors.fieldErrors.name} ref={errors.fieldRef('name')} />
        <button type="submit" className="button button--primary" disabled={busy}>{busy ? words.t('secondStep.key.touch') : words.t('secondStep.register.submit')}</button>
      </form>
      <div className="secondary-links">
        <LinkButton onClick={onCancel}>{words.t('secondStep.register.cancel')}</LinkButton>
      </div>
    </CardPage>
  )
}

/** The second step with a security key: the browser asks for a touch; the engine checks the signature. */
export async function loginWithKey(): Promise<Awaited<ReturnType<typeof call<'auth:verify-key'>>>> {
  const options = await call('auth:key-options', {})
  let response
  try {
    response = await startAuthentication({ optionsJSON: options })
  } catch (error) {
    throw keyProblem(error)
  }
  return call('auth:verify-key', { response: response as never })
}

/** My account: the keys I log in with, and another one added (a spare, kept somewhere safe) after proving it is me. */
export function MyKeys({ status }: { status: TwoFactorStatus }) {
  const keys = useApiQuery('account:security-keys', {})
  const words = useT()
  const client = useQueryClient()
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [added, setAdded] = useState<string | null>(null)
  const [removing, setRemoving] = useState<SecurityKeyView | null>(null)
  const [confirming, setConfirming] = useState(false)
  const errors = useFormErrors(['name'] as const)
  async function add(event?: FormEvent, confirmedNow = false) {
    event?.preventDefault()
    errors.clear()
    if (!confirmedNow && !isConfirmed(status)) return setConfirming(true)
    setBusy(true)
    try {
      const options = await call('account:key-options', {})
      const response = await startRegistration({ optionsJSON: options }).catch((e: unknown) => Promise.reject(keyProblem(e)))
      const key = await call('account:add-key', { response: response as never, name })
      setAdded(words.t('secondStep.keys.added', { name: key.name }))
      setName('')
      await client.invalidateQueries({ queryKey: ['account:security-keys'] })
    } catch (error) {
      if ((error as { code?: string }).code === 'CONFIRM_IT_IS_YOU') setConfirming(true)
      else errors.showError(error as Error)
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="panel" role="region" aria-labelledby="my-keys-title">
      <h2 id="my-keys-title">{words.t('secondStep.keys.title')}</h2>
      <ul className="key-list">
        {keys.data?.map((k) => (
          <li key={k.id}>
            {around(
              k.lastUsedAt
                ? words.t('secondStep.keys.usedItem', { name: MARK, added: formatDateTime(k.createdAt), used: formatDateTime(k.lastUsedAt) })
                : words.t('secondStep.keys.unusedItem', { name: MARK, added: formatDateTime(k.createdAt) }),
              <strong translate="no">{k.name}</strong>
            )}{' '}
            {removing?.id !== k.id && (
              <button type="button" className="button button--small" aria-label={words.t('secondStep.keys.removeLabel', { name: k.name })} onClick={() => (setRemoving(k), setAdded(null))}>{words.t('secondStep.keys.remove')}</button>
            )}
          </li>
        ))}
      </ul>
      {removing && <RemoveKey keyView={removing} onDone={(text) => (setRemoving(null), setAdded(text))} />}
      {added && <Notice tone="ok">{added}</Notice>}
      {confirming && (
        <ConfirmIdentity held={status.methods.map((m) => m.method)} what={{ kind: 'add' }} onCancel={() => setConfirming(false)}
          onConfirmed={() => (setConfirming(false), void add(undefined, true))} />
      )}
      <form onSubmit={(e) => void add(e)} noValidate aria-label={words.t('secondStep.keys.add')}>
        <FormError message={errors.formError} ref={errors.alertRef} />
        <Field label={words.t('secondStep.keys.newName')} name="key-name" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)}
          hint={words.t('secondStep.keys.newNameHint')} error={errors.fieldErrors.name} ref={errors.fieldRef('name')} />
        <button type="submit" className="button" disabled={busy}>{busy ? words.t('secondStep.key.touch') : words.t('secondStep.keys.add')}</button>
      </form>
    </div>
  )
}

/** Removing a key: the password and a touch of any of the user's keys (the removed one may be lost). */
function RemoveKey({ keyView, onDone }: { keyView: SecurityKeyView; onDone: (message: string | null) => void }) {
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const client = useQueryClient()
  const words = useT()
  const errors = useFormErrors(['password'] as const)
  async function remove(event: FormEvent) {
    event.preventDefault()
    errors.clear()
    setBusy(true)
    try {
      const options = await call('account:confirm-key-options', {})
      const response = await startAuthentication({ optionsJSON: options }).catch((e: unknown) => Promise.reject(keyProblem(e)))
      await call('account:remove-key', { keyId: keyView.id, password, response: response as never })
      await client.invalidateQueries({ queryKey: ['account:security-keys'] })
      onDone(words.t('secondStep.keys.removed', { name: keyView.name }))
    } catch (error) {
      errors.showError(error as Error)
    } finally {
      setBusy(false)
    }
  }
  return (
    <form className="subform" onSubmit={(e) => void remove(e)} noValidate aria-label={words.t('secondStep.keys.removeLabel', { name: keyView.name })}>
      <FormError message={errors.formError} ref={errors.alertRef} />
      <Field label={words.t('secondStep.removeKey.password')} name="password" type="password" autoComplete="off" autoFocus value={password} onChange={(e) => setPassword(e.target.value)}
        hint={words.t('secondStep.removeKey.passwordHint')} error={errors.fieldErrors.password} ref={errors.fieldRef('password')} />
      <div className="actions">
        <button type="submit" className="button button--danger" disabled={busy}>{busy ? words.t('secondStep.key.touch') : words.t('secondStep.removeKey.submit', { name: keyView.name })}</button>
        <button type="button" className="button" onClick={() => onDone(null)}>{words.t('secondStep.cancel')}</button>
      </div>
    </form>
  )
}

