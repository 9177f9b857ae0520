import { currentWords } from '../i18n'

/** What the browser says when the prompt was dismissed or timed out, in words. */
export function keyProblem(error: unknown): Error {
  const name = (error as { name?: string }).name
  if (name === 'NotAllowedError' || name === 'AbortError') return new Error(currentWords().t('secondStep.keyProblem.notUsed'))
  if (name === 'InvalidStateError') return new Error(currentWords().t('secondStep.keyProblem.registered'))
  return error instanceof Error ? error : new Error(String(error))
}
