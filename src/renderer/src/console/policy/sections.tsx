/** The policy screen's panels: two-factor settings, language, lockout, e-mail, and the preview of the effect. */
import { useState } from 'react'
import type { PolicyPreview } from '../../../../shared/admin-dto'
import { METHOD_WORDS, ROLE_WORDS } from '../../../../shared/i18n/labels'
import { isLocale, LOCALE_NAMES, LOCALE_TAGS, LOCALES } from '../../../../shared/i18n/locales'
import type { Translator } from '../../../../shared/i18n/translate'
import { METHODS, type Method, type Policy } from '../../../../shared/policy'
import { useApiMutation } from '../../api/hooks'
import { Notice } from '../../components/ui'
import { Field, Group } from '../../components/forms'
import { useT } from '../../i18n'
import { MARKS, NumberField, placed, Toggle, type FieldError } from './fields'

export type SectionProps = { form: Policy; update: (patch: Partial<Policy>) => void; field: (path: string) => FieldError }

export function TwoFactorSettings({ form, update, field }: SectionProps) {
  const { t } = useT()
  const number = (k: 'postponements' | 'recoveryCodeCount' | 'idleTimeoutMinutes' | 'accessCodeLifetimeMinutes') => ({ value: form[k], onChange: (n: number) => update({ [k]: n }), ...field(k) })
  return (
    <fieldset className="panel">
      <legend>{t('console.policy.twoFactor')}</legend>
      <Toggle id="mandatory" label={t('console.policy.mandatory')} checked={form.mandatory} onChange={(v) => update({ mandatory: v })}
        hint={t('console.policy.mandatoryHint')} {...field('mandatory')} />
      <Group id="methods" legend={t('console.policy.allowedMethods')} className="choice-list choice-list--inline" error={field('allowedMethods').error}>
        {METHODS.map((m, i) => (
          <label key={m} className="choice">
            <input type="checkbox" ref={i === 0 ? field('allowedMethods').ref : undefined} checked={form.allowedMethods.includes(m)}
              onChange={(e) => update({ allowedMethods: e.target.checked ? [...form.allowedMethods, m] : form.allowedMethods.filter((x) => x !== m) })} />
            <span>{t(METHOD_WORDS[m])}</span>
          </label>
        ))}
      </Group>
      <Group id="required" legend={t('console.policy.requiredMethod')} className="choice-list required-methods" error={field('requiredMethod').error}>
        {(['admin', 'helpdesk', 'user'] as const).map((role) => (
          <div key={role} className="field field--inline">
            <label htmlFor={`required-${role}`}>{t(ROLE_WORDS[role])}</label>
            <select id={`required-${role}`} value={form.requiredMethod[role] ?? ''}
              onChange={(e) => update({ requiredMethod: { ...form.requiredMethod, [role]: (e.target.value || null) as Method | null } })}>
              <option value="">{t('console.policy.anyMethod')}</option>
              {form.allowedMethods.map((m) => <option key={m} value={m}>{t(METHOD_WORDS[m])}</option>)}
            </select>
          </div>
        ))}
      </Group>
      <Toggle id="verify-email" label={t('console.policy.verifyEmail')} checked={form.emailVerificationBeforeSetup} onChange={(v) => update({ emailVerificationBeforeSetup: v })} />
      <Toggle id="email-fallback" label={t('console.policy.emailFallback')} checked={form.emailFallback} onChange={(v) => update({ emailFallback: v })} />
      <Toggle id="require-uv" label={t('console.policy.requireUv')} checked={form.requireUserVerification} onChange={(v) => update({ requireUserVerification: v })} />
      <NumberField id="postponements" label={t('console.policy.postponements')} hint={t('console.policy.postponementsHint')} {...number('postponements')} />
      <NumberField id="recovery-count" label={t('console.policy.recoveryCodeCount')} {...number('recoveryCodeCount')} />
      <Field label={t('console.policy.issuer')} name="issuer" value={form.issuer} onChange={(e) => update({ issuer: e.target.value })} {...field('issuer')} />
      <NumberField id="access-lifetime" label={t('console.policy.accessCodeLifetime')} unit={t('console.policy.minutes')} {...number('accessCodeLifetimeMinutes')} />
      <NumberField id="idle" label={t('console.policy.idleTimeout')} unit={t('console.policy.minutes')} {...number('idleTimeoutMinutes')} />
    </fieldset>
  )
}

