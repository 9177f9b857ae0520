/** What a PostgreSQL driver error means for a caller. */
import { DomainError } from '../../core/domain-error'

/** SQLSTATEs after which the same transaction may simply run again. */
const RETRYABLE = new Set(['40001', '40P01']) // serialization_failure, deadlock_detected

/** SQLSTATE classes and codes that mean the server is away (shutting down, starting, unreachable). */
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300', 'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN'])

export function isRetryable(error: unknown): boolean {
  return RETRYABLE.has(codeOf(error))
}

function codeOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : ''
}

/** Whether the server could not be reached or the connection broke. */
export function isUnavailable(error: unknown): boolean {
  const code = codeOf(error)
  if (UNAVAILABLE_CODES.has(code) || code.startsWith('08')) return true
  const message = error instanceof Error ? error.message : ''
  return /Connection terminated|connection timeout|Client has encountered a connection error|Connection ended/i.test(message)
}

/** A lost server becomes the one code a person is shown; anything else stays as it was. */
export function translateError(error: unknown): unknown {
  if (error instanceof DomainError || !isUnavailable(error)) return error
  return new DomainError('DATABASE_UNAVAILABLE')
}
