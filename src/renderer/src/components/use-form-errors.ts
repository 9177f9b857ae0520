import { useCallback, useRef, useState } from 'react'
import { ApiError } from '../api/client'

/**
 * Keeps a form's errors: one per field, or one for the whole form. After a failure focus moves to
 * the field concerned, or to the form's alert, so keyboard and screen-reader users land on it.
 */
export function useFormErrors<F extends string>(fields: readonly F[]) {
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<F, string>>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const inputs = useRef(new Map<F, HTMLInputElement | null>())
  const alertRef = useRef<HTMLDivElement | null>(null)

  const fieldRef = useCallback((name: F) => (el: HTMLInputElement | null) => void inputs.current.set(name, el), [])

  const clear = useCallback(() => {
    setFieldErrors({})
    setFormError(null)
  }, [])

  const setFieldError = useCallback((name: F, message: string) => {
    setFormError(null)
    setFieldErrors({ [name]: message } as Partial<Record<F, string>>)
    queueMicrotask(() => inputs.current.get(name)?.focus())
  }, [])

  const showError = useCallback(
    (error: unknown) => {
      const field = error instanceof ApiError ? error.field : undefined
      const message = error instanceof Error ? error.message : String(error)
      if (field && (fields as readonly string[]).includes(field)) {
        setFieldError(field as F, message)
      } else {
        setFieldErrors({})
        setFormError(message)
        requestAnimationFrame(() => alertRef.current?.focus())
      }
    },
    [fields, setFieldError]
  )

  return { fieldErrors, formError, fieldRef, alertRef, clear, setFieldError, showError }
}
