import { z } from 'zod'

/**
 * Zod's default messages ("Too small: expected number to be >=0", "Invalid input: expected number,
 * received null") are written for developers. Each schema here says in its own words what to
 * enter; this says the rest in plain words, wherever a schema is checked (main process, renderer,
 * CLI). A schema's own message always wins over these.
 */
z.config({
  customError(issue) {
    const empty = issue.input === undefined || issue.input === null || issue.input === '' || Number.isNaN(issue.input)
    switch (issue.code) {
      case 'invalid_type':
        return empty ? 'Enter a value.' : `Enter ${issue.expected === 'number' || issue.expected === 'int' ? 'a number' : 'a value of the right kind'}.`
      case 'too_small':
        return issue.origin === 'string' ? (Number(issue.minimum) <= 1 ? 'Enter a value.' : `At least ${issue.minimum} characters.`) : `At least ${issue.minimum}.`
      case 'too_big':
        return issue.origin === 'string' ? `At most ${issue.maximum} characters.` : `At most ${issue.maximum}.`
      case 'invalid_value':
        return 'Choose one of the options.'
      case 'invalid_format':
        return issue.format === 'email' ? 'Enter a valid e-mail address.' : 'This is not in the expected form.'
      case 'unrecognized_keys':
        return `Not a setting Tessera knows: ${issue.keys.join(', ')}.`
      default:
        return undefined
    }
  }
})

/** Each field's first problem, keyed by its path (`email`, `policy.lockout.baseMinutes`); '' for the whole input. */
export function problemsByField(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string> {
  const byField: Record<string, string> = {}
  for (const issue of issues) byField[issue.path.map(String).join('.')] ??= issue.message
  return byField
}

/** NIST SP 800-63B-4 3.1.1.2: at least 15 characters when a password may be the only factor. */
export const MIN_PASSWORD_LENGTH = 15
/** Long enough for passphrases, short enough to bound the cost of hashing. */
export const MAX_PASSWORD_LENGTH = 256

export const usernameSchema = z
  .string()
  .trim()
  .min(3, 'At least 3 characters.')
  .max(64, 'At most 64 characters.')
  .regex(/^[a-zA-Z0-9._-]+$/, 'Letters, digits, dots, hyphens and underscores only.')

export const emailSchema = z.string().trim().max(254, 'At most 254 characters.').pipe(z.email('Enter a valid e-mail address, like grace@example.org.'))

export const displayNameSchema = z.string().trim().min(1, 'Enter a name.').max(128, 'At most 128 characters.')

export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `At least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(MAX_PASSWORD_LENGTH, `At most ${MAX_PASSWORD_LENGTH} characters.`)

/** A password being checked: any length up to the bound (an old short password must still log in). */
export const passwordSchema = z.string().min(1, 'Enter your password.').max(MAX_PASSWORD_LENGTH)

export const identifierSchema = z.string().trim().min(1, 'Enter your username or e-mail.').max(254)

export const roleSchema = z.enum(['user', 'helpdesk', 'admin'])

/** Optional: empty means none on file. Digits with the usual separators, as people write them. */
export const phoneSchema = z
  .string()
  .trim()
  .max(32, 'At most 32 characters.')
  .regex(/^$|^\+?[0-9][0-9 ().-]{4,}[0-9]$/, 'Enter a phone number with its digits, like +44 20 7946 0958.')
  .transform((v) => (v === '' ? null : v))

/** A code as typed or pasted: the engine normalises it (spaces, hyphens, case). */
export const codeSchema = z.string().trim().min(1, 'Enter the code.').max(64)
