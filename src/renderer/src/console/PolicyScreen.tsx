import { useEffect, useState, type FormEvent, type ReactNode, type Ref } from 'react'
import type { Input } from '../../../shared/contract'
import { ROLE_LABELS } from '../../../shared/dto'
import { METHOD_LABELS, METHODS, type Method, type Policy } from '../../../shared/policy'
import { ApiError } from '../api/client'
import { useApiMutation, useApiQuery } from '../api/hooks'
import { FormError } from '../components/forms'
import { Notice } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'

type NumberKey = 'postponements' | 'recoveryCodeCount' | 'idleTimeoutMinutes' | 'accessCodeLifetimeMinutes'
type LockoutKey = keyof Policy['lockout']

function percent(p: number): string {
  if (p === 0) return '0 %'
  if (p < 0.0001) return `${(p * 100).toPrecision(2)} % (about 1 in ${Math.round(1 / p).toLocaleString()})`
  return `${(p * 100).toPrecision(2)} % (about 1 in ${Math.round(1 / p).toLocaleString()})`
}

function NumberField({ id, label, value, onChange, hint, unit }: { id: string; label: string; value: number; onChange: (n: number) => void; hint?: string; unit?: string }) {
  return (
    <div className="field field--number">
      <label htmlFor={id}>{label}</label>
      <span className="with-unit">
        <input id={id} type="number" inputMode="numeric" value={Number.isFinite(value) ? value : ''} aria-describedby={hint ? `${id}-hint` : undefined}
          onChange={(e) => onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))} />
        {unit && <span>{unit}</span>}
      </span>
      {hint && <p className="field__hint" id={`${id}-hint`}>{hint}</p>}
    </div>
  )
}

function Toggle({ id, label, checked, onChange, hint, error, inputRef }: { id: string; label: string; checked: boolean; onChange: (v: boolean) => void; hint?: ReactNode; error?: string | undefined; inputRef?: Ref<HTMLInputElement> }) {
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="choice" htmlFor={id}>
        <input id={id} ref={inputRef} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)}
          aria-describedby={[hint ? `${id}-hint` : '', error ? `${id}-error` : ''].join(' ').trim() || undefined} aria-invalid={error ? true : undefined} />
        <span>{label}</span>
      </label>
      {hint && <p className="field__hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p className="field__error" id={`${id}-error`}>{error}</p>}
    </div>
  )
}

