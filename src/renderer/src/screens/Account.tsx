import { useId, useState, type FormEvent } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import type { Output } from '../../../shared/contract'
import type { EnrolStep, SessionInfo } from '../../../shared/dto'
import type { Method } from '../../../shared/policy'
import { METHOD_WORDS } from '../../../shared/i18n/labels'
import { LOCALE_NAMES, LOCALE_TAGS, LOCALES, isLocale } from '../../../shared/i18n/locales'
import type { MessageId } from '../../../shared/i18n/translate'
import { useT } from '../i18n'
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

const CONFIRM_WITH = { totp: 'account.disable.with.totp', email: 'account.disable.with.email', token: 'account.disable.with.token' } as const satisfies Record<Exclude<Method, 'webauthn'>, MessageId>

/**
 * What a finished panel says above the page: one of these ids (so that it follows a change of
 * language), or the words another screen's panel gives (MyMethods, ReplaceDevice).
 */
const DONE = ['account.done.on', 'account.done.added', 'account.done.reissued', 'account.done.off', 'account.done.passwordChanged'] as const
type Done = (typeof DONE)[number]
const isDone = (message: string): message is Done => (DONE as readonly string[]).includes(message)

type Panel = null | 'setup' | 'add' | 'token' | 'reissue' | 'disable' | 'password' | 'replace'

/** Whether 2FA is on for oneself, how, since when, and how many recovery codes are left. */
function TwoFactorFacts({ s }: { s: Output<'account:two-factor'> }) {
  const { t } = useT()
  return s.active ? (
    <dl className="facts">
      <dt>{t('account.facts.status')}</dt>
      <dd>
        <span className="badge badge--ok">{t('account.facts.on')}</span>{' '}
        {s.methods.length === 1
          ? t('account.facts.oneMethod', { method: t(METHOD_WORDS[s.method!]), since: formatDateTime(s.activatedAt) })
          : t('account.facts.methods', { count: s.methods.length })}
      </dd>
      <dt>{t('account.facts.recoveryCodes')}</dt>
      <dd>
        {t('account.facts.codesLeft', { count: s.recoveryCodesLeft })}
        {s.lowOnRecoveryCodes && <span className="badge badge--warn"> {t('account.facts.fewLeft')}</span>}
      </dd>
    </dl>
  ) : (
    <p>
      <span className="badge badge--warn">{t('account.facts.off')}</span> {t('account.facts.passwordOnly')}
    </p>
  )
}

/**
 * The language one reads Tessera in, on every workstation (or the organisation's default): saved at
 * once, and the screens follow it as soon as the status is read again.
 */
function MyLanguage({ session }: { session: SessionInfo }) {
  const { t } = useT()
  const id = useId()
  const client = useQueryClient()
  const [problem, setProblem] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)
  const save = useApiMutation('account:set-language')
  const choose = (value: string) => {
    setProblem(null)
    setSaved(false)
    save.mutate(
      { language: isLocale(value) ? value : null },
      {
        onSuccess: async () => {
          await client.invalidateQueries({ queryKey: ['app:status'] })
          setSaved(true)
        },
        onError: (err) => setProblem(err.message)
      }
    )
  }
  return (
    <div className="panel">
      <h2>{t('account.language.title')}</h2>
      <FormError message={problem} />
      <div className="field">
        <label htmlFor={id}>{t('account.language.label')}</label>
        <select id={id} aria-describedby={`${id}-hint`} value={session.user.language ?? ''} disabled={save.isPending} onChange={(e) => choose(e.target.value)}>
          <option value="">{t('account.language.organisationDefault')}</option>
          {LOCALES.map((l) => (
            <option key={l} value={l} lang={LOCALE_TAGS[l]}>
              {LOCALE_NAMES[l]}
            </option>
          ))}
        </select>
        <p className="field__hint" id={`${id}-hint`}>
          {t('account.language.hint')}
        </p>
      </div>
      {saved && <p role="status">{t('account.done.language')}</p>}
    </div>
  )
}

