import { useId, useState, type InputHTMLAttributes, type ReactNode, type Ref, type TextareaHTMLAttributes } from 'react'
import { useT } from '../i18n'

type Labelled = { label: string; error?: string | undefined; hint?: ReactNode }

type FieldProps = Labelled & { ref?: Ref<HTMLInputElement> } & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>

/** The ids a field's hint and error get, and what its control is described by. */
function useFieldIds(hint: ReactNode, error: string | undefined) {
  const id = useId()
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined
  return { id, hintId, errorId, describedBy }
}

/** A field's label, its control, then its hint and its error right below it. */
function FieldFrame({ label, error, hint, ids, children }: Labelled & { ids: ReturnType<typeof useFieldIds>; children: ReactNode }) {
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label htmlFor={ids.id}>{label}</label>
      {children}
      {hint && (
        <p className="field__hint" id={ids.hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field__error" id={ids.errorId}>
          {error}
        </p>
      )}
    </div>
  )
}

/** A labelled input with its hint and its error right below it, both tied to it for screen readers. */
export function Field({ label, error, hint, ref, ...input }: FieldProps) {
  const ids = useFieldIds(hint, error)
  return (
    <FieldFrame label={label} error={error} hint={hint} ids={ids}>
      <input id={ids.id} ref={ref} aria-invalid={error ? true : undefined} aria-describedby={ids.describedBy} {...input} />
    </FieldFrame>
  )
}

type FileFieldProps = Labelled & { ref?: Ref<HTMLInputElement>; onFile: (file: File | undefined) => void } & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type' | 'onChange'>

/**
 * Field's file twin, in the screen's language: the browser's own button and "No file chosen" are in
 * the browser's language, so the input lies transparent over a button of ours, with the chosen
 * file's name beside it. The input itself keeps the label, the focus and the keyboard.
 */
export function FileField({ label, error, hint, ref, onFile, ...input }: FileFieldProps) {
  const words = useT()
  const ids = useFieldIds(hint, error)
  const [chosen, setChosen] = useState<string | null>(null)
  return (
    <FieldFrame label={label} error={error} hint={hint} ids={ids}>
      <span className="file-field">
        <span className="file-field__pick">
          <input id={ids.id} ref={ref} type="file" className="file-field__input" aria-invalid={error ? true : undefined} aria-describedby={ids.describedBy} {...input}
            onChange={(e) => {
              const file = e.target.files?.[0]
              setChosen(file?.name ?? null)
              onFile(file)
            }} />
          <span className="button file-field__button" aria-hidden="true">{words.t('common.file.choose')}</span>
        </span>
        <span className="file-field__name" translate={chosen ? 'no' : undefined}>{chosen ?? words.t('common.file.none')}</span>
      </span>
    </FieldFrame>
  )
}

type TextAreaFieldProps = Labelled & { ref?: Ref<HTMLTextAreaElement> } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'>

/** Field's multi-line twin: a labelled text area with its hint and error tied to it. */
export function TextAreaField({ label, error, hint, ref, ...area }: TextAreaFieldProps) {
  const ids = useFieldIds(hint, error)
  return (
    <FieldFrame label={label} error={error} hint={hint} ids={ids}>
      <textarea id={ids.id} ref={ref} aria-invalid={error ? true : undefined} aria-describedby={ids.describedBy} {...area} />
    </FieldFrame>
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
