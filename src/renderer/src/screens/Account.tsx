import { useState, type FormEvent } from 'react'
import type { Output } from '../../../shared/contract'
import type { EnrolStep, SessionInfo } from '../../../shared/dto'
import { METHOD_LABELS, type Method } from '../../../shared/policy'
import { MySessions } from '../components/Sessions'
import { ReplaceDevice } from './ReplaceDevice'
import { MyKeys } from './SecurityKey'

import { MIN_PASSWORD_LENGTH } from '../../../shared/validation'
import { useApiMutation, useApiQuery } from '../api/hooks'
import { Field, FormError } from '../components/forms'
import { RecoveryCodes } from '../components/RecoveryCodes'
import { Notice, formatDateTime } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'
import { SetupWizard } from './Setup'
import { MyMethods } from './MyMethods'

const CONFIRM_WITH: Record<Exclude<Method, 'webauthn'>, string> = { totp: 'A code from my app', email: 'A code by e-mail', token: 'A code from my token' }

type Panel = null | 'setup' | 'add' | 'token' | 'reissue' | 'disable' | 'password' | 'replace'

/** Whether 2FA is on for oneself, how, since when, and how many recovery codes are left. */
function TwoFactorFacts({ s }: { s: Output<'account:two-factor'> }) {
  return s.active ? (
    <dl className="facts">
      <dt>Status</dt>
      <dd>
        <span className="badge badge--ok">On</span> {s.methods.length === 1 ? `${METHOD_LABELS[s.method!]}, since ${formatDateTime(s.activatedAt)}` : `${s.methods.length} methods`}
      </dd>
      <dt>Recovery codes</dt>
      <dd>
        {s.recoveryCodesLeft} left
        {s.lowOnRecoveryCodes && <span className="badge badge--warn"> Few left: make a new set</span>}
      </dd>
    </dl>
  ) : (
    <p>
      <span className="badge badge--warn">Off</span> Your account is protected by your password only.
    </p>
  )
}

/** My account: 2FA status, recovery codes, turning 2FA off, and the password. */
export function Account({ session }: { session: SessionInfo }) {
  const status = useApiQuery('account:two-factor', {})
  const [panel, setPanel] = useState<Panel>(null)
  const [done, setDone] = useState<string | null>(null)
  const close = (message?: string) => {
    setPanel(null)
    setDone(message ?? null)
    void status.refetch()
  }

  if (panel === 'setup' && status.data) return <SetupWizard allowedMethods={status.data.allowedMethods} onCancel={() => close()} onDone={() => close('Two-factor authentication is on.')} />
  if ((panel === 'add' || panel === 'token') && status.data) {
    const held = status.data.methods.map((m) => m.method)
    return <SetupWizard allowedMethods={status.data.allowedMethods} held={held} pendingToken={panel === 'token'} onCancel={() => close()} onDone={() => close('The method is added.')} />
  }

  const s = status.data
  const holds = (m: Method) => !!s?.methods.some((h) => h.method === m)
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title" tabIndex={-1}>
        My account
      </h1>
      <p className="lead">
        {session.user.displayName} · {session.user.username} · {session.user.email}
      </p>
      {done && <Notice tone="ok">{done}</Notice>}
      {status.isPending && <p role="status">Loading…</p>}
      {s && (
        <div className="panel">
          <h2>Two-factor authentication</h2>
          <TwoFactorFacts s={s} />
          {s.active && s.pendingToken && (
            <Notice tone="warn">
              The help desk gave you a hardware token (serial number {s.pendingToken}).{' '}
              <button type="button" className="button button--small" onClick={() => setPanel('token')}>Confirm it with its first code</button>
            </Notice>
          )}
          {s.active && <MyMethods s={s} onAdd={() => setPanel('add')} onChanged={close} />}
          <div className="actions">
            {!s.active && (
              <button type="button" className="button" onClick={() => setPanel('setup')}>
                Set up two-factor authentication
              </button>
            )}
            {s.active && (
              <button type="button" className="button" aria-expanded={panel === 'reissue'} onClick={() => setPanel('reissue')}>
                Reissue recovery codes
              </button>
            )}
            {holds('totp') && (
              <button type="button" className="button" aria-expanded={panel === 'replace'} onClick={() => setPanel('replace')}>
                Move to a new phone
              </button>
            )}
            {s.active && s.canDisable && (
              <button type="button" className="button button--danger" aria-expanded={panel === 'disable'} onClick={() => setPanel('disable')}>
                Disable 2FA
              </button>
            )}
          </div>
          {s.active && s.mandatory && <p className="field__hint">Your organisation requires two-factor authentication, so it cannot be turned off.</p>}
          {panel === 'reissue' && <Reissue onClose={close} />}
          {panel === 'replace' && <ReplaceDevice onClose={close} />}
          {panel === 'disable' && <Disable held={s.methods.map((m) => m.method)} onClose={close} />}
        </div>
      )}
      {s && holds('webauthn') && <MyKeys status={s} />}
      <MySessions />
      <div className="panel">
        <h2>Password</h2>
        {panel === 'password' ? (
          <ChangePassword onClose={close} />
        ) : (
          <button type="button" className="button" onClick={() => setPanel('password')}>
            Change password
          </button>
        )}
      </div>
    </section>
  )
}