/** My account: 2FA status, recovery codes, turning 2FA off, and the password. */
export function Account({ session }: { session: SessionInfo }) {
  const { t } = useT()
  const status = useApiQuery('account:two-factor', {})
  const [panel, setPanel] = useState<Panel>(null)
  const [done, setDone] = useState<string | null>(null)
  const close = (message?: string) => {
    setPanel(null)
    setDone(message ?? null)
    void status.refetch()
  }

  if (panel === 'setup' && status.data) return <SetupWizard allowedMethods={status.data.allowedMethods} onCancel={() => close()} onDone={() => close('account.done.on')} />
  if ((panel === 'add' || panel === 'token') && status.data) {
    const held = status.data.methods.map((m) => m.method)
    return <SetupWizard allowedMethods={status.data.allowedMethods} held={held} pendingToken={panel === 'token'} onCancel={() => close()} onDone={() => close('account.done.added')} />
  }

  const s = status.data
  const holds = (m: Method) => !!s?.methods.some((h) => h.method === m)
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title" tabIndex={-1}>
        {t('account.title')}
      </h1>
      <p className="lead" translate="no">
        {session.user.displayName} · {session.user.username} · {session.user.email}
      </p>
      {done && <Notice tone="ok">{isDone(done) ? t(done) : done}</Notice>}
      {status.isPending && <p role="status">{t('common.loading')}</p>}
      {s && (
        <div className="panel">
          <h2>{t('account.twoFactor.title')}</h2>
          <TwoFactorFacts s={s} />
          {s.active && s.pendingToken && (
            <Notice tone="warn">
              {t('account.twoFactor.pendingToken', { serial: s.pendingToken })}{' '}
              <button type="button" className="button button--small" onClick={() => setPanel('token')}>{t('account.twoFactor.confirmToken')}</button>
            </Notice>
          )}
          {s.active && <MyMethods s={s} onAdd={() => setPanel('add')} onChanged={close} />}
          <div className="actions">
            {!s.active && (
              <button type="button" className="button" onClick={() => setPanel('setup')}>
                {t('account.twoFactor.setUp')}
              </button>
            )}
            {s.active && (
              <button type="button" className="button" aria-expanded={panel === 'reissue'} onClick={() => setPanel('reissue')}>
                {t('account.twoFactor.reissue')}
              </button>
            )}
            {holds('totp') && (
              <button type="button" className="button" aria-expanded={panel === 'replace'} onClick={() => setPanel('replace')}>
                {t('account.twoFactor.newPhone')}
              </button>
            )}
            {s.active && s.canDisable && (
              <button type="button" className="button button--danger" aria-expanded={panel === 'disable'} onClick={() => setPanel('disable')}>
                {t('account.twoFactor.disable')}
              </button>
            )}
          </div>
          {s.active && s.mandatory && <p className="field__hint">{t('account.twoFactor.mandatory')}</p>}
          {panel === 'reissue' && <Reissue onClose={close} />}
          {panel === 'replace' && <ReplaceDevice onClose={close} />}
          {panel === 'disable' && <Disable held={s.methods.map((m) => m.method)} onClose={close} />}
        </div>
      )}
      {s && holds('webauthn') && <MyKeys status={s} />}
      <MySessions />
      <MyLanguage session={session} />
      <div className="panel">
        <h2>{t('account.password.title')}</h2>
        {panel === 'password' ? (
          <ChangePassword onClose={close} />
        ) : (
          <button type="button" className="button" onClick={() => setPanel('password')}>
            {t('account.password.change')}
          </button>
        )}
      </div>
    </section>
  )
}

function Reissue({ onClose }: { onClose: (message?: Done) => void }) {
  const { t } = useT()
  const [password, setPassword] = useState('')
  const [codes, setCodes] = useState<Extract<EnrolStep, { step: 'recovery-codes' }> | null>(null)
  const errors = useFormErrors(['password'] as const)
  const reissue = useApiMutation('account:reissue-codes')
  if (codes) return <RecoveryCodes step={codes} completeLabel={t('account.reissue.done')} busy={false} onComplete={() => onClose('account.done.reissued')} />
  return (
    <form
      className="subform"
      aria-label={t('account.twoFactor.reissue')}
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
      <p>{t('account.reissue.intro')}</p>
      <FormError message={errors.formError} ref={errors.alertRef} />
      <Field label={t('account.field.password')} name="password" type="password" autoComplete="off" autoFocus value={password} onChange={(e) => setPassword(e.target.value)}
        error={errors.fieldErrors.password} ref={errors.fieldRef('password')} />
      <div className="actions">
        <button type="submit" className="button button--primary button--inline" disabled={reissue.isPending}>{t('account.reissue.submit')}</button>
        <button type="button" className="button" onClick={() => onClose()}>{t('account.cancel')}</button>
      </div>
    </form>
  )
}