/** The organisation's language: the login screen's, and that of everyone who chose none (none: the operating system's). */
export function LanguageSettings({ form, update, field }: SectionProps) {
  const { t } = useT()
  const { error } = field('defaultLanguage')
  return (
    <fieldset className="panel">
      <legend>{t('common.language')}</legend>
      <div className={error ? 'field field--invalid' : 'field'}>
        <label htmlFor="default-language">{t('console.policy.defaultLanguage')}</label>
        <select id="default-language" value={form.defaultLanguage ?? ''} aria-describedby={error ? 'default-language-hint default-language-error' : 'default-language-hint'}
          aria-invalid={error ? true : undefined} onChange={(e) => update({ defaultLanguage: isLocale(e.target.value) ? e.target.value : null })}>
          <option value="">{t('console.policy.defaultLanguage.system')}</option>
          {LOCALES.map((l) => <option key={l} value={l} lang={LOCALE_TAGS[l]}>{LOCALE_NAMES[l]}</option>)}
        </select>
        <p className="field__hint" id="default-language-hint">{t('console.policy.defaultLanguageHint')}</p>
        {error && <p className="field__error" id="default-language-error">{error}</p>}
      </div>
    </fieldset>
  )
}

export function LockoutSettings({ form, update, field }: SectionProps) {
  const { t } = useT()
  const number = (k: keyof Policy['lockout']) => ({ value: form.lockout[k], onChange: (n: number) => update({ lockout: { ...form.lockout, [k]: n } }), ...field(`lockout.${k}`) })
  return (
    <fieldset className="panel">
      <legend>{t('console.policy.lockout')}</legend>
      <NumberField id="sf-threshold" label={t('console.policy.lockout.secondFactor')} {...number('secondFactorThreshold')} />
      <NumberField id="pw-threshold" label={t('console.policy.lockout.password')} {...number('passwordThreshold')} />
      <NumberField id="ws-threshold" label={t('console.policy.lockout.workstation')} {...number('workstationThreshold')} />
      <NumberField id="base" label={t('console.policy.lockout.base')} unit={t('console.policy.minutes')} {...number('baseMinutes')} />
      <NumberField id="growth" label={t('console.policy.lockout.growth')} unit={t('console.policy.lockout.timesLonger')} {...number('growthFactor')} />
    </fieldset>
  )
}

