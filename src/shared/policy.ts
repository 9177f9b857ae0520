/**
 * The organisation's 2FA policy: its schema (validated in the main process and by the CLI), its
 * defaults, and the lockout arithmetic the policy screen and the README quote.
 */
import { z } from 'zod'
import { LOCALES } from './i18n/locales'
import { heldMethodWords, inEnglish, METHOD_WORDS } from './i18n/labels'
import { translator } from './i18n/translate'
import { englishProblem, problem } from './validation' // and plain-words messages for whatever a schema here does not word itself

export const METHODS = ['totp', 'email', 'token', 'webauthn'] as const
export type Method = (typeof METHODS)[number]
/** In English (the CLI, tests); a screen words METHOD_WORDS in its language. */
export const METHOD_LABELS: Record<Method, string> = inEnglish(METHOD_WORDS)
/** A method a person holds, in words: `Authenticator app “tablet”`. */
export const heldMethodLabel = (m: { method: Method; name: string | null }) => heldMethodWords(translator('en'), m)
/** Methods a user sets up themselves; a hardware token is handed out (assigned) by the help desk. */
export const SELF_SERVICE_METHODS: readonly Method[] = ['totp', 'email', 'webauthn']

/** The message of each number setting's problem, naming the setting as the policy screen does. */
type SettingProblem =
  | 'console.problem.postponements'
  | 'console.problem.recoveryCodeCount'
  | 'console.problem.idleTimeoutMinutes'
  | 'console.problem.accessCodeLifetimeMinutes'
  | 'console.problem.secondFactorThreshold'
  | 'console.problem.passwordThreshold'
  | 'console.problem.workstationThreshold'
  | 'console.problem.baseMinutes'
  | 'console.problem.growthFactor'
  | 'console.problem.smtpPort'

/**
 * A number setting with its bounds, refused in the words the policy screen uses beside the field:
 * "Postponements allowed: enter a whole number from 0 to 10." (never zod's "Too small: expected
 * number to be >=0", nor "expected number, received null" for an emptied field). `id`'s message
 * says whether a whole number is asked for.
 */
function setting(id: SettingProblem, min: number, max: number, whole = true) {
  const error = problem(id, { min, max })
  const n = z.number({ error }).min(min, { error }).max(max, { error })
  return whole ? n.int({ error }) : n
}

export const smtpSchema = z
  .object({
    host: z.string().trim().min(1, problem('console.problem.smtpHost')).max(253, problem('console.problem.smtpHostLength', { max: 253 })),
    port: setting('console.problem.smtpPort', 1, 65535),
    /** 'tls': TLS from the start (465); 'starttls': upgrade required (587); 'none': loopback relays only. */
    security: z.enum(['tls', 'starttls', 'none']),
    username: z.string().max(254),
    from: z.string().trim().max(254, problem('console.problem.smtpFromLength', { max: 254 })).pipe(z.email(problem('console.problem.smtpFrom')))
  })
  .strict()

export const lockoutSchema = z
  .object({
    /** Wrong second-factor codes in a row that lock the account. */
    secondFactorThreshold: setting('console.problem.secondFactorThreshold', 3, 20),
    /** Wrong passwords in a row that block password attempts for the account. */
    passwordThreshold: setting('console.problem.passwordThreshold', 3, 50),
    /** Failures of any kind from one workstation that block it. */
    workstationThreshold: setting('console.problem.workstationThreshold', 5, 200),
    /** Length of the first lock. */
    baseMinutes: setting('console.problem.baseMinutes', 1, 24 * 60),
    /** Each further lock lasts this many times longer than the one before. */
    growthFactor: setting('console.problem.growthFactor', 1, 10, false)
  })
  .strict()

export const policySchema = z
  .object({
    mandatory: z.boolean(),
    allowedMethods: z.array(z.enum(METHODS)).min(1, problem('console.problem.allowedMethods')),
    emailVerificationBeforeSetup: z.boolean(),
    /** Users of another method may ask for an e-mail code at login instead (off: each uses what they set up). */
    emailFallback: z.boolean(),
    /** Security keys must verify the user (PIN or fingerprint), not only their presence (touch). */
    requireUserVerification: z.boolean().default(false),
    /** The method each role must use (null: any allowed method); others are sent to set it up. */
    requiredMethod: z
      .object({ user: z.enum(METHODS).nullable(), helpdesk: z.enum(METHODS).nullable(), admin: z.enum(METHODS).nullable() })
      .strict()
      .default({ user: null, helpdesk: null, admin: null }),
    postponements: setting('console.problem.postponements', 0, 10),
    lockout: lockoutSchema,
    recoveryCodeCount: setting('console.problem.recoveryCodeCount', 5, 20),
    issuer: z
      .string()
      .trim()
      .min(1, problem('console.problem.issuer'))
      .max(64, problem('console.problem.issuerLength', { max: 64 }))
      .regex(/^[^:]+$/, problem('console.problem.issuerColon')),
    idleTimeoutMinutes: setting('console.problem.idleTimeoutMinutes', 1, 240),
    accessCodeLifetimeMinutes: setting('console.problem.accessCodeLifetimeMinutes', 5, 24 * 60),
    smtp: smtpSchema.nullable(),
    /** The language of the login screen, and of anyone who chose none (null: the operating system's). */
    defaultLanguage: z.enum(LOCALES).nullable().default(null)
  })
  .strict()
  .refine((p) => Object.values(p.requiredMethod).every((m) => m === null || p.allowedMethods.includes(m)), {
    message: problem('console.problem.requiredMethod'),
    path: ['requiredMethod']
  })

