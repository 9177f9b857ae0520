import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from 'react'

type FieldProps = {
  label: string
  error?: string | undefined
  hint?: ReactNode
  ref?: Ref<HTMLInputElement>
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>

/** A labelled input with its hint and its error right below it, both tied to it for screen readers. */
export function Field({ label, error, hint, ref, ...input }: FieldProps) {
  const id = useId()
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <input id={id} ref={ref} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {hint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  )
}

/** A form-level error, announced when it appears and focusable so focus can be moved to it. */
export function FormError({ message, ref }: { message: string | null; ref?: Ref<HTMLDivElement> }) {
  if (!message) return null
  return (
    <div className="form-error" role="alert" tabIndex={-1} ref={ref}>
      {message}
    </div>
  )
}

/** A group of inputs (a fieldset) with one error for the group, e.g. "allow at least one method". */
export function Group({ id, legend, className, error, children }: { id: string; legend: string; className: string; error?: string | undefined; children: ReactNode }) {
  return (
    <fieldset className={error ? `${className} field--invalid` : className} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {children}
      {error && <p className="field__error" id={`${id}-error`}>{error}</p>}
    </fieldset>
  )
}