/** Organisation policy: every setting, the effect of the change before it is saved, and SMTP. */
export function PolicyScreen() {
  const current = useApiQuery('policy:get', {})
  const [form, setForm] = useState<Policy | null>(null)
  const [smtpPassword, setSmtpPassword] = useState<string | undefined>(undefined)
  const [testTo, setTestTo] = useState('')
  const [saved, setSaved] = useState(false)
  const [debounced, setDebounced] = useState<Policy | null>(null)
  const errors = useFormErrors(['mandatory', 'policy'] as const)
  const save = useApiMutation('policy:save', { invalidates: ['policy:get', 'app:status'] })
  const test = useApiMutation('policy:test-smtp')

  useEffect(() => {
    if (current.data && !form) {
      const { smtpPasswordSet: _set, ...policy } = current.data
      setForm(policy)
    }
  }, [current.data, form])
  useEffect(() => {
    const t = window.setTimeout(() => setDebounced(form), 250)
    return () => window.clearTimeout(t)
  }, [form])
  const valid = debounced && Object.values({ ...debounced, ...debounced.lockout }).every((v) => typeof v !== 'number' || Number.isFinite(v))
  const preview = useApiQuery('policy:preview', { policy: debounced as Input<'policy:preview'>['policy'] }, { enabled: !!valid })

  if (!form || !current.data) return <p role="status">Loading…</p>
  const update = (patch: Partial<Policy>) => {
    setSaved(false)
    setForm({ ...form, ...patch })
  }
  const setLockout = (k: LockoutKey) => (n: number) => update({ lockout: { ...form.lockout, [k]: n } })
  const setNumber = (k: NumberKey) => (n: number) => update({ [k]: n } as Partial<Policy>)
  const p = preview.data

  function submit(event: FormEvent) {
    event.preventDefault()
    errors.clear()
    save.mutate(
      { policy: form!, ...(smtpPassword !== undefined ? { smtpPassword } : {}) },
      {
        onSuccess: () => {
          setSaved(true)
          setSmtpPassword(undefined)
        },
        onError: (e) => errors.showError(e instanceof ApiError && e.field === 'mandatory' ? e : new Error(e.message))
      }
    )
  }

  return (
    <section aria-labelledby="policy-title">
      <h1 id="policy-title">Policy</h1>
      <form onSubmit={submit} noValidate className="policy">
        <FormError message={errors.formError} ref={errors.alertRef} />
        {saved && <Notice tone="ok">Policy saved. The change is in the audit log.</Notice>}

        <fieldset className="panel">
          <legend>Two-factor authentication</legend>
          <Toggle id="mandatory" label="Make two-factor authentication mandatory" checked={form.mandatory} onChange={(v) => update({ mandatory: v })}
            hint="Users without it are sent to setup at their next login. You can turn this on only once your own two-factor authentication is set up."
            error={errors.fieldErrors.mandatory} inputRef={errors.fieldRef('mandatory')} />
          <fieldset className="choice-list choice-list--inline">
            <legend>Allowed methods</legend>
            {METHODS.map((m) => (
              <label key={m} className="choice">
                <input type="checkbox" checked={form.allowedMethods.includes(m)}
                  onChange={(e) => update({ allowedMethods: e.target.checked ? [...form.allowedMethods, m] : form.allowedMethods.filter((x) => x !== m) })} />
                <span>{METHOD_LABELS[m]}</span>
              </label>
            ))}
          </fieldset>
          <fieldset className="choice-list required-methods">
            <legend>Method each role must use</legend>
            {(['admin', 'helpdesk', 'user'] as const).map((role) => (
              <div key={role} className="field field--inline">
                <label htmlFor={`required-${role}`}>{ROLE_LABELS[role]}</label>
                <select id={`required-${role}`} value={form.requiredMethod[role] ?? ''}
                  onChange={(e) => update({ requiredMethod: { ...form.requiredMethod, [role]: (e.target.value || null) as Method | null } })}>
                  <option value="">Any allowed method</option>
                  {form.allowedMethods.map((m) => <option key={m} value={m}>{METHOD_LABELS[m]}</option>)}
                </select>
              </div>
            ))}
          </fieldset>
          <Toggle id="verify-email" label="Verify the e-mail address before setting up an authenticator app" checked={form.emailVerificationBeforeSetup}
            onChange={(v) => update({ emailVerificationBeforeSetup: v })} />
          <Toggle id="email-fallback" label="Let users of an authenticator app sign in with an e-mail code instead" checked={form.emailFallback}
            onChange={(v) => update({ emailFallback: v })} />
          <Toggle id="require-uv" label="Security keys must verify the user with a PIN or fingerprint (not only a touch)" checked={form.requireUserVerification}
            onChange={(v) => update({ requireUserVerification: v })} />
          <NumberField id="postponements" label="Postponements allowed" value={form.postponements} onChange={setNumber('postponements')} hint="How many times a user may choose “Postpone” before setup is required." />
          <NumberField id="recovery-count" label="Recovery codes per set" value={form.recoveryCodeCount} onChange={setNumber('recoveryCodeCount')} />
          <div className="field">
            <label htmlFor="issuer">Issuer name shown in authenticator apps</label>
            <input id="issuer" value={form.issuer} onChange={(e) => update({ issuer: e.target.value })} />
          </div>
          <NumberField id="access-lifetime" label="One-time access codes last" unit="minutes" value={form.accessCodeLifetimeMinutes} onChange={setNumber('accessCodeLifetimeMinutes')} />
          <NumberField id="idle" label="Log out idle kiosk sessions after" unit="minutes" value={form.idleTimeoutMinutes} onChange={setNumber('idleTimeoutMinutes')} />
        </fieldset>

        <fieldset className="panel">
          <legend>Lockout</legend>
          <NumberField id="sf-threshold" label="Wrong codes before the account locks" value={form.lockout.secondFactorThreshold} onChange={setLockout('secondFactorThreshold')} />
          <NumberField id="pw-threshold" label="Wrong passwords before password attempts are blocked" value={form.lockout.passwordThreshold} onChange={setLockout('passwordThreshold')} />
          <NumberField id="ws-threshold" label="Failures from one workstation before it is blocked" value={form.lockout.workstationThreshold} onChange={setLockout('workstationThreshold')} />
          <NumberField id="base" label="First lock lasts" unit="minutes" value={form.lockout.baseMinutes} onChange={setLockout('baseMinutes')} />
          <NumberField id="growth" label="Each further lock lasts" unit="times longer" value={form.lockout.growthFactor} onChange={setLockout('growthFactor')} />
        </fieldset>

        <fieldset className="panel">
          <legend>E-mail (SMTP)</legend>
          <Toggle id="smtp-on" label="Send e-mail through an SMTP server" checked={form.smtp !== null}
            onChange={(v) => update({ smtp: v ? { host: '', port: 587, security: 'starttls', username: '', from: '' } : null })}
            hint="Without SMTP, messages are written as .eml files to the outbox folder of the data directory." />
          {form.smtp && (
            <div className="form-grid">
              <div className="field"><label htmlFor="smtp-host">Server</label><input id="smtp-host" value={form.smtp.host} onChange={(e) => update({ smtp: { ...form.smtp!, host: e.target.value } })} /></div>
              <NumberField id="smtp-port" label="Port" value={form.smtp.port} onChange={(n) => update({ smtp: { ...form.smtp!, port: n } })} />
              <div className="field">
                <label htmlFor="smtp-security">Security</label>
                <select id="smtp-security" value={form.smtp.security} onChange={(e) => update({ smtp: { ...form.smtp!, security: e.target.value as 'tls' | 'starttls' | 'none' } })}>
                  <option value="starttls">STARTTLS (port 587)</option>
                  <option value="tls">TLS (port 465)</option>
                  <option value="none">None (local relay only)</option>
                </select>
              </div>
              <div className="field"><label htmlFor="smtp-user">Username</label><input id="smtp-user" autoComplete="off" value={form.smtp.username} onChange={(e) => update({ smtp: { ...form.smtp!, username: e.target.value } })} /></div>
              <div className="field">
                <label htmlFor="smtp-password">Password</label>
                <input id="smtp-password" type="password" autoComplete="new-password" value={smtpPassword ?? ''} placeholder={current.data.smtpPasswordSet ? 'Saved (type to replace)' : ''}
                  onChange={(e) => setSmtpPassword(e.target.value)} />
              </div>
              <div className="field"><label htmlFor="smtp-from">Sender address</label><input id="smtp-from" type="email" value={form.smtp.from} onChange={(e) => update({ smtp: { ...form.smtp!, from: e.target.value } })} /></div>
              <div className="field field--inline">
                <label htmlFor="smtp-test-to">Send a test to</label>
                <input id="smtp-test-to" type="email" value={testTo} onChange={(e) => setTestTo(e.target.value)} />
                <button type="button" className="button" disabled={test.isPending}
                  onClick={() => test.mutate({ policy: form, to: testTo, ...(smtpPassword !== undefined ? { smtpPassword } : {}) })}>
                  Send test e-mail
                </button>
              </div>
              {test.isSuccess && <Notice tone="ok">Test e-mail sent to {testTo}.</Notice>}
              {test.isError && <div className="form-error" role="alert">{test.error.message}</div>}
            </div>
          )}
        </fieldset>

        <section className="panel preview" aria-labelledby="preview-title" aria-live="polite">
          <h2 id="preview-title">Effect of these settings</h2>
          {!valid && <p>Fill in every number to see the effect.</p>}
          {valid && p && (
            <ul>
              <li>
                <strong>{p.sentToSetup.toLocaleString()}</strong> users would be sent to setup at their next login
                {form.mandatory && <>; <strong>{p.withPostponementsLeft.toLocaleString()}</strong> of them can still postpone</>}.
              </li>
              {p.methodChanges > 0 && (
                <li>
                  <strong>{p.methodChanges.toLocaleString()}</strong> {p.methodChanges === 1 ? 'user uses' : 'users use'} a method their role may no longer use: they set up the required one at their next login.
                </li>
              )}
              <li>
                An attacker who knows a password could try <strong>{p.guessesPerYear.toLocaleString()}</strong> codes a year against one account: a{' '}
                <strong>{percent(p.successChance)}</strong> chance of success.
              </li>
              {p.warnings.map((w) => <li key={w} className="warn-text">{w}</li>)}
            </ul>
          )}
        </section>

        <button type="submit" className="button button--primary button--inline" disabled={save.isPending}>Save policy</button>
      </form>
    </section>
  )
}
