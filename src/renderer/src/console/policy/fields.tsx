/** The policy screen's number and on/off inputs (text ones are `Field`), each with its hint and error beside it. */
import { Fragment, type ReactNode, type Ref } from 'react'

/** Marks a message's parameter where an element goes (`MARKS[0]` for the first element, and so on). */
export const MARKS = ['\uE000', '\uE001', '\uE002'] as const

/**
 * A translated sentence with elements in it (a number in <strong>, a link button): its parameters
 * were given MARKS, which are replaced by the elements in their order in MARKS, wherever the
 * language puts them.
 */
export function placed(text: string, ...elements: ReactNode[]): ReactNode {
  return text.split(/([\uE000-\uE002])/).map((part, i) => {
    const at = (MARKS as readonly string[]).indexOf(part)
    return <Fragment key={i}>{at >= 0 ? elements[at] : part}</Fragment>
  })
}

export type FieldError = { error?: string | undefined; ref?: Ref<HTMLInputElement> }

const describedBy = (id: string, hint: unknown, error: unknown) => [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].join(' ').trim() || undefined

function Below({ id, hint, error }: { id: string; hint?: ReactNode; error?: string | undefined }) {
  return (
    <>
      {hint && <p className="field__hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p className="field__error" id={`${id}-error`}>{error}</p>}
    </>
  )
}

export function NumberField({ id, label, value, onChange, hint, unit, error, ref }: { id: string; label: string; value: number; onChange: (n: number) => void; hint?: string; unit?: string } & FieldError) {
  return (
    <div className={error ? 'field field--number field--invalid' : 'field field--number'}>
      <label htmlFor={id}>{label}</label>
      <span className="with-unit">
        <input id={id} ref={ref} type="number" inputMode="numeric" value={Number.isFinite(value) ? value : ''} aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)} onChange={(e) => onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))} />
        {unit && <span>{unit}</span>}
      </span>
      <Below id={id} hint={hint} error={error} />
    </div>
  )
}

export function Toggle({ id, label, checked, onChange, hint, error, ref }: { id: string; label: string; checked: boolean; onChange: (v: boolean) => void; hint?: ReactNode } & FieldError) {
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="choice" htmlFor={id}>
        <input id={id} ref={ref} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)}
          aria-describedby={describedBy(id, hint, error)} aria-invalid={error ? true : undefined} />
        <span>{label}</span>
      </label>
      <Below id={id} hint={hint} error={error} />
    </div>
  )
}
