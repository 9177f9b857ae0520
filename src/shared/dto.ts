/** Data shapes that cross the IPC boundary. Never a hash, a secret or a recovery code at rest. */
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser'
import type { Locale } from './i18n/locales'
import { inEnglish, ROLE_WORDS } from './i18n/labels'
import type { Method, Policy } from './policy'

export type Role = 'user' | 'helpdesk' | 'admin'
/** In English (the CLI, tests); a screen words ROLE_WORDS in its language. */
export const ROLE_LABELS: Record<Role, string> = inEnglish(ROLE_WORDS)

export type UserSummary = {
  id: number
  username: string
  email: string
  displayName: string
  role: Role
  /** The language they chose to read Tessera in (null: none chosen). */
  language: Locale | null
}

export type SessionInfo = {
  user: UserSummary
  /** Milliseconds since the epoch. */
  startedAt: number
}

/**
 * Where a signed-in person stands in the login: password passed, then the second factor, setup
 * (when required) and a new password (after a temporary one) pending, or in.
 */
export type Stage = 'second-factor' | 'enrol' | 'change-password' | 'full'

/** One method a person holds, as they and the help desk see it (no secrets). */
export type HeldMethod = {
  id: number
  method: Method
  /** An authenticator app's name ("work phone"); null for other methods and an unnamed app. */
  name: string | null
  activatedAt: number
  lastUsedAt: number | null
  /** Asked first at login: the one chosen, else the one used last. */
  isDefault: boolean
  /** The person chose it as their default (rather than it being the one used last). */
  chosen: boolean
}

export type SecondFactorStep = {
  /** The user's default method, asked first, or null when they have none (a one-time access code can still be used). */
  method: Method | null
  /** Every kind of method they hold, the default first: "Use another method" offers the others. */
  methods: Method[]
  /** Whether "Send a code by e-mail" may be offered. */
  emailAllowed: boolean
  maskedEmail: string
  /** The account is locked until then; null = not locked. */
  lockedUntil: number | null
  /** The pending login ends then; log in again after it. */
  expiresAt: number
}

export type EnrolRequirement = {
  /** False when the user chose to set up 2FA (optional policy). */
  required: boolean
  /**
   * 'staff': help desk and administrators always need a second factor; 'token': one was handed out;
   * 'method-required': the policy requires another method of their role than the one they use.
   */
  reason: 'policy' | 'reset' | 'staff' | 'chosen' | 'token' | 'method-required'
  /** The hardware token the help desk assigned, waiting for its first code. */
  tokenSerial: string | null
  postponementsLeft: number
  allowedMethods: Method[]
  emailVerification: boolean
}

export type AppStatus = {
  /** False until the first administrator exists. */
  initialized: boolean
  /** A first run that may join an existing organisation instead (its own database, no seat settings, nothing recorded). */
  canJoin: boolean
  stage: Stage | null
  session: SessionInfo | null
  secondFactor: SecondFactorStep | null
  enrol: EnrolRequirement | null
  /** The idle timeout in force for this session. */
  idleTimeoutMs: number
  /** A registration link the app was opened with (tessera://enroll?token=...), offered once. */
  pendingLink: string | null
  /** For administrators signed in: what this seat's operator should know (e.g. its data folder readable by others). */
  warnings: string[]
  language: LanguageStatus
}

/** What the screens choose their language from, besides the person's own (UserSummary.language). */
export type LanguageStatus = {
  /** The organisation's default (the policy), null: the system's. */
  organisation: Locale | null
  /** The operating system's preferred languages, in order (Electron's app.getPreferredSystemLanguages(); empty in a browser, which has its own). */
  system: string[]
  /** The seat was started with TESSERA_PSEUDO_LOCALE=1: every screen in the tests' pseudo-locale. */
  pseudo: boolean
}

/** A registered security key, as its owner and the help desk see it (no secrets). */
export type SecurityKeyView = { id: string; name: string; createdAt: number; lastUsedAt: number | null }

export type EnrolStep =
  | { step: 'verify-email'; maskedEmail: string }
  | { step: 'scan'; issuer: string; account: string; uri: string; qrDataUrl: string; key: string }
  | { step: 'email-code'; maskedEmail: string }
  /** A security key to register: the options for the browser's navigator.credentials.create. */
  | { step: 'register-key'; options: PublicKeyCredentialCreationOptionsJSON }
  /** A hardware token the help desk assigned: its first code confirms it. */
  | { step: 'token-code'; serial: string; digits: number }
  | { step: 'recovery-codes'; codes: string[]; issuer: string; account: string; issuedAt: number }
  /** A method added beside the ones the person holds: their recovery codes stay as they were. */
  | { step: 'added'; method: Method; name: string | null }

/** A signed-in session as staff and its owner see it: where, since when, last activity. */
export type SessionView = { workstation: string; loggedInAt: number; lastSeenAt: number; stage: Stage; current: boolean }

export type TwoFactorStatus = {
  active: boolean
  /** The default method. */
  method: Method | null
  /** Every method held, the default first. */
  methods: HeldMethod[]
  /** Until then this session may add or remove methods without proving it is them again; null = it must prove it first. */
  confirmedUntil: number | null
  /** The serial of a token the help desk gave, waiting for its first code (confirmed from My account). */
  pendingToken: string | null
  activatedAt: number | null
  recoveryCodesLeft: number
  lowOnRecoveryCodes: boolean
  mandatory: boolean
  /** Disabling is refused while the policy makes 2FA mandatory. */
  canDisable: boolean
  allowedMethods: Method[]
}

export type SecondFactorResult = {
  /** Set after a recovery code: how many remain, and whether that is few. */
  recoveryCodesLeft: number | null
  lowOnRecoveryCodes: boolean
}

export type StaffMember = { id: number; displayName: string; role: Role }

export type PolicyView = Policy & { smtpPasswordSet: boolean }
