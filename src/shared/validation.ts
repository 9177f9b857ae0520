import { z } from 'zod'
import { encodeWords, message, translator, type MessageArgs, type MessageId } from './i18n/translate'

/** A schema's problem as a message, encoded (a schema's message is a string): worded where it is shown. */
export const problem = <K extends MessageId>(id: K, ...args: MessageArgs<K>) => encodeWords(message(id, ...args))

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
        return empty ? problem('validation.enterValue') : problem(issue.expected === 'number' || issue.expected === 'int' ? 'validation.enterNumber' : 'validation.rightKind')
      case 'too_small':
        return issue.origin === 'string' ? (Number(issue.minimum) <= 1 ? problem('validation.enterValue') : problem('validation.atLeastCharacters', { n: Number(issue.minimum) })) : problem('validation.atLeast', { n: Number(issue.minimum) })
      case 'too_big':
        return issue.origin === 'string' ? problem('validation.atMostCharacters', { n: Number(issue.maximum) }) : problem('validation.atMost', { n: Number(issue.maximum) })
      case 'invalid_value':
        return problem('validation.chooseOption')
      case 'invalid_format':
        return issue.format === 'email' ? problem('validation.email') : problem('validation.format')
      case 'unrecognized_keys':
        return problem('validation.unknownKeys', { keys: issue.keys.join(', ') })
      default:
        return undefined
    }
  }
})

/** A schema's problem in English (the CLI, logs, and the engine's own messages until they are worded). */
export const englishProblem = (text: string) => translator('en').sayText(text)

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
  .min(3, problem('validation.atLeastCharacters', { n: 3 }))
  .max(64, problem('validation.atMostCharacters', { n: 64 }))
  .regex(/^[a-zA-Z0-9._-]+$/, problem('validation.usernameCharacters'))

export const emailSchema = z.string().trim().max(254, problem('validation.atMostCharacters', { n: 254 })).pipe(z.email(problem('validation.emailExample')))

export const displayNameSchema = z.string().trim().min(1, problem('validation.enterName')).max(128, problem('validation.atMostCharacters', { n: 128 }))

export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, problem('validation.atLeastCharacters', { n: MIN_PASSWORD_LENGTH }))
  .max(MAX_PASSWORD_LENGTH, problem('validation.atMostCharacters', { n: MAX_PASSWORD_LENGTH }))

/** A password being checked: any length up to the bound (an old short password must still log in). */
export const passwordSchema = z.string().min(1, problem('validation.enterPassword')).max(MAX_PASSWORD_LENGTH)

export const identifierSchema = z.string().trim().min(1, problem('validation.enterIdentifier')).max(254)

export const roleSchema = z.enum(['user', 'helpdesk', 'admin'])

/** Optional: empty means none on file. Digits with the usual separators, as people write them. */
export const phoneSchema = z
  .string()
  .trim()
  .max(32, problem('validation.atMostCharacters', { n: 32 }))
  .regex(/^$|^\+?[0-9][0-9 ().-]{4,}[0-9]$/, problem('validation.phone'))
  .transform((v) => (v === '' ? null : v))

/** A code as typed or pasted: the engine normalises it (spaces, hyphens, case). */
export const codeSchema = z.string().trim().min(1, problem('validation.enterCode')).max(64)