function Reissue({ onClose }: { onClose: (message?: string) => void }) {
  const [password, setPassword] = useState('')
  const [codes, setCodes] = useState<Extract<EnrolStep, { step: 'recovery-codes' }> | null>(null)
  const errors = useFormErrors(['password'] as const)
  const reissue = useApiMutation('account:reissue-codes')
  if (codes) return <RecoveryCodes step={codes} completeLabel="Done" busy={false} onComplete={() => onClose('New recovery codes are ready. The old ones no longer work.')} />
  return (
    <form
      className="subform"
      aria-label="Reissue recovery codes"
      noValidate
      onSubmit={(e: FormEvent) => {
        e.preventDefault()
        errors.clear()
        reissue.mutate(
          { password },
          {
            onSuccess: (s) => {
              if (s.step === 'recovery-codes') setCodes(s)
            },
            onError: (err) => {
              setPassword('')
              errors.showError(err)
            }
          }
        )
      }}
    >
      <p>A new set replaces your current codes: the old ones stop working.</p>
      <FormError message={errors.formError} ref={errors.alertRef} />
      <Field label="Password" name="password" type="password" autoComplete="off" autoFocus value={password} onChange={(e) => setPassword(e.target.value)}
        error={errors.fieldErrors.password} ref={errors.fieldRef('password')} />
      <div className="actions">
        <button type="submit" className="button button--primary button--inline" disabled={reissue.isPending}>Make new codes</button>
        <button type="button" className="button" onClick={() => onClose()}>Cancel</button>
      </div>
    </form>
  )
}

