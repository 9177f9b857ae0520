import { useCallback } from 'react'
import { call } from './client'

/**
 * Logging out leaves nothing of the user behind in this renderer: the session ends in the main
 * process, then the page is loaded afresh, so no cached answer, remembered input or component
 * state of the previous user survives (the signed-in screen stays until the new page replaces it).
 */
export function useLogout(): () => Promise<void> {
  return useCallback(async () => {
    try {
      await call('auth:logout', {})
    } finally {
      window.location.reload()
    }
  }, [])
}
