import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react'
import type { Input } from '../../../shared/contract'
import type { Policy } from '../../../shared/policy'
import { ApiError, problemsIn } from '../api/client'
import { useApiMutation, useApiQuery } from '../api/hooks'
import { FormError } from '../components/forms'
import { Notice } from '../components/ui'
import { useUnsavedChanges } from '../components/unsaved'
import { useFormErrors } from '../components/use-form-errors'
import { useT } from '../i18n'
import { LanguageSettings, LockoutSettings, PreviewPanel, SmtpSettings, TwoFactorSettings } from './policy/sections'
import { DirectorySourcePanel } from './DirectorySourcePanel'

/** Every setting that can be wrong, by its path in the policy, in the order the screen shows them. */
const FIELDS = [
  'mandatory', 'allowedMethods', 'requiredMethod', 'postponements', 'recoveryCodeCount', 'issuer', 'accessCodeLifetimeMinutes', 'idleTimeoutMinutes', 'defaultLanguage',
  'lockout.secondFactorThreshold', 'lockout.passwordThreshold', 'lockout.workstationThreshold', 'lockout.baseMinutes', 'lockout.growthFactor',
  'smtp.host', 'smtp.port', 'smtp.username', 'smtp.from'
] as const
type FieldName = (typeof FIELDS)[number]

/** `policy.lockout.baseMinutes` → `lockout.baseMinutes`: the save call wraps the policy. */
const withinPolicy = (problems: Record<string, string>) => Object.fromEntries(Object.entries(problems).map(([k, m]) => [k.replace(/^policy\./, ''), m]))

/** Organisation policy: every setting, the effect of the change before it is saved, and SMTP. */
export function PolicyScreen() {
  const { t } = useT()
  const current = useApiQuery('policy:get', {})
  const [form, setForm] = useState<Policy | null>(null)
  const [smtpPassword, setSmtpPassword] = useState<string | undefined>(undefined)
  const [saved, setSaved] = useState(false)
  const [dirty, setDirty] = useState(false)
  const [debounced, setDebounced] = useState<Policy | null>(null)
  const errors = useFormErrors(FIELDS)
  const save = useApiMutation('policy:save', { invalidates: ['policy:get', 'app:status'] })
  useUnsavedChanges(dirty ? t('console.policy.unsavedWhat') : null)

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
  // Checked once per settled edit, not on every render.
  const valid = useMemo(() => !!debounced && Object.keys(problemsIn('policy:preview', { policy: debounced })).length === 0, [debounced])
  const preview = useApiQuery('policy:preview', { policy: debounced as Input<'policy:preview'>['policy'] }, { enabled: valid })
  const field = useCallback((path: string) => ({ error: errors.fieldErrors[path as FieldName], ref: errors.fieldRef(path as FieldName) }), [errors])

  if (!form || !current.data) return <p role="status">{t('common.loading')}</p>
  const update = (patch: Partial<Policy>) => {
    setSaved(false)
    setDirty(true)
    setForm({ ...form, ...patch })
  }

  function submit(event: FormEvent) {
    event.preventDefault()
    const input = { policy: form!, ...(smtpPassword !== undefined ? { smtpPassword } : {}) }
    const problems = withinPolicy(problemsIn('policy:save', input))
    if (Object.keys(problems).length) return errors.showFieldErrors(problems)
    errors.clear()
    save.mutate(input, {
      onSuccess: () => {
        setSaved(true)
        setDirty(false)
        setSmtpPassword(undefined)
      },
      onError: (e) => (e instanceof ApiError && e.fields ? errors.showFieldErrors(withinPolicy(e.fields)) : errors.showError(e))
    })
  }

  const sections = { form, update, field }
  return (
    <section aria-labelledby="policy-title">
      <h1 id="policy-title">{t('console.policy.title')}</h1>
      <form onSubmit={submit} noValidate className="policy">
        <FormError message={errors.formError} ref={errors.alertRef} />
        {Object.keys(errors.fieldErrors).length > 0 && (
          <div className="form-error" role="alert">{t('console.policy.notSaved', { count: Object.keys(errors.fieldErrors).length })}</div>
        )}
        {saved && <Notice tone="ok">{t('console.policy.saved')}</Notice>}
        <TwoFactorSettings {...sections} />
        <LanguageSettings {...sections} />
        <LockoutSettings {...sections} />
        <SmtpSettings {...sections} smtpPassword={smtpPassword} setSmtpPassword={(v) => { setSmtpPassword(v); setDirty(true) }} passwordSaved={current.data.smtpPasswordSet} />
        <PreviewPanel preview={preview.data} mandatory={form.mandatory} valid={valid} />
        <div className="actions">
          <button type="submit" className="button button--primary button--inline" disabled={save.isPending}>{t('console.policy.save')}</button>
          {dirty && <span className="muted" role="status">{t('console.policy.unsaved')}</span>}
        </div>
      </form>
      <div className="policy">
        <DirectorySourcePanel />
      </div>
    </section>
  )
}
