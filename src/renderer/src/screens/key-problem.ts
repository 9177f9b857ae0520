/** What the browser says when the prompt was dismissed or timed out, in words. */
export function keyProblem(error: unknown): Error {
  const name = (error as { name?: string }).name
  if (name === 'NotAllowedError' || name === 'AbortError') return new Error('The security key was not used (the prompt was closed or timed out). Try again.')
  if (name === 'InvalidStateError') return new Error('This key is already registered for your account.')
  return error instanceof Error ? error : new Error(String(error))
}
