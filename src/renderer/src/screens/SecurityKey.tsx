import { useState, type FormEvent } from 'react'
import { startAuthentication, startRegistration, type PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser'
import type { EnrolStep } from '../../../shared/dto'
import { call } from '../api/client'
import { Field, FormError } from '../components/forms'
import { CardPage, LinkButton } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'

/** What the browser says when the prompt was dismissed or timed out, in words. */
function keyProblem(error: unknown): Error {
  const name = (error as { name?: string }).name
  if (name === 'NotAllowedError' || name === 'AbortError') return new Error('The security key was not used (the prompt was closed or timed out). Try again.')
  if (name === 'InvalidStateError') return new Error('This key is already registered for your account.')
  return error instanceof Error ? error : new Error(String(error))
}

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
