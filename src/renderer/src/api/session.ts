import { useQueryClient } from '@tanstack/react-query'
import { useCallback } from 'react'
import { call } from './client'

/**
 * Logging out leaves nothing of the user behind in this renderer: the session ends in the main
 * process, every cached answer and remembered mutation is dropped, and the page starts afresh.
 */
export function useLogout(): () => Promise<void> {
  const client = useQueryClient()
  return useCallback(async () => {
    try {
      await call('auth:logout', {})
    } finally {
      client.clear()
      window.location.reload()
    }
  }, [client])
}
