/**
 * The one IPC contract. Every channel names its input schema (validated in the main process) and
 * its output type; main, preload, renderer and tests all derive from this object, so a channel
 * cannot exist in one place and be missing in another.
 */
import { directorySourceSchema, type ConnectionTest, type DirectorySource, type SyncStatus } from './directory-source'
import { z } from 'zod'
import type { Channel } from './channels'
import type { Result } from './errors'
import {
  codeSchema,
  displayNameSchema,
  emailSchema,
  identifierSchema,
  newPasswordSchema,
  passwordSchema,
  phoneSchema,
  roleSchema,
  usernameSchema
} from './validation'
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser'
import type {
  AppStatus,
  EnrolStep,
  PolicyView,
  SecondFactorResult,
  SecurityKeyView,
  SessionInfo,
  SessionView,
  StaffMember,
  TwoFactorStatus
} from './dto'
import type {
  AuditPage,
  AuditVerification,
  JobNotice,
  JobView,
  PolicyPreview,
  RequestPage,
  TokenView,
  UserDetail,
  UserPage
} from './admin-dto'
import { BULK_ACTIONS, IDENTITY_CHECKS, USER_SOURCES, USER_STATUSES } from './admin-dto'
import { METHODS, policySchema } from './policy'
import { LOCALES, PSEUDO_LOCALE } from './i18n/locales'
import { joinOrganisationSchema } from './seat'

/** Carries an output type at compile time only. */
function out<T>(): T {
  return undefined as T
}

const none = z.object({}).strict()
const userId = z.object({ userId: z.number().int().positive() }).strict()
const methodSchema = z.enum(METHODS)
const identityCheckSchema = z.enum(IDENTITY_CHECKS)
/** A registration token, or the whole tessera://enroll?token=... link pasted. */
const tokenSchema = z
  .string()
  .trim()
  .min(1, 'Paste the registration code.')
  .max(512)
  .transform((s) => /[?&]token=([^&\s]+)/.exec(s)?.[1] ?? s)
const noteSchema = z.string().trim().max(1000)
const serialSchema = z.string().trim().min(1, 'Enter the serial number printed on the token.').max(64)
const reasonSchema = z.string().trim().min(1, 'Give a reason.').max(1000)

export const userStatusFilter = z.enum(['all', ...USER_STATUSES])
export const userSourceFilter = z.enum(['all', ...USER_SOURCES])
export const userSortSchema = z.enum(['displayName', 'username', 'email', 'role', 'status', 'lastLogin'])

const jobId = z.object({ jobId: z.string().uuid() }).strict()
const directorySourceInput = z.object({ source: directorySourceSchema, password: z.string().min(1).max(1024).optional() }).strict()
/** What the browser's WebAuthn call returned (its JSON form); @simplewebauthn/server checks every part. */
const webauthnResponse = z
  .object({ id: z.string().max(1024), rawId: z.string().max(1024), type: z.literal('public-key'), response: z.record(z.string(), z.unknown()) })
  .passthrough()
  .refine((r) => JSON.stringify(r).length < 64_000, 'The security key response is too large.')
const keyNameSchema = z.string().trim().min(1, 'Give the key a name, like "blue YubiKey".').max(64)
const appNameSchema = z.string().trim().min(1, 'Give the app a name, like "work phone".').max(40)
const methodId = z.number().int().positive()

