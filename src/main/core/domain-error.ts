import { ERROR_MESSAGES, type ErrorCode, type Failure } from '../../shared/errors'

/** A refusal the user should see. Anything else thrown is a bug and becomes INTERNAL. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_MESSAGES[code],
    readonly field?: string,
    readonly details?: Failure['details']
  ) {
    super(message)
    this.name = 'DomainError'
  }

  toFailure(): Failure {
    const failure: Failure = { ok: false, code: this.code, message: this.message }
    if (this.field !== undefined) failure.field = this.field
    if (this.details !== undefined) failure.details = this.details
    return failure
  }
}
