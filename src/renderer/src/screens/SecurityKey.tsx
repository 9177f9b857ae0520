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

/** Setup: name the key, then touch it when the browser asks. */
export function RegisterKey({ options, onRegistered, onCancel }: { options: PublicKeyCredentialCreationOptionsJSON; onRegistered: (s: EnrolStep) => void; onCancel: () => void }) {
  const [name, setName] = useState('Security key')
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
    <CardPage title="Register your security key" titleId="wizard-title">
      <form onSubmit={(e) => void register(e)} noValidate aria-labelledby="wizard-title">
        <p className="lead">Plug in your security key (or hold it to the reader), then touch it when it blinks.</p>
        <FormError message={errors.formError} ref={errors.alertRef} />
        <Field label="Name for this key" name="name" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} hint='So you can tell your keys apart, like "blue YubiKey".'
          error={errors.fieldErrors.name} ref={errors.fieldRef('name')} />
        <button type="submit" className="button button--primary" disabled={busy}>{busy ? 'Touch your key…' : 'Register security key'}</button>
      </form>
      <div className="secondary-links">
        <LinkButton onClick={onCancel}>Cancel setup</LinkButton>
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
      setAdded(`Key “${key.name}” added.`)
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
      <h2 id="my-keys-title">Security keys</h2>
      <ul className="key-list">
        {keys.data?.map((k) => (
          <li key={k.id}>
            <strong>{k.name}</strong>, added {formatDateTime(k.createdAt)}, {k.lastUsedAt ? `last used ${formatDateTime(k.lastUsedAt)}` : 'not used yet'}{' '}
            {removing?.id !== k.id && (
              <button type="button" className="button button--small" aria-label={`Remove the key ${k.name}`} onClick={() => (setRemoving(k), setAdded(null))}>Remove</button>
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
      <form onSubmit={(e) => void add(e)} noValidate aria-label="Add a security key">
        <FormError message={errors.formError} ref={errors.alertRef} />
        <Field label="Name for the new key" name="key-name" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)}
          hint="A second key kept somewhere safe lets you in if you lose the first." error={errors.fieldErrors.name} ref={errors.fieldRef('name')} />
        <button type="submit" className="button" disabled={busy}>{busy ? 'Touch your key…' : 'Add a security key'}</button>
      </form>
    </div>
  )
}

/** Removing a key: the password and a touch of any of the user's keys (the removed one may be lost). */
function RemoveKey({ keyView, onDone }: { keyView: SecurityKeyView; onDone: (message: string | null) => void }) {
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const client = useQueryClient()
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
      onDone(`Key “${keyView.name}” removed.`)
    } catch (error) {
      errors.showError(error as Error)
    } finally {
      setBusy(false)
    }
  }
  return (
    <form className="subform" onSubmit={(e) => void remove(e)} noValidate aria-label={`Remove the key ${keyView.name}`}>
      <FormError message={errors.formError} ref={errors.alertRef} />
      <Field label="Password" name="password" type="password" autoComplete="off" autoFocus value={password} onChange={(e) => setPassword(e.target.value)}
        hint="Then touch one of your keys to confirm." error={errors.fieldErrors.password} ref={errors.fieldRef('password')} />
      <div className="actions">
        <button type="submit" className="button button--danger" disabled={busy}>{busy ? 'Touch your key…' : `Remove “${keyView.name}”`}</button>
        <button type="button" className="button" onClick={() => onDone(null)}>Cancel</button>
      </div>
    </form>
  )
}

