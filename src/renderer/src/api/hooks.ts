import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { Channel, Input, Output } from '../../../shared/contract'
import { call, type ApiError } from './client'

/** Query keys are `[channel, input]`, so invalidating a channel refreshes every query of it. */
export function useApiQuery<C extends Channel>(
  channel: C,
  input: Input<C>,
  options: { enabled?: boolean; refetchInterval?: number | ((query: { state: { error: ApiError | null } }) => number | false) } = {}
) {
  return useQuery<Output<C>, ApiError>({ queryKey: [channel, input], queryFn: () => call(channel, input), ...options })
}

export function useApiMutation<C extends Channel>(
  channel: C,
  options: { invalidates?: readonly Channel[]; onSuccess?: (value: Output<C>) => void } = {}
) {
  const client = useQueryClient()
  return useMutation<Output<C>, ApiError, Input<C>>({
    mutationFn: (input) => call(channel, input),
    onSuccess: async (value) => {
      await Promise.all((options.invalidates ?? []).map((c) => client.invalidateQueries({ queryKey: [c] })))
      options.onSuccess?.(value)
    }
  })
}
