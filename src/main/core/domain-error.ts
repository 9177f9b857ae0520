import { ERROR_MESSAGES, type ErrorCode, type Failure } from '../../shared/errors'
import { translator, type Message } from '../../shared/i18n/translate'

/**
 * A refusal the user should see. Anything else thrown is a bug and becomes INTERNAL. Its words are
 * a Message (worded in the reader's language where it is shown; `message` is its English), or an
 * English text (an engine path not yet worded), or, by default, its code's own.
 */
export class DomainError extends Error {
  readonly words: Message | undefined
  constructor(
    readonly code: ErrorCode,
    words: string | Message = ERROR_MESSAGES[code],
    readonly field?: string,
    readonly details?: Failure['details']
  ) {
    super(typeof words === 'string' ? words : translator('en').say(words))
    this.words = typeof words === 'string' ? undefined : words
    this.name = 'DomainError'
  }

  toFailure(): Failure {
    const failure: Failure = { ok: false, code: this.code, message: this.message }
    if (this.words !== undefined) failure.words = this.words
    if (this.field !== undefined) failure.field = this.field
    if (this.details !== undefined) failure.details = this.details
    return failure
  }
}
