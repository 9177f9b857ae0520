/** The policy screen's inputs: each with its label, hint and its own error beside it. */
import type { ReactNode, Ref } from 'react'

export type FieldError = { error?: string | undefined; inputRef?: Ref<HTMLInputElement> }

const describedBy = (id: string, hint: unknown, error: unknown) => [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].join(' ').trim() || undefined

function Below({ id, hint, error }: { id: string; hint?: ReactNode; error?: string | undefined }) {
  return (
    <>
      {hint && <p className="field__hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p className="field__error" id={`${id}-error`}>{error}</p>}
    </>
  )
}

export function NumberField({ id, label, value, onChange, hint, unit, error, inputRef }: { id: string; label: string; value: number; onChange: (n: number) => void; hint?: string; unit?: string } & FieldError) {
  return (
    <div className={error ? 'field field--number field--invalid' : 'field field--number'}>
      <label htmlFor={id}>{label}</label>
      <span className="with-unit">
        <input id={id} ref={inputRef} type="number" inputMode="numeric" value={Number.isFinite(value) ? value : ''} aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)} onChange={(e) => onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))} />
        {unit && <span>{unit}</span>}
      </span>
      <Below id={id} hint={hint} error={error} />
    </div>
  )
}

export function TextField({ id, label, value, onChange, type = 'text', autoComplete, placeholder, error, inputRef }: { id: string; label: string; value: string; onChange: (v: string) => void; type?: string; autoComplete?: string; placeholder?: string } & FieldError) {
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <input id={id} ref={inputRef} type={type} autoComplete={autoComplete} placeholder={placeholder} value={value} aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, null, error)} onChange={(e) => onChange(e.target.value)} />
      <Below id={id} error={error} />
    </div>
  )
}

export function Toggle({ id, label, checked, onChange, hint, error, inputRef }: { id: string; label: string; checked: boolean; onChange: (v: boolean) => void; hint?: ReactNode } & FieldError) {
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="choice" htmlFor={id}>
        <input id={id} ref={inputRef} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)}
          aria-describedby={describedBy(id, hint, error)} aria-invalid={error ? true : undefined} />
        <span>{label}</span>
      </label>
      <Below id={id} hint={hint} error={error} />
    </div>
  )
}
