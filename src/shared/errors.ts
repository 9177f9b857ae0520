/**
 * Every error the main process can return across the IPC boundary, with the message a user sees.
 * Codes are stable (tests, the CLI and the renderer switch on them); messages may be reworded.
 */
export const ERROR_MESSAGES = {
  INVALID_INPUT: 'Some fields are not valid.',
  UNKNOWN_CHANNEL: 'This request is not part of Tessera.',
  FORBIDDEN_SENDER: 'This request did not come from the Tessera window.',
  NOT_AUTHENTICATED: 'Your session has ended. Please log in again.',
  FORBIDDEN: 'Your role does not allow this.',
  ALREADY_INITIALIZED: 'Tessera already has an administrator. Log in instead.',
  NOT_INITIALIZED: 'Create the first administrator before logging in.',
  INVALID_CREDENTIALS: 'The username, e-mail or password is incorrect.',
  ACCOUNT_DISABLED: 'This account is disabled. Contact the help desk.',
  USERNAME_TAKEN: 'This username is already in use.',
  EMAIL_TAKEN: 'This e-mail address is already in use.',
  WEAK_PASSWORD: 'Choose a longer password.',
  DATABASE_TOO_NEW: 'This database was written by a newer version of Tessera.',
  INTERNAL: 'Something went wrong. Nothing was changed; please try again.'
} as const

export type ErrorCode = keyof typeof ERROR_MESSAGES

export type Failure = {
  ok: false
  code: ErrorCode
  message: string
  /** The input field the error concerns, so the form can show it next to that field. */
  field?: string
  /** Extra facts for the screen (e.g. when a lock ends), never secrets. */
  details?: Record<string, string | number | boolean | null>
}

export type Result<T> = { ok: true; value: T } | Failure