function Disable({ held, onClose }: { held: Method[]; onClose: (message?: Done) => void }) {
  const { t } = useT()
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
      aria-label={t('account.disable.title')}
      noValidate
      onSubmit={(e: FormEvent) => {
        e.preventDefault()
        errors.clear()
        disable.mutate(
          { password, method: use, code },
          {
            onSuccess: () => onClose('account.done.off'),
            onError: (err) => {
              setCode('')
              errors.showError(err)
            }
          }
        )
      }}
    >
      <p>{t('account.disable.intro')}</p>
      <FormError message={errors.formError} ref={errors.alertRef} />
      <Field label={t('account.field.password')} name="password" type="password" autoComplete="off" autoFocus value={password} onChange={(e) => setPassword(e.target.value)}
        error={errors.fieldErrors.password} ref={errors.fieldRef('password')} />
      <fieldset className="choice-list choice-list--inline">
        <legend>{t('account.disable.confirmWith')}</legend>
        {own.map((m) => (
          <label key={m} className="choice">
            <input type="radio" name="use" checked={use === m} onChange={() => setUse(m)} />
            <span>{t(CONFIRM_WITH[m])}</span>
          </label>
        ))}
        <label className="choice">
          <input type="radio" name="use" checked={use === 'recovery'} onChange={() => setUse('recovery')} />
          <span>{t('account.disable.with.recovery')}</span>
        </label>
      </fieldset>
      {use === 'email' && (
        <p>
          <button type="button" className="button button--small" onClick={() => sendEmail.mutate({}, { onError: errors.showError })}>
            {t('account.disable.sendCode')}
          </button>
          {sendEmail.isSuccess && <span role="status"> {t('account.disable.sentTo', { email: sendEmail.data.maskedEmail })}</span>}
        </p>
      )}
      <Field label={use === 'recovery' ? t('account.disable.recoveryCode') : t('account.disable.sixDigitCode')} name="code" autoComplete="off" value={code} onChange={(e) => setCode(e.target.value)}
        error={errors.fieldErrors.code} ref={errors.fieldRef('code')} />
      <div className="actions">
        <button type="submit" className="button button--danger" disabled={disable.isPending}>{t('account.twoFactor.disable')}</button>
        <button type="button" className="button" onClick={() => onClose()}>{t('account.cancel')}</button>
      </div>
    </form>
  )
}

function ChangePassword({ onClose }: { onClose: (message?: Done) => void }) {
  const { t } = useT()
  const [form, setForm] = useState({ current: '', next: '', confirm: '' })
  const errors = useFormErrors(['password', 'current', 'next', 'confirm'] as const)
  const change = useApiMutation('account:change-password')
  return (
    <form
      className="subform"
      aria-label={t('account.password.change')}
      noValidate
      onSubmit={(e: FormEvent) => {
        e.preventDefault()
        errors.clear()
        if (form.next !== form.confirm) return errors.setFieldError('confirm', t('account.changePassword.mismatch'))
        change.mutate(
          { current: form.current, next: form.next },
          {
            onSuccess: () => onClose('account.done.passwordChanged'),
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
      <Field label={t('account.changePassword.current')} name="current" type="password" autoComplete="off" autoFocus value={form.current}
        onChange={(e) => setForm({ ...form, current: e.target.value })} error={errors.fieldErrors.current} ref={errors.fieldRef('current')} />
      <Field label={t('account.changePassword.new')} name="next" type="password" autoComplete="new-password" value={form.next} hint={t('validation.atLeastCharacters', { n: MIN_PASSWORD_LENGTH })}
        onChange={(e) => setForm({ ...form, next: e.target.value })} error={errors.fieldErrors.next} ref={errors.fieldRef('next')} />
      <Field label={t('account.changePassword.confirm')} name="confirm" type="password" autoComplete="new-password" value={form.confirm}
        onChange={(e) => setForm({ ...form, confirm: e.target.value })} error={errors.fieldErrors.confirm} ref={errors.fieldRef('confirm')} />
      <div className="actions">
        <button type="submit" className="button button--primary button--inline" disabled={change.isPending}>{t('account.password.change')}</button>
        <button type="button" className="button" onClick={() => onClose()}>{t('account.cancel')}</button>
      </div>
    </form>
  )
}