export const contract = {
  // ---- Start and login
  'app:status': { input: none, output: out<AppStatus>() },
  'setup:create-admin': {
    input: z.object({ username: usernameSchema, email: emailSchema, displayName: displayNameSchema, password: newPasswordSchema }).strict(),
    output: out<AppStatus>()
  },
  /**
   * A first-run machine becomes a seat of an organisation on a shared PostgreSQL database (as
   * `tessera seat join`): checked against that database first, then written; the engine moves there.
   */
  'setup:join-organisation': { input: joinOrganisationSchema, output: out<{ address: string; fingerprint: string }>() },
  'auth:login': {
    input: z.object({ identifier: identifierSchema, password: passwordSchema }).strict(),
    output: out<AppStatus>()
  },
  'auth:logout': { input: none, output: out<null>() },
  'auth:send-email-code': { input: none, output: out<{ maskedEmail: string; expiresAt: number }>() },
  'auth:verify': {
    input: z.object({ method: z.enum(['totp', 'email', 'token', 'recovery', 'access-code']), code: codeSchema }).strict(),
    output: out<{ status: AppStatus; result: SecondFactorResult }>()
  },
  'auth:key-options': { input: none, output: out<PublicKeyCredentialRequestOptionsJSON>() },
  'auth:verify-key': { input: z.object({ response: webauthnResponse }).strict(), output: out<{ status: AppStatus; result: SecondFactorResult }>() },
  'auth:staff': { input: none, output: out<StaffMember[]>() },
  'auth:lost-device': {
    input: z
      .object({ recipients: z.union([z.literal('all'), z.array(z.number().int().positive()).max(100)]), message: noteSchema.default('') })
      .strict(),
    output: out<{ requestId: number }>()
  },
  /**
   * How people whose passwords the organisation's directory checks change or recover them (the
   * administrator's text and address; both may be empty), or null when Tessera checks every password.
   */
  'auth:password-help': { input: none, output: out<{ text: string; url: string } | null>() },
  'auth:forgot-password': { input: z.object({ identifier: identifierSchema }).strict(), output: out<{ via: 'email' | 'helpdesk' }>() },
  'auth:reset-password': {
    input: z.object({ identifier: identifierSchema, code: codeSchema, password: newPasswordSchema }).strict(),
    output: out<null>()
  },
  /** After a temporary password: the user's own, before anything else. */
  'auth:set-password': { input: z.object({ password: newPasswordSchema }).strict(), output: out<AppStatus>() },
  'enrol:check-link': { input: z.object({ token: tokenSchema }).strict(), output: out<{ displayName: string; hasPassword: boolean }>() },
  'enrol:redeem-link': { input: z.object({ token: tokenSchema, password: passwordSchema }).strict(), output: out<AppStatus>() },

  // ---- Setting up a second factor
  /** `name`: an authenticator app's, needed when the person holds one already. */
  'enrol:start': { input: z.object({ method: methodSchema, name: appNameSchema.optional() }).strict(), output: out<EnrolStep>() },
  'enrol:verify-email': { input: z.object({ code: codeSchema }).strict(), output: out<EnrolStep>() },
  'enrol:resend-email': { input: none, output: out<{ maskedEmail: string; expiresAt: number }>() },
  'enrol:confirm': { input: z.object({ code: codeSchema }).strict(), output: out<EnrolStep>() },
  'enrol:register-key': {
    input: z.object({ response: webauthnResponse, name: keyNameSchema }).strict(),
    output: out<EnrolStep>()
  },
  'enrol:complete': { input: none, output: out<AppStatus>() },
  'enrol:cancel': { input: none, output: out<null>() },
  'enrol:postpone': { input: none, output: out<AppStatus>() },

  // ---- My account
  'account:two-factor': { input: none, output: out<TwoFactorStatus>() },
  'account:security-keys': { input: none, output: out<SecurityKeyView[]>() },
  'account:key-options': { input: none, output: out<PublicKeyCredentialCreationOptionsJSON>() },
  'account:add-key': { input: z.object({ response: webauthnResponse, name: keyNameSchema }).strict(), output: out<SecurityKeyView>() },
  /** A key touch to confirm a change (removing a key): the options for navigator.credentials.get. */
  'account:confirm-key-options': { input: none, output: out<PublicKeyCredentialRequestOptionsJSON>() },
  'account:remove-key': {
    input: z.object({ keyId: z.string().min(1).max(1024), password: passwordSchema, response: webauthnResponse }).strict(),
    output: out<null>()
  },
  'account:reissue-codes': { input: z.object({ password: passwordSchema }).strict(), output: out<EnrolStep>() },
  'account:disable-2fa': {
    input: z.object({ password: passwordSchema, method: z.enum(['totp', 'email', 'token', 'recovery']), code: codeSchema }).strict(),
    output: out<TwoFactorStatus>()
  },
  'account:send-email-code': { input: none, output: out<{ maskedEmail: string; expiresAt: number }>() },
  'account:change-password': {
    input: z.object({ current: passwordSchema, next: newPasswordSchema }).strict(),
    output: out<null>()
  },
  /** Moving the authenticator app to a new phone: a code from the old one, then (scan) one from the new. */
  'account:replace-device-start': { input: z.object({ code: codeSchema }).strict(), output: out<EnrolStep>() },
  'account:replace-device-confirm': { input: z.object({ code: codeSchema }).strict(), output: out<null>() },
  'account:sessions': { input: none, output: out<SessionView[]>() },
  /** Ends the caller's other sessions (this one stays). */
  'account:sign-out-everywhere': { input: none, output: out<{ ended: number }>() },
  /** Proving it is them (a code, or a key: options from account:confirm-key-options) before adding or removing methods. */
  'account:confirm-identity': {
    input: z.object({ method: z.enum(['totp', 'email', 'token', 'recovery']), code: codeSchema }).strict(),
    output: out<TwoFactorStatus>()
  },
  'account:confirm-identity-key': { input: z.object({ response: webauthnResponse }).strict(), output: out<TwoFactorStatus>() },
  'account:remove-method': { input: z.object({ id: methodId }).strict(), output: out<TwoFactorStatus>() },
  'account:rename-method': { input: z.object({ id: methodId, name: appNameSchema }).strict(), output: out<TwoFactorStatus>() },
  'account:default-method': { input: z.object({ id: methodId }).strict(), output: out<TwoFactorStatus>() },
  /** The language one reads Tessera in (null: the organisation's default); answers the session as it is now. */
  'account:set-language': { input: z.object({ language: z.enum(LOCALES).nullable() }).strict(), output: out<SessionInfo | null>() },

  // ---- Directory (help desk and administrators)
  'users:list': {
    input: z
      .object({
        search: z.string().trim().max(254).default(''),
        status: userStatusFilter.default('all'),
        role: z.enum(['all', 'user', 'helpdesk', 'admin']).default('all'),
        source: userSourceFilter.default('all'),
        sort: userSortSchema.default('displayName'),
        descending: z.boolean().default(false),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100)
      })
      .strict(),
    output: out<UserPage>()
  },
  'users:get': { input: userId, output: out<UserDetail>() },
  // A new account gets a temporary password, shown once: it works for a day and is replaced at the first login.
  'users:create': {
    input: z.object({ username: usernameSchema, email: emailSchema, displayName: displayNameSchema, role: roleSchema, phone: phoneSchema.optional() }).strict(),
    output: out<{ userId: number; temporaryPassword: { password: string; expiresAt: number } }>()
  },
  'users:update': {
    input: userId.extend({ username: usernameSchema, email: emailSchema, displayName: displayNameSchema, phone: phoneSchema }).strict(),
    output: out<{ changed: string[] }>()
  },
  'users:delete': { input: userId.extend({ confirm: z.string().max(64) }).strict(), output: out<null>() },
  'users:sign-out-everywhere': { input: userId, output: out<{ ended: number }>() },
  /** A job whose result is a BulkReport. */
  'users:bulk': {
    input: z
      .object({
        target: z.union([
          z.object({ ids: z.array(z.number().int().positive()).min(1, 'Select at least one user.').max(500) }).strict(),
          z
            .object({
              filter: z
                .object({ search: z.string().trim().max(254), status: userStatusFilter, role: z.enum(['all', 'user', 'helpdesk', 'admin']), source: userSourceFilter.default('all') })
                .strict()
            })
            .strict()
        ]),
        action: z.enum(BULK_ACTIONS),
        reason: z.string().trim().max(500).default('')
      })
      .strict()
      .refine((v) => v.action !== 'reset-2fa' || v.reason !== '', { message: 'Give the reason for the reset: it goes in the audit log.', path: ['reason'] }),
    output: out<JobView>()
  },
  // Long work starts a job (see jobs:get); its result is an ImportReport or an ExportResult.
  'users:import': { input: z.object({ csv: z.string().max(50_000_000), dryRun: z.boolean().default(false), fileName: z.string().max(255).optional() }).strict(), output: out<JobView>() },
  /** Imports the file the caller checked last (a dry run without refusals), without sending it again. */
  'users:import-confirm': { input: none, output: out<JobView>() },
  'users:export': { input: none, output: out<JobView>() },
  'users:unlock': { input: userId, output: out<null>() },
  'users:reset-2fa': {
    input: userId.extend({ reason: reasonSchema }).strict(),
    output: out<{ status: 'reset' | 'awaiting-approval' }>()
  },
  'users:issue-access-code': { input: userId, output: out<{ code: string; expiresAt: number }>() },
  'users:set-disabled': { input: userId.extend({ disabled: z.boolean() }).strict(), output: out<null>() },
  'users:set-role': { input: userId.extend({ role: roleSchema }).strict(), output: out<null>() },
  'users:send-enrolment-link': { input: userId, output: out<{ via: 'smtp' | 'pickup'; expiresAt: number }>() },
  'users:set-temporary-password': { input: userId, output: out<{ password: string; expiresAt: number }>() },
  'users:remove-key': { input: userId.extend({ keyId: z.string().min(1).max(1024) }).strict(), output: out<null>() },
  /** One of a user's methods (never their only one: that is a reset). */
  'users:remove-method': { input: userId.extend({ methodId }).strict(), output: out<null>() },
  'users:assign-token': { input: userId.extend({ serial: serialSchema }).strict(), output: out<TokenView>() },

  // ---- Hardware tokens
  'tokens:list': {
    input: z.object({ search: z.string().trim().max(64).default(''), state: z.enum(['all', 'available', 'assigned', 'lost']).default('all') }).strict(),
    output: out<TokenView[]>()
  },
  'tokens:import': {
    input: z
      .object({
        file: z.string().min(1, 'Choose the seed file from the vendor.').max(20_000_000),
        /** The pre-shared key of an encrypted PSKC file, in hexadecimal. */
        psk: z.string().trim().max(128).regex(/^[0-9a-fA-F\s]*$/, 'Enter the key in hexadecimal (0-9, a-f).').default('')
      })
      .strict(),
    output: out<{ imported: number }>()
  },
  'tokens:release': { input: z.object({ serial: serialSchema, lost: z.boolean() }).strict(), output: out<null>() },

  // ---- Lost-device queue
  /** The open requests' count for the navigation's badge, asked every few seconds (passive: not activity). */
  'requests:badge': { input: none, output: out<{ open: number }>() },
  'requests:list': {
    input: z
      .object({
        open: z.boolean().default(true),
        after: z.object({ createdAt: z.number().int(), id: z.number().int().positive() }).strict().nullable().default(null),
        limit: z.number().int().min(1).max(200).default(50)
      })
      .strict(),
    output: out<RequestPage>()
  },
  'requests:decide': {
    input: z
      .object({
        requestId: z.number().int().positive(),
        decision: z.discriminatedUnion('action', [
          z.object({ action: z.literal('reset'), identityCheck: identityCheckSchema, note: noteSchema }).strict(),
          z.object({ action: z.literal('access-code'), identityCheck: identityCheckSchema, note: noteSchema }).strict(),
          z.object({ action: z.literal('temporary-password'), identityCheck: identityCheckSchema, note: noteSchema }).strict(),
          z.object({ action: z.literal('token'), identityCheck: identityCheckSchema, note: noteSchema, serial: serialSchema }).strict(),
          /** Only the method they lost goes ("I lost my phone": the app; their key stays). */
          z.object({ action: z.literal('remove-method'), identityCheck: identityCheckSchema, note: noteSchema, methodId }).strict(),
          z.object({ action: z.literal('reject'), reason: reasonSchema }).strict()
        ])
      })
      .strict(),
    output: out<{ status: string; accessCode?: { code: string; expiresAt: number }; temporaryPassword?: { password: string; expiresAt: number }; token?: string; removedMethod?: true }>()
  },

  // ---- Policy (administrators)
  'policy:get': { input: none, output: out<PolicyView>() },
  'policy:preview': { input: z.object({ policy: policySchema }).strict(), output: out<PolicyPreview>() },
  'policy:save': {
    input: z.object({ policy: policySchema, smtpPassword: z.string().max(512).nullable().optional() }).strict(),
    output: out<PolicyView>()
  },
  'policy:test-smtp': {
    input: z.object({ policy: policySchema, smtpPassword: z.string().max(512).nullable().optional(), to: emailSchema }).strict(),
    output: out<{ messageId: string }>()
  },

  // ---- Audit log (administrators)
  'audit:list': {
    input: z
      .object({
        event: z.string().max(64).default(''),
        actor: z.string().max(64).default(''),
        subject: z.string().max(64).default(''),
        from: z.number().int().nullable().default(null),
        to: z.number().int().nullable().default(null),
        beforeId: z.number().int().positive().nullable().default(null),
        limit: z.number().int().min(1).max(500).default(100)
      })
      .strict(),
    output: out<AuditPage>()
  },
  'audit:verify': { input: none, output: out<AuditVerification>() },
  'audit:verify-full': { input: none, output: out<JobView>() },
  /** `language`: the exporter's, for the sentence column (the screen's; English if not given). */
  'audit:export': { input: z.object({ language: z.enum([...LOCALES, PSEUDO_LOCALE]).optional() }).strict(), output: out<JobView>() },
  'jobs:get': { input: jobId, output: out<JobView>() },
  'jobs:cancel': { input: jobId, output: out<JobView>() },
  /** Jobs a crash interrupted, as the next start settled them: the caller's own (an administrator: all), until dismissed. */
  'jobs:interrupted': { input: none, output: out<JobNotice[]>() },
  'jobs:dismiss': { input: jobId, output: out<null>() },
  /** The directory source (Active Directory or LDAP): its settings, never the service account's password. */
  'directory:get': { input: none, output: out<{ source: DirectorySource | null; passwordSet: boolean }>() },
  'directory:save': { input: directorySourceInput, output: out<null>() },
  /** Connects with these settings (the stored password when none is given) and says who the filter finds; writes nothing. */
  'directory:test': { input: directorySourceInput, output: out<ConnectionTest>() },
  'directory:sync': { input: z.object({ full: z.boolean().default(false), dryRun: z.boolean().default(false), confirm: z.boolean().default(false) }).strict(), output: out<JobView>() },
  'directory:status': { input: none, output: out<SyncStatus>() }
} as const satisfies Record<Channel, { input: z.ZodType; output: unknown }>

export type Contract = typeof contract
/** What a caller passes (before defaults and trimming). */
export type Input<C extends Channel> = z.input<Contract[C]['input']>
/** What a handler receives (after validation). */
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>
export type Output<C extends Channel> = Contract[C]['output']


export { CHANNELS, isChannel, type Channel } from './channels'

/** The shape of `window.api`, in Electron (preload) and in the browser harness alike. */
export type TesseraApi = { [C in Channel]: (input: Input<C>) => Promise<Result<Output<C>>> }