export type Policy = z.infer<typeof policySchema>

/** Whether `method` satisfies the policy for `role` (any method does when none is required). */
/** Whether the methods a person holds meet their role's requirement: at least one of the required kind (none held: setup decides). */
export function methodComplies(p: Policy, role: 'user' | 'helpdesk' | 'admin', held: readonly Method[]): boolean {
  const required = p.requiredMethod[role]
  return held.length === 0 || required === null || held.includes(required)
}
export type SmtpSettings = z.infer<typeof smtpSchema>
export type LockoutPolicy = z.infer<typeof lockoutSchema>

export const DEFAULT_POLICY: Policy = {
  mandatory: false,
  allowedMethods: ['totp', 'email'],
  emailVerificationBeforeSetup: false,
  emailFallback: false,
  requireUserVerification: false,
  requiredMethod: { user: null, helpdesk: null, admin: null },
  postponements: 2,
  lockout: {
    secondFactorThreshold: 5,
    passwordThreshold: 10,
    workstationThreshold: 30,
    // NIST SP 800-63B 5.2.2: rate limiting must keep consecutive failures far below 100.
    baseMinutes: 15,
    growthFactor: 2
  },
  recoveryCodeCount: 10,
  issuer: 'Tessera',
  idleTimeoutMinutes: 10,
  accessCodeLifetimeMinutes: 60,
  smtp: null,
  defaultLanguage: null
}

/** A 6-digit code checked with +-1 time step matches one of 3 codes out of 10^6. */
export const CODES_MATCHED_PER_GUESS = 3
const MINUTES_PER_YEAR = 365 * 24 * 60

/**
 * How many guesses one counter allows in a year when nobody unlocks it and no right answer resets
 * it: `threshold` guesses, then a lock of base * growth^(n-1) minutes, again and again. (The guess
 * that reaches the threshold is still checked, then locks.)
 */
export function guessesPerYear(threshold: number, l: LockoutPolicy): { guesses: number; locks: number } {
  let minutes = 0
  let locks = 0
  let guesses = 0
  while (minutes < MINUTES_PER_YEAR) {
    guesses += threshold
    minutes += l.baseMinutes * l.growthFactor ** locks
    locks += 1
    if (locks > 1_000_000) break
  }
  return { guesses, locks }
}

/**
 * The yearly guess budget of every path that checks a secret, per account. The second-factor
 * counter is shared by TOTP, e-mail, recovery and access codes and by the setup codes; password-
 * reset codes have their own; registration tokens name no account and are counted per workstation.
 */
export function guessBudgets(l: LockoutPolicy): { password: number; secondFactor: number; resetCode: number; tokenPerWorkstation: number } {
  return {
    password: guessesPerYear(l.passwordThreshold, l).guesses,
    secondFactor: guessesPerYear(l.secondFactorThreshold, l).guesses,
    resetCode: guessesPerYear(l.secondFactorThreshold, l).guesses,
    tokenPerWorkstation: guessesPerYear(l.workstationThreshold, l).guesses
  }
}

/**
 * How many second-factor guesses an attacker who knows the password gets in a year against one
 * account, and the chance that one of them is right (a TOTP guess is the likeliest to be).
 */
export function lockoutArithmetic(l: LockoutPolicy): { guessesPerYear: number; locksPerYear: number; successChance: number } {
  const { guesses, locks } = guessesPerYear(l.secondFactorThreshold, l)
  const perGuess = CODES_MATCHED_PER_GUESS / 1_000_000
  return { guessesPerYear: guesses, locksPerYear: locks, successChance: 1 - (1 - perGuess) ** guesses }
}

/** One policy problem as a line: the setting's key, then what to enter. */
export const policyIssueText = (issue: { path: PropertyKey[]; message: string }) => `${issue.path.map(String).join('.')}: ${englishProblem(issue.message)}`
