import { z } from 'zod'

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

export const emailSchema = z.string().trim().max(254).pipe(z.email('Enter a valid e-mail address.'))

export const displayNameSchema = z.string().trim().min(1, 'Enter a name.').max(128)

export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `At least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(MAX_PASSWORD_LENGTH, `At most ${MAX_PASSWORD_LENGTH} characters.`)

/** A password being checked: any length up to the bound (an old short password must still log in). */
export const passwordSchema = z.string().min(1, 'Enter your password.').max(MAX_PASSWORD_LENGTH)

export const identifierSchema = z.string().trim().min(1, 'Enter your username or e-mail.').max(254)

export const roleSchema = z.enum(['user', 'helpdesk', 'admin'])

/** A code as typed or pasted: the engine normalises it (spaces, hyphens, case). */
export const codeSchema = z.string().trim().min(1, 'Enter the code.').max(64)
