/** A one-time code form (setup steps, moving to a new phone): the field, its error beside it, Verify. */
import { useState, type FormEvent, type ReactNode } from 'react'
import { Field, FormError } from './forms'
import type { useFormErrors } from './use-form-errors'
import { useT } from '../i18n'

type Props = {
  label: string
  hint: ReactNode
  busy: boolean
  errors: ReturnType<typeof useFormErrors<'code'>>
  /** `refused` empties the field (after a wrong code). */
  onCode: (code: string, refused: () => void) => void
  autoFocus?: boolean
  submitLabel?: string
  /** The heading that names the form. */
  labelledBy?: string
  /** Shown beside the submit button when given. */
  onCancel?: () => void
}

export function CodeForm({ label, hint, busy, errors, onCode, autoFocus = true, submitLabel, labelledBy, onCancel }: Props) {
  const words = useT()
  const [code, setCode] = useState('')
  const submit = (
    <button type="submit" className={onCancel ? 'button button--primary button--inline' : 'button button--primary'} disabled={busy}>
      {submitLabel ?? words.t('secondStep.verify')}
    </button>
  )
  return (
    <form onSubmit={(e: FormEvent) => { e.preventDefault(); onCode(code, () => setCode('')) }} noValidate aria-labelledby={labelledBy}>
      <FormError message={errors.formError} ref={errors.alertRef} />
      <Field label={label} name="code" inputMode="numeric" autoComplete="off" maxLength={8} autoFocus={autoFocus} required value={code}
        onChange={(e) => setCode(e.target.value)} error={errors.fieldErrors.code} ref={errors.fieldRef('code')} hint={hint} />
      {onCancel ? (
        <div className="actions">
          {submit}
          <button type="button" className="button" onClick={onCancel}>{words.t('secondStep.cancel')}</button>
        </div>
      ) : (
        submit
      )}
    </form>
  )
}
