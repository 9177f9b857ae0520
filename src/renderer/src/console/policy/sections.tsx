/** The policy screen's panels: two-factor settings, lockout, e-mail, and the preview of the effect. */
import { useState } from 'react'
import type { PolicyPreview } from '../../../../shared/admin-dto'
import { ROLE_LABELS } from '../../../../shared/dto'
import { METHOD_LABELS, METHODS, type Method, type Policy } from '../../../../shared/policy'
import { useApiMutation } from '../../api/hooks'
import { Notice } from '../../components/ui'
import { Field, Group } from '../../components/forms'
import { NumberField, Toggle, type FieldError } from './fields'

export type SectionProps = { form: Policy; update: (patch: Partial<Policy>) => void; field: (path: string) => FieldError }

export function TwoFactorSettings({ form, update, field }: SectionProps) {
  const number = (k: 'postponements' | 'recoveryCodeCount' | 'idleTimeoutMinutes' | 'accessCodeLifetimeMinutes') => ({ value: form[k], onChange: (n: number) => update({ [k]: n }), ...field(k) })
  return (
    <fieldset className="panel">
      <legend>Two-factor authentication</legend>
      <Toggle id="mandatory" label="Make two-factor authentication mandatory" checked={form.mandatory} onChange={(v) => update({ mandatory: v })}
        hint="Users without it are sent to setup at their next login. You can turn this on only once your own two-factor authentication is set up." {...field('mandatory')} />
      <Group id="methods" legend="Allowed methods" className="choice-list choice-list--inline" error={field('allowedMethods').error}>
        {METHODS.map((m, i) => (
          <label key={m} className="choice">
            <input type="checkbox" ref={i === 0 ? field('allowedMethods').ref : undefined} checked={form.allowedMethods.includes(m)}
              onChange={(e) => update({ allowedMethods: e.target.checked ? [...form.allowedMethods, m] : form.allowedMethods.filter((x) => x !== m) })} />
            <span>{METHOD_LABELS[m]}</span>
          </label>
        ))}
      </Group>
      <Group id="required" legend="Method each role must use" className="choice-list required-methods" error={field('requiredMethod').error}>
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
      </Group>
      <Toggle id="verify-email" label="Verify the e-mail address before setting up an authenticator app" checked={form.emailVerificationBeforeSetup} onChange={(v) => update({ emailVerificationBeforeSetup: v })} />
      <Toggle id="email-fallback" label="Let users of an authenticator app sign in with an e-mail code instead" checked={form.emailFallback} onChange={(v) => update({ emailFallback: v })} />
      <Toggle id="require-uv" label="Security keys must verify the user with a PIN or fingerprint (not only a touch)" checked={form.requireUserVerification} onChange={(v) => update({ requireUserVerification: v })} />
      <NumberField id="postponements" label="Postponements allowed" hint="How many times a user may choose “Postpone” before setup is required." {...number('postponements')} />
      <NumberField id="recovery-count" label="Recovery codes per set" {...number('recoveryCodeCount')} />
      <Field label="Issuer name shown in authenticator apps" name="issuer" value={form.issuer} onChange={(e) => update({ issuer: e.target.value })} {...field('issuer')} />
      <NumberField id="access-lifetime" label="One-time access codes last" unit="minutes" {...number('accessCodeLifetimeMinutes')} />
      <NumberField id="idle" label="Log out idle kiosk sessions after" unit="minutes" {...number('idleTimeoutMinutes')} />
    </fieldset>
  )
}

export function LockoutSettings({ form, update, field }: SectionProps) {
  const number = (k: keyof Policy['lockout']) => ({ value: form.lockout[k], onChange: (n: number) => update({ lockout: { ...form.lockout, [k]: n } }), ...field(`lockout.${k}`) })
  return (
    <fieldset className="panel">
      <legend>Lockout</legend>
      <NumberField id="sf-threshold" label="Wrong codes before the account locks" {...number('secondFactorThreshold')} />
      <NumberField id="pw-threshold" label="Wrong passwords before password attempts are blocked" {...number('passwordThreshold')} />
      <NumberField id="ws-threshold" label="Failures from one workstation before it is blocked" {...number('workstationThreshold')} />
      <NumberField id="base" label="First lock lasts" unit="minutes" {...number('baseMinutes')} />
      <NumberField id="growth" label="Each further lock lasts" unit="times longer" {...number('growthFactor')} />
    </fieldset>
  )
}

