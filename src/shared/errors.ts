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
  DATABASE_UNAVAILABLE: 'The database server cannot be reached. Tessera keeps trying: try again in a moment.',
  DATABASE_REFUSED: 'The database server refused the connection.',
  DIRECTORY_NOT_CONFIGURED: 'No directory server (Active Directory or LDAP) is set up.',
  DIRECTORY_UNAVAILABLE: 'The directory server cannot be reached.',
  DIRECTORY_UNTRUSTED: 'The directory server\'s certificate is not trusted.',
  DIRECTORY_REFUSED: 'The directory server refused the request.',
  DATABASE_NOT_EMPTY: 'The PostgreSQL database already holds Tessera data: copy only into a new, empty database.',
  LOGIN_BLOCKED: 'Too many failed attempts. Wait before trying again.',
  RESET_BLOCKED: 'Too many wrong codes. Wait before trying again.',
  PASSWORD_EXPIRED: 'This temporary password has expired. Ask the help desk for a new one.',
  ACCOUNT_LOCKED: 'This account is locked after too many wrong codes.',
  WORKSTATION_LOCKED: 'This workstation is blocked after too many failed attempts.',
  INVALID_CODE: 'That code is not correct.',
  CODE_ALREADY_USED: 'That code was already used. Wait for the next code in your app.',
  CODE_EXPIRED: 'That code has expired. Ask for a new one.',
  NO_CODE_SENT: 'No code was sent, or it was already used. Ask for a new one.',
  RESEND_TOO_SOON: 'A code was sent a moment ago. Wait a little before asking for another.',
  TOO_MANY_CODES: 'Too many codes were sent in the last hour. Try again later.',
  METHOD_NOT_ALLOWED: 'This method is not allowed by your organisation.',
  NOT_ENROLLED: 'Two-factor authentication is not set up for this account.',
  ALREADY_ENROLLED: 'Two-factor authentication is already set up for this account.',
  ENROLMENT_NOT_STARTED: 'Start the setup again: the previous one was not finished.',
  ENROLMENT_STEP: 'Finish the previous step of the setup first.',
  TOKEN_FROM_HELP_DESK: 'A hardware token is handed out by the help desk: ask them for one.',
  CONFIRM_IT_IS_YOU: 'Confirm it is you first, with a code from one of your methods or one of your security keys.',
  LAST_METHOD: 'This is your last second factor, and two-factor authentication is required: add another method first.',
  LAST_REQUIRED_METHOD: 'Your organisation requires this kind of method for your role, and this is your last one: add another of the same kind first.',
  METHOD_HELD: 'You already have this method.',
  APP_NAME_TAKEN: 'You already have an authenticator app with this name: choose another.',
  LAST_KEY: 'This is the last security key, and two-factor authentication is required: add another key first, or reset 2FA.',
  TOKEN_RESYNC: 'Your token is far ahead of Tessera. Press its button again and enter the new code.',
  NO_POSTPONEMENTS_LEFT: 'Setup cannot be postponed any more.',
  TWO_FACTOR_REQUIRED: 'Your organisation requires two-factor authentication, so it cannot be turned off.',
  OWN_TWO_FACTOR_REQUIRED: 'Set up your own two-factor authentication before making it mandatory.',
  SMTP_NOT_CONFIGURED: 'E-mail is not set up. Ask an administrator to configure SMTP.',
  MAIL_FAILED: 'The e-mail could not be sent.',
  NOT_FOUND: 'Not found.',
  OWN_ACCOUNT: 'You cannot do this to your own account.',
  NOT_LOCKED: 'This account is not locked.',
  ROLE_NOT_ALLOWED: 'Your role cannot act on this account.',
  LAST_ADMIN: 'Tessera needs at least one active administrator.',
  REQUEST_ALREADY_OPEN: 'You already have an open request. The help desk will contact you.',
  REQUEST_CLOSED: 'This request was already handled.',
  SECOND_APPROVAL_REQUIRED: 'Resetting an administrator needs the approval of a second administrator.',
  INVALID_TOKEN: 'This link is not valid or has expired.',
  KEY_UNAVAILABLE: 'The data key cannot be read, so stored secrets cannot be used.',
  KEY_BUNDLE_INVALID: 'This file is not a Tessera key bundle.',
  KEY_BUNDLE_VERSION: 'This key bundle was written by a newer version of Tessera: update Tessera to open it.',
  KEY_BUNDLE_DAMAGED: 'This key bundle is damaged or was changed after it was exported: export it again.',
  WRONG_PASSPHRASE: 'That passphrase does not open this key bundle.',
  WEAK_PASSPHRASE: 'Choose a passphrase of at least 15 characters.',
  SEAT_HAS_OTHER_KEY: 'This seat already holds another organisation\'s data key.',
  KEY_MISMATCH: 'This seat\'s data key is not the organisation\'s key: join the seat again with the organisation\'s key bundle.',
  ALREADY_SET_UP: 'This machine is already set up: it can join an organisation only on its first start, with an empty data folder.',
  SEAT_CONFIG_INVALID: 'The seat\'s connection settings (seat.json) are damaged.',
  JOB_RUNNING: 'The same kind of work is already running; wait for it or cancel it.',
  CANCELLED: 'Cancelled.',
  UNAVAILABLE: 'This is not available here.',
  INTERNAL: 'Something went wrong. Nothing was changed; please try again.'
} as const

export type ErrorCode = keyof typeof ERROR_MESSAGES

export type Failure = {
  ok: false
  code: ErrorCode
  message: string
  /** The input field the error concerns, so the form can show it next to that field. */
  field?: string
  /** When the input had problems in several fields: each field's (by path, e.g. `policy.lockout.baseMinutes`). */
  fields?: Record<string, string>
  /** Extra facts for the screen (e.g. when a lock ends), never secrets. */
  details?: Record<string, string | number | boolean | null>
}

export type Result<T> = { ok: true; value: T } | Failure