function Disable({ held, onClose }: { held: Method[]; onClose: (message?: string) => void }) {
  const [password, setPassword] = useState('')
  // A code from any method held but keys (the key prompt belongs to the login), or a recovery code.
  const own = held.filter((m): m is Exclude<Method, 'webauthn'> => m !== 'webauthn')
  const [use, setUse] = useState<Exclude<Method, 'webauthn'> | 'recovery'>(own[0] ?? 'recovery')
  const [code, setCode] = useState('')
  const errors = useFormErrors(['password', 'code'] as const)
  const disable = useApiMutation('account:disable-2fa', { invalidates: ['account:two-factor'] })
  const sendEmail = useApiMutation('account:send-email-code')
  return (
    <form
      className="subform"
      aria-label="Disable two-factor authentication"
      noValidate
      onSubmit={(e: FormEvent) => {
        e.preventDefault()
        errors.clear()
        disable.mutate(
          { password, method: use, code },
          {
            onSuccess: () => onClose('Two-factor authentication is off.'),
            onError: (err) => {
              setCode('')
              errors.showError(err)
            }
          }
        )
      }}
    >
      <p>Without it, anyone who learns your password can log in as you.</p>
      <FormError message={errors.formError} ref={errors.alertRef} />
      <Field label="Password" name="password" type="password" autoComplete="off" autoFocus value={password} onChange={(e) => setPassword(e.target.value)}
        error={errors.fieldErrors.password} ref={errors.fieldRef('password')} />
      <fieldset className="choice-list choice-list--inline">
        <legend>Confirm with</legend>
        {own.map((m) => (
          <label key={m} className="choice">
            <input type="radio" name="use" checked={use === m} onChange={() => setUse(m)} />
            <span>{CONFIRM_WITH[m]}</span>
          </label>
        ))}
        <label className="choice">
          <input type="radio" name="use" checked={use === 'recovery'} onChange={() => setUse('recovery')} />
          <span>A recovery code</span>
        </label>
      </fieldset>
      {use === 'email' && (
        <p>
          <button type="button" className="button button--small" onClick={() => sendEmail.mutate({}, { onError: errors.showError })}>
            Send me a code
          </button>
          {sendEmail.isSuccess && <span role="status"> Sent to {sendEmail.data.maskedEmail}.</span>}
        </p>
      )}
      <Field label={use === 'recovery' ? 'Recovery code' : '6-digit code'} name="code" autoComplete="off" value={code} onChange={(e) => setCode(e.target.value)}
        error={errors.fieldErrors.code} ref={errors.fieldRef('code')} />
      <div className="actions">
        <button type="submit" className="button button--danger" disabled={disable.isPending}>Disable 2FA</button>
        <button type="button" className="button" onClick={() => onClose()}>Cancel</button>
      </div>
    </form>
  )
}

function ChangePassword({ onClose }: { onClose: (message?: string) => void }) {
  const [form, setForm] = useState({ current: '', next: '', confirm: '' })
  const errors = useFormErrors(['password', 'current', 'next', 'confirm'] as const)
  const change = useApiMutation('account:change-password')
  return (
    <form
      className="subform"
      aria-label="Change password"
      noValidate
      onSubmit={(e: FormEvent) => {
        e.preventDefault()
        errors.clear()
        if (form.next !== form.confirm) return errors.setFieldError('confirm', 'The two passwords are not the same.')
        change.mutate(
          { current: form.current, next: form.next },
          {
            onSuccess: () => onClose('Your password was changed.'),
            onError: (err) => {
              setForm({ current: '', next: form.next, confirm: form.confirm })
              // The engine names the re-entered password "password".
              if (err.field === 'password') errors.setFieldError('current', err.message)
              else errors.showError(err)
            }
          }
        )
      }}
    >
      <FormError message={errors.formError} ref={errors.alertRef} />
      <Field label="Current password" name="current" type="password" autoComplete="off" autoFocus value={form.current}
        onChange={(e) => setForm({ ...form, current: e.target.value })} error={errors.fieldErrors.current} ref={errors.fieldRef('current')} />
      <Field label="New password" name="next" type="password" autoComplete="new-password" value={form.next} hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        onChange={(e) => setForm({ ...form, next: e.target.value })} error={errors.fieldErrors.next} ref={errors.fieldRef('next')} />
      <Field label="Confirm new password" name="confirm" type="password" autoComplete="new-password" value={form.confirm}
        onChange={(e) => setForm({ ...form, confirm: e.target.value })} error={errors.fieldErrors.confirm} ref={errors.fieldRef('confirm')} />
      <div className="actions">
        <button type="submit" className="button button--primary button--inline" disabled={change.isPending}>Change password</button>
        <button type="button" className="button" onClick={() => onClose()}>Cancel</button>
      </div>
    </form>
  )
}