export function SmtpSettings({ form, update, field, smtpPassword, setSmtpPassword, passwordSaved }: SectionProps & { smtpPassword: string | undefined; setSmtpPassword: (v: string) => void; passwordSaved: boolean }) {
  const [testTo, setTestTo] = useState('')
  const test = useApiMutation('policy:test-smtp')
  const smtp = form.smtp
  const set = (patch: Partial<NonNullable<Policy['smtp']>>) => update({ smtp: { ...smtp!, ...patch } })
  return (
    <fieldset className="panel">
      <legend>E-mail (SMTP)</legend>
      <Toggle id="smtp-on" label="Send e-mail through an SMTP server" checked={smtp !== null}
        onChange={(v) => update({ smtp: v ? { host: '', port: 587, security: 'starttls', username: '', from: '' } : null })}
        hint="Without SMTP, messages are written as .eml files to the outbox folder of the data directory." />
      {smtp && (
        <div className="form-grid">
          <Field label="Server" name="smtp-host" value={smtp.host} onChange={(e) => set({ host: e.target.value })} {...field('smtp.host')} />
          <NumberField id="smtp-port" label="Port" value={smtp.port} onChange={(port) => set({ port })} {...field('smtp.port')} />
          <div className="field">
            <label htmlFor="smtp-security">Security</label>
            <select id="smtp-security" value={smtp.security} onChange={(e) => set({ security: e.target.value as 'tls' | 'starttls' | 'none' })}>
              <option value="starttls">STARTTLS (port 587)</option>
              <option value="tls">TLS (port 465)</option>
              <option value="none">None (local relay only)</option>
            </select>
          </div>
          <Field label="Username" name="smtp-user" autoComplete="off" value={smtp.username} onChange={(e) => set({ username: e.target.value })} {...field('smtp.username')} />
          <Field label="Password" name="smtp-password" type="password" autoComplete="new-password" value={smtpPassword ?? ''} placeholder={passwordSaved ? 'Saved (type to replace)' : ''} onChange={(e) => setSmtpPassword(e.target.value)} />
          <Field label="Sender address" name="smtp-from" type="email" value={smtp.from} onChange={(e) => set({ from: e.target.value })} {...field('smtp.from')} />
          <div className="field field--inline">
            <label htmlFor="smtp-test-to">Send a test to</label>
            <input id="smtp-test-to" type="email" value={testTo} onChange={(e) => setTestTo(e.target.value)} />
            <button type="button" className="button" disabled={test.isPending} onClick={() => test.mutate({ policy: form, to: testTo, ...(smtpPassword !== undefined ? { smtpPassword } : {}) })}>
              Send test e-mail
            </button>
          </div>
          {test.isSuccess && <Notice tone="ok">Test e-mail sent to {testTo}.</Notice>}
          {test.isError && <div className="form-error" role="alert">{test.error.message}</div>}
        </div>
      )}
    </fieldset>
  )
}

function percent(p: number): string {
  if (p === 0) return '0 %'
  return `${(p * 100).toPrecision(2)} % (about 1 in ${Math.round(1 / p).toLocaleString()})`
}

export function PreviewPanel({ preview: p, mandatory, valid }: { preview: PolicyPreview | undefined; mandatory: boolean; valid: boolean }) {
  return (
    <section className="panel preview" aria-labelledby="preview-title" aria-live="polite">
      <h2 id="preview-title">Effect of these settings</h2>
      {!valid && <p>Correct the settings marked above to see their effect.</p>}
      {valid && p && (
        <ul>
          <li>
            <strong>{p.sentToSetup.toLocaleString()}</strong> {p.sentToSetup === 1 ? 'user' : 'users'} would be sent to setup at their next login
            {mandatory && <>; <strong>{p.withPostponementsLeft.toLocaleString()}</strong> of them can still postpone</>}.
          </li>
          {p.methodChanges > 0 && (
            <li>
              <strong>{p.methodChanges.toLocaleString()}</strong> {p.methodChanges === 1 ? 'user holds' : 'users hold'} none of the methods their role would require: they add one at their next login, and keep what they have.
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
  )
}
