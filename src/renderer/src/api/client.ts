/**
 * The renderer's only door to the main process. `window.api` comes from the preload script in
 * Electron and from the harness bridge in a browser; both implement the same contract.
 */
import { contract, type Channel, type Input, type Output, type TesseraApi } from '../../../shared/contract'
import { problemsByField } from '../../../shared/validation'
import { sayFailure, sayFields, type Failure } from '../../../shared/errors'
import { currentWords } from '../i18n'

declare global {
  interface Window {
    api: TesseraApi
  }
}

/**
 * A refused call, with the code and (when it concerns one) the field to show it next to; its
 * message and the fields' problems in the screen's language as it was when the answer came.
 */
export class ApiError extends Error {
  readonly code: Failure['code']
  readonly field: string | undefined
  readonly details: Failure['details']
  readonly fields: Failure['fields']
  constructor(failure: Failure) {
    super(sayFailure(currentWords(), failure))
    this.name = 'ApiError'
    this.code = failure.code
    this.field = failure.field
    this.details = failure.details
    this.fields = failure.fields && sayFields(currentWords(), failure)
  }
}

export async function call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
  const fn = window.api[channel] as unknown as (input: Input<C>) => ReturnType<TesseraApi[C]>
  const result = await fn(input)
  if (!result.ok) throw new ApiError(result)
  return result.value as Output<C>
}

/**
 * Every problem the main process would find in this input, by field, checked here first with the
 * same contract so a form shows them all at once without a round trip (the main process still
 * checks). Empty when the input is acceptable.
 */
export function problemsIn<C extends Channel>(channel: C, input: unknown): Record<string, string> {
  const parsed = contract[channel].input.safeParse(input)
  if (parsed.success) return {}
  const words = currentWords()
  return Object.fromEntries(Object.entries(problemsByField(parsed.error.issues)).map(([field, text]) => [field, words.sayText(text)]))
}