export function SmtpSettings({ form, update, field, smtpPassword, setSmtpPassword, passwordSaved }: SectionProps & { smtpPassword: string | undefined; setSmtpPassword: (v: string) => void; passwordSaved: boolean }) {
  const { t } = useT()
  const [testTo, setTestTo] = useState('')
  const test = useApiMutation('policy:test-smtp')
  const smtp = form.smtp
  const set = (patch: Partial<NonNullable<Policy['smtp']>>) => update({ smtp: { ...smtp!, ...patch } })
  return (
    <fieldset className="panel">
      <legend>{t('console.policy.smtp')}</legend>
      <Toggle id="smtp-on" label={t('console.policy.smtp.on')} checked={smtp !== null}
        onChange={(v) => update({ smtp: v ? { host: '', port: 587, security: 'starttls', username: '', from: '' } : null })}
        hint={t('console.policy.smtp.onHint')} />
      {smtp && (
        <div className="form-grid">
          <Field label={t('console.policy.smtp.host')} name="smtp-host" value={smtp.host} onChange={(e) => set({ host: e.target.value })} {...field('smtp.host')} />
          <NumberField id="smtp-port" label={t('console.policy.smtp.port')} value={smtp.port} onChange={(port) => set({ port })} {...field('smtp.port')} />
          <div className="field">
            <label htmlFor="smtp-security">{t('console.policy.smtp.security')}</label>
            <select id="smtp-security" value={smtp.security} onChange={(e) => set({ security: e.target.value as 'tls' | 'starttls' | 'none' })}>
              <option value="starttls">{t('console.policy.smtp.security.starttls')}</option>
              <option value="tls">{t('console.policy.smtp.security.tls')}</option>
              <option value="none">{t('console.policy.smtp.security.none')}</option>
            </select>
          </div>
          <Field label={t('console.policy.smtp.username')} name="smtp-user" autoComplete="off" value={smtp.username} onChange={(e) => set({ username: e.target.value })} {...field('smtp.username')} />
          <Field label={t('console.policy.smtp.password')} name="smtp-password" type="password" autoComplete="new-password" value={smtpPassword ?? ''} placeholder={passwordSaved ? t('console.policy.smtp.passwordSaved') : ''} onChange={(e) => setSmtpPassword(e.target.value)} />
          <Field label={t('console.policy.smtp.from')} name="smtp-from" type="email" value={smtp.from} onChange={(e) => set({ from: e.target.value })} {...field('smtp.from')} />
          <div className="field field--inline">
            <label htmlFor="smtp-test-to">{t('console.policy.smtp.testTo')}</label>
            <input id="smtp-test-to" type="email" value={testTo} onChange={(e) => setTestTo(e.target.value)} />
            <button type="button" className="button" disabled={test.isPending} onClick={() => test.mutate({ policy: form, to: testTo, ...(smtpPassword !== undefined ? { smtpPassword } : {}) })}>
              {t('console.policy.smtp.test')}
            </button>
          </div>
          {test.isSuccess && <Notice tone="ok">{t('console.policy.smtp.testSent', { to: testTo })}</Notice>}
          {test.isError && <div className="form-error" role="alert">{test.error.message}</div>}
        </div>
      )}
    </fieldset>
  )
}

function percent(words: Translator, p: number): string {
  if (p === 0) return words.t('console.policy.preview.chanceZero')
  return words.t('console.policy.preview.chance', { percent: words.intl.formatNumber(p * 100, { maximumSignificantDigits: 2, minimumSignificantDigits: 2 }), oneIn: Math.round(1 / p) })
}

export function PreviewPanel({ preview: p, mandatory, valid }: { preview: PolicyPreview | undefined; mandatory: boolean; valid: boolean }) {
  const words = useT()
  const { t } = words
  const [first, second] = MARKS
  return (
    <section className="panel preview" aria-labelledby="preview-title" aria-live="polite">
      <h2 id="preview-title">{t('console.policy.preview.title')}</h2>
      {!valid && <p>{t('console.policy.preview.invalid')}</p>}
      {valid && p && (
        <ul>
          <li>
            {mandatory
              ? placed(t('console.policy.preview.sentToSetupPostponing', { count: first, n: p.sentToSetup, postponing: second }), <strong>{words.number(p.sentToSetup)}</strong>, <strong>{words.number(p.withPostponementsLeft)}</strong>)
              : placed(t('console.policy.preview.sentToSetup', { count: first, n: p.sentToSetup }), <strong>{words.number(p.sentToSetup)}</strong>)}
          </li>
          {p.methodChanges > 0 && <li>{placed(t('console.policy.preview.methodChanges', { count: first, n: p.methodChanges }), <strong>{words.number(p.methodChanges)}</strong>)}</li>}
          <li>
            {placed(t('console.policy.preview.guesses', { guesses: first, chance: second }), <strong>{words.number(p.guessesPerYear)}</strong>, <strong>{percent(words, p.successChance)}</strong>)}
          </li>
          {p.warnings.map((w) => <li key={w} className="warn-text">{words.sayText(w)}</li>)}
        </ul>
      )}
    </section>
  )
}
