import { useState, type FormEvent } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import type { HeldMethod, TwoFactorStatus } from '../../../shared/dto'
import { heldMethodLabel, type Method } from '../../../shared/policy'
import { useApiMutation } from '../api/hooks'
import { Field, FormError } from '../components/forms'
import { HeldMethodSummary } from '../components/HeldMethodSummary'
import { useFormErrors } from '../components/use-form-errors'
import { confirmWithKey } from './SecurityKey'

type CodeMethod = 'totp' | 'email' | 'token' | 'recovery'
const CONFIRM_WITH: Record<CodeMethod, string> = { totp: 'A code from one of my apps', email: 'A code by e-mail', token: 'A code from my token', recovery: 'A recovery code' }

const methodTitle = heldMethodLabel

/** What My account asks the person to prove it is them for. */
export type Change = { kind: 'add' } | { kind: 'remove'; method: HeldMethod }

/**
 * The methods a person holds, the default first: each with its dates, asked first or not, renamed
 * (apps), removed; and "Add a method". Adding and removing come after proving it is them.
 */
export function MyMethods({ s, onAdd, onChanged }: { s: TwoFactorStatus; onAdd: () => void; onChanged: (message: string) => void }) {
  const [change, setChange] = useState<Change | null>(null)
  const [renaming, setRenaming] = useState<HeldMethod | null>(null)
  const errors = useFormErrors([] as const)
  const client = useQueryClient()
  const chooseDefault = useApiMutation('account:default-method')
  const remove = useApiMutation('account:remove-method')
  const refreshed = async (message: string) => {
    await client.invalidateQueries({ queryKey: ['account:two-factor'] })
    onChanged(message)
  }
  const go = (c: Change) => {
    errors.clear()
    setChange(null)
    if (c.kind === 'add') return onAdd()
    remove.mutate({ id: c.method.id }, { onSuccess: () => void refreshed(`${methodTitle(c.method)} removed.`), onError: errors.showError })
  }
  const ask = (c: Change) => (s.confirmedUntil === null ? setChange(c) : go(c))

  return (
    <div role="region" aria-labelledby="my-methods-title">
      <h3 id="my-methods-title">Your methods</h3>
      <FormError message={errors.formError} ref={errors.alertRef} />
      <ul className="method-list">
        {s.methods.map((m) => (
          <li key={m.id}>
            <HeldMethodSummary method={m} showDefault={s.methods.length > 1} />
            <span className="actions">
              {!m.isDefault && (
                <button type="button" className="button button--small" aria-label={`Ask first: ${methodTitle(m)}`}
                  onClick={() => chooseDefault.mutate({ id: m.id }, { onSuccess: () => void refreshed(`${methodTitle(m)} is asked first from now on.`), onError: errors.showError })}>
                  Ask first
                </button>
              )}
              {m.method === 'totp' && (
                <button type="button" className="button button--small" aria-label={`Rename ${methodTitle(m)}`} onClick={() => setRenaming(m)}>Rename</button>
              )}
              {s.methods.length > 1 && (
                <button type="button" className="button button--small button--danger" aria-label={`Remove ${methodTitle(m)}`} onClick={() => ask({ kind: 'remove', method: m })}>Remove</button>
              )}
            </span>
          </li>
        ))}
      </ul>
      {renaming && <Rename method={renaming} onDone={(message) => (setRenaming(null), message ? void refreshed(message) : undefined)} />}
      {change && <ConfirmIdentity held={s.methods.map((m) => m.method)} what={change} onConfirmed={() => go(change)} onCancel={() => setChange(null)} />}
      {!change && (
        <button type="button" className="button" onClick={() => ask({ kind: 'add' })}>
          Add a method
        </button>
      )}
    </div>
  )
}

function Rename({ method, onDone }: { method: HeldMethod; onDone: (message: string | null) => void }) {
  const [name, setName] = useState(method.name ?? '')
  const errors = useFormErrors(['name'] as const)
  const rename = useApiMutation('account:rename-method')
  return (
    <form className="subform" noValidate aria-label={`Rename ${methodTitle(method)}`}
      onSubmit={(e: FormEvent) => {
        e.preventDefault()
        errors.clear()
        rename.mutate({ id: method.id, name }, { onSuccess: () => onDone(`The app is now called “${name.trim()}”.`), onError: errors.showError })
      }}>
      <FormError message={errors.formError} ref={errors.alertRef} />
      <Field label="New name" name="name" autoComplete="off" autoFocus maxLength={40} value={name} onChange={(e) => setName(e.target.value)}
        error={errors.fieldErrors.name} ref={errors.fieldRef('name')} />
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={rename.isPending}>Rename</button>
        <button type="button" className="button" onClick={() => onDone(null)}>Cancel</button>
      </div>
    </form>
  )
}

/** A code from a method held (or a recovery code), or a touch of a key: for ten minutes, methods may change. */
function ConfirmIdentity({ held, what, onConfirmed, onCancel }: { held: Method[]; what: Change; onConfirmed: () => void; onCancel: () => void }) {
  const codes: CodeMethod[] = [...(['totp', 'email', 'token'] as const).filter((m) => held.includes(m)), 'recovery']
  const [use, setUse] = useState<CodeMethod>(codes[0]!)
  const [code, setCode] = useState('')
  const [busy, setBusy] = useState(false)
  const errors = useFormErrors(['code'] as const)
  const confirm = useApiMutation('account:confirm-identity')
  const sendEmail = useApiMutation('account:send-email-code')
  const client = useQueryClient()
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
  const title = what.kind === 'add' ? 'First, confirm it is you' : `Confirm it is you to remove ${methodTitle(what.method)}`
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
          <button type="button" className="button" disabled={busy} onClick={() => void withKey()}>{busy ? 'Touch your key…' : 'Use my security key'}</button>
        </p>
      )}
      <fieldset className="choice-list choice-list--inline">
        <legend>{held.includes('webauthn') ? 'Or confirm with' : 'Confirm with'}</legend>
        {codes.map((m) => (
          <label key={m} className="choice">
            <input type="radio" name="confirm-with" checked={use === m} onChange={() => (setUse(m), setCode(''))} />
            <span>{CONFIRM_WITH[m]}</span>
          </label>
        ))}
      </fieldset>
      {use === 'email' && (
        <p>
          <button type="button" className="button button--small" onClick={() => sendEmail.mutate({}, { onError: errors.showError })}>Send me a code</button>
          {sendEmail.isSuccess && <span role="status"> Sent to {sendEmail.data.maskedEmail}.</span>}
        </p>
      )}
      <Field label={use === 'recovery' ? 'Recovery code' : 'Code'} name="code" autoComplete="off" autoFocus={!held.includes('webauthn')} value={code}
        onChange={(e) => setCode(e.target.value)} error={errors.fieldErrors.code} ref={errors.fieldRef('code')} />
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={confirm.isPending}>Confirm</button>
        <button type="button" className="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  )
}
