import { useCallback, useRef, useState } from 'react'
import { ApiError } from '../api/client'

/**
 * Keeps a form's errors: every field's at once, beside it, or one for the whole form. After a
 * failure focus moves to the first field concerned (in the order the fields were rendered), or to
 * the form's alert, so keyboard and screen-reader users land on it.
 */
export function useFormErrors<F extends string>(fields: readonly F[]) {
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<F, string>>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const inputs = useRef(new Map<F, HTMLElement | null>())
  const alertRef = useRef<HTMLDivElement | null>(null)

  const fieldRef = useCallback((name: F) => (el: HTMLElement | null) => void inputs.current.set(name, el), [])

  const clear = useCallback(() => {
    setFieldErrors({})
    setFormError(null)
  }, [])

  /** Shows these fields' problems (and any that belongs to no field of this form as the form's). */
  const showFieldErrors = useCallback(
    (problems: Record<string, string>) => {
      const known = Object.entries(problems).filter(([name]) => (fields as readonly string[]).includes(name)) as [F, string][]
      const other = Object.entries(problems).filter(([name]) => !(fields as readonly string[]).includes(name)).map(([, m]) => m)
      setFieldErrors(Object.fromEntries(known) as Partial<Record<F, string>>)
      setFormError(other.length ? [...new Set(other)].join(' ') : null)
      const first = [...inputs.current.keys()].find((name) => known.some(([k]) => k === name))
      if (first) queueMicrotask(() => inputs.current.get(first)?.focus())
      else if (other.length) requestAnimationFrame(() => alertRef.current?.focus())
    },
    [fields]
  )

  const setFieldError = useCallback((name: F, message: string) => showFieldErrors({ [name]: message }), [showFieldErrors])

  const showError = useCallback(
    (error: unknown) => {
      if (error instanceof ApiError && error.fields && Object.keys(error.fields).length) return showFieldErrors(error.fields)
      const field = error instanceof ApiError ? error.field : undefined
      const message = error instanceof Error ? error.message : String(error)
      if (field && (fields as readonly string[]).includes(field)) return showFieldErrors({ [field]: message })
      setFieldErrors({})
      setFormError(message)
      requestAnimationFrame(() => alertRef.current?.focus())
    },
    [fields, showFieldErrors]
  )

  return { fieldErrors, formError, fieldRef, alertRef, clear, setFieldError, showFieldErrors, showError }
}
