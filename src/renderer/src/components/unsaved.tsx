/**
 * Which screens hold edits not yet saved, so the idle warning can say so ("You have unsaved changes
 * to the policy") before the session ends. A screen reports what it holds; the idle guard reads it.
 */
import { createContext, useContext, useEffect, useId } from 'react'

type Report = (key: string, what: string | null) => void
export const UnsavedChanges = createContext<Report>(() => undefined)

/**
 * While `what` is not null, this screen has unsaved changes: `what` names them in the screen's
 * language (`words.t(...)`, or a message encoded with encodeWords), as the idle warning's sentence
 * takes it ("You have unsaved changes to {what}": "the policy").
 */
export function useUnsavedChanges(what: string | null): void {
  const report = useContext(UnsavedChanges)
  const key = useId()
  useEffect(() => {
    report(key, what)
    return () => report(key, null)
  }, [report, key, what])
}
