/**
 * The handler table: one entry per contract channel (a missing one is a compile error), each with
 * the access it requires. Handlers call the engine; they never see the transport.
 */
import { who } from '../core/audit'
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server'
import type { Channel, Output, ParsedInput } from '../../shared/contract'
import type { AppStatus, Role, SessionInfo, Stage } from '../../shared/dto'
import { DomainError } from '../core/domain-error'
import { message, translator } from '../../shared/i18n/translate'
import { firstRunRefusal, joinOrganisation } from '../core/join-organisation'
import type { Engine } from '../core/engine'
import { PENDING_SECOND_FACTOR_MS, type Session } from '../core/sessions'
import { maskEmail } from '../core/two-factor'
import { findUserById, type UserRow } from '../db/queries/users'

/** One per window (Electron) or per browser context (harness): where the session id lives. */
export type Connection = { sessionId: string | null; pendingLink?: string | null }

/** Where an export is written: a file the user chose (Electron's save dialog) or, in the harness, a temporary one with its download address. */
export type SaveTarget = { file: string; download: string | null }

export type CallContext = {
  conn: Connection
  workstationId: string
  /** Given by the transport for the export channels; null when the user cancelled the save dialog. */
  saveTo?: (kind: 'users' | 'audit') => Promise<SaveTarget | null>
}

export type Caller = { session: Session | null; user: UserRow | null }

export type Call = CallContext & Caller
/** A call whose access rule guarantees a session and a user. */
export type SignedCall = CallContext & { session: Session; user: UserRow }

/**
 * 'public': anyone. A stage list: a session in one of those stages. A role list: a full session
 * with one of those roles. 'signed-in': a full session, any role.
 */
export type Access = 'public' | 'signed-in' | { stages: readonly Stage[] } | { roles: readonly Role[] }

type Handler<C extends Channel> =
  | { access: 'public'; handle(input: ParsedInput<C>, call: Call): Promise<Output<C>> | Output<C> }
  | { access: Exclude<Access, 'public'>; handle(input: ParsedInput<C>, call: SignedCall): Promise<Output<C>> | Output<C> }

export type HandlerTable = { [C in Channel]: Handler<C> }

const STAFF = { roles: ['helpdesk', 'admin'] } as const
const ADMIN = { roles: ['admin'] } as const
const PASSWORD_PASSED = { stages: ['second-factor', 'enrol'] } as const
const ENROLLING = { stages: ['enrol', 'full'] } as const
const SECOND_STEP = { stages: ['second-factor'] } as const
const SETUP_STEP = { stages: ['enrol'] } as const
const NEW_PASSWORD_STEP = { stages: ['change-password'] } as const
const ANY_STAGE = { stages: ['second-factor', 'enrol', 'change-password', 'full'] } as const

export function sessionInfo(session: Session, user: UserRow): SessionInfo {
  return {
    user: { id: user.id, username: user.username, email: user.email, displayName: user.display_name, role: user.role, language: user.language },
    startedAt: session.startedAt
  }
}

/** The seat's side of the language choice (see LanguageStatus): the system's languages, and the tests' pseudo-locale. */
export type SeatLanguages = { system: string[]; pseudo: boolean }

export function createHandlerTable(engine: Engine, seat: SeatLanguages = { system: [], pseudo: false }): HandlerTable {
  const { store, accounts, sessions, auth, twoFactor, helpdesk, profiles, bulk, directory, administration, policy, selfService, jobs, journal, directorySource } = engine
  /** A join in progress (a double click, a second window): the second is refused, not run alongside. */
  let joining = false

  async function saveTarget(call: SignedCall, kind: 'users' | 'audit'): Promise<SaveTarget> {
    if (!call.saveTo) throw new DomainError('UNAVAILABLE', message('staffRefusals.exportsUnavailable'))
    const target = await call.saveTo(kind)
    if (!target) throw new DomainError('CANCELLED', message('staffRefusals.exportCancelled'))
    return target
  }

  /** `fresh`: the user was read at the start of this call and the handler changed nothing since (app:status itself). */
  async function status(session: Session | null, user: UserRow | null, workstation: string, fresh = false): Promise<AppStatus> {
    const idleTimeoutMs = policy.get().idleTimeoutMinutes * 60_000
    const initialized = await accounts.isInitialized()
    const canJoin = !initialized && (await firstRunRefusal(engine)) === null
    const language = { organisation: policy.get().defaultLanguage, ...seat }
    const base = { initialized, canJoin, idleTimeoutMs, pendingLink: null, warnings: [] as string[], language }
    if (!session || !user) return { ...base, stage: null, session: null, secondFactor: null, enrol: null }
    // Read afresh unless just read: the handler may have changed the user (setup done, postponed...).
    const now = fresh ? user : ((await findUserById(store, user.id)) ?? user)
    return {
      ...base,
      stage: session.stage,
      session: sessionInfo(session, now),
      secondFactor: session.stage === 'second-factor' ? await secondStep(session, now, workstation) : null,
      enrol: session.stage === 'enrol' ? await auth.enrolRequirement(now) : null,
      warnings: session.stage === 'full' && now.role === 'admin' ? engine.warnings : []
    }
  }

  /** What the second step's screen shows: the method asked for, and a lock at this workstation. */
  async function secondStep(session: Session, user: UserRow, workstation: string): Promise<NonNullable<AppStatus['secondFactor']>> {
    const methods = await twoFactor.heldMethods(user.id)
    const locked = (await twoFactor.lockOf(user, workstation))?.details?.lockedUntil
    return {
      method: methods[0] ?? null,
      methods,
      emailAllowed: twoFactor.emailCodeAllowed(methods),
      maskedEmail: maskEmail(user.email),
      lockedUntil: typeof locked === 'number' ? locked : null,
      expiresAt: session.startedAt + PENDING_SECOND_FACTOR_MS
    }
  }

  async function start(call: Call, user: UserRow, stage: Stage): Promise<AppStatus> {
    await sessions.end(call.conn.sessionId)
    const session = await sessions.create(user.id, stage, call.workstationId)
    call.conn.sessionId = session.id
    return status(session, user, call.workstationId)
  }

  /** Moves the caller's session on and answers with the new status; reaching 'full' is the login. */
  async function advance(call: SignedCall, stage: Stage, method: string): Promise<AppStatus> {
    if (stage === 'full' && call.session.stage !== 'full') await auth.recordLogin(call.user, call.workstationId, method)
    await sessions.advance(call.session, stage)
    return status(call.session, call.user, call.workstationId)
  }

  return {
    'app:status': {
      access: 'public',
      async handle(_input, call) {
        const pendingLink = call.session ? null : (call.conn.pendingLink ?? null)
        call.conn.pendingLink = null
        return { ...(await status(call.session, call.user, call.workstationId, true)), pendingLink }
      }
    },
    'setup:create-admin': {
      access: 'public',
      async handle(input, call) {
        const user = await accounts.createFirstAdmin(input)
        await engine.audit.record({ event: 'setup.first-admin', subject: { id: user.id, username: user.username }, workstation: call.workstationId })
        // An administrator sets up a second factor before the console opens.
        return start(call, user, await auth.nextStage(user, 'password'))
      }
    },
    'setup:join-organisation': {
      access: 'public',
      async handle(input) {
        const refusal = await firstRunRefusal(engine)
        if (refusal) throw refusal
        if (joining) throw new DomainError('ALREADY_SET_UP', message('staffRefusals.alreadyJoining'))
        joining = true
        try {
          const { password, caFile, ...rest } = input
          const joined = await joinOrganisation(engine.dataDir, { ...rest, ...(password ? { password } : {}), ...(caFile ? { caFile } : {}), replaceUnusedKey: true })
          // The local database forgets the key it gave way to, should this machine ever leave the organisation.
          await store.run('DELETE FROM data_key_check')
          // The engine's thread moves to the organisation's database once this answer is given (engine-worker.ts).
          return { address: joined.address, fingerprint: joined.fingerprint }
        } finally {
          joining = false
        }
      }
    },
    'auth:login': {
      access: 'public',
      async handle(input, call) {
        const { user, stage } = await auth.login(input.identifier, input.password, call.workstationId)
        if (stage === 'full') await auth.recordLogin(user, call.workstationId, 'password')
        return start(call, user, stage)
      }
    },
    'auth:logout': {
      access: 'public',
      async handle(_input, call) {
        if (call.user) {
          await twoFactor.cancelEnrolment(call.user)
          await engine.audit.record({ event: 'logout', subject: { id: call.user.id, username: call.user.username }, workstation: call.workstationId })
        }
        await sessions.end(call.conn.sessionId)
        call.conn.sessionId = null
        return null
      }
    },
    'auth:send-email-code': {
      access: SECOND_STEP,
      async handle(_input, call) {
        if (!twoFactor.emailCodeAllowed(await twoFactor.heldMethods(call.user.id))) throw new DomainError('METHOD_NOT_ALLOWED')
        return twoFactor.sendEmailCode(call.user, 'login', call.workstationId)
      }
    },
    'auth:verify': {
      access: SECOND_STEP,
      async handle(input, call) {
        const { viaAccessCode, ...result } = await twoFactor.verify(call.user, input.method, input.code, call.workstationId)
        const next = viaAccessCode ? 'enrol' : await auth.nextStage(call.user, 'second-factor')
        return { status: await advance(call, next, input.method), result }
      }
    },
    'auth:key-options': { access: SECOND_STEP, handle: (_input, call) => twoFactor.keyOptions(call.user, call.session.id) },
    'auth:verify-key': {
      access: SECOND_STEP,
      async handle(input, call) {
        const { viaAccessCode: _via, ...result } = await twoFactor.verifyKey(call.user, call.session.id, input.response as unknown as AuthenticationResponseJSON, call.workstationId)
        return { status: await advance(call, await auth.nextStage(call.user, 'second-factor'), 'webauthn'), result }
      }
    },
    'auth:staff': { access: ANY_STAGE, handle: (_input, call) => helpdesk.staff(call.user.id) },
    'auth:lost-device': {
      access: PASSWORD_PASSED,
      handle: async (input, call) => ({ requestId: await helpdesk.fileRequest(call.user, input.recipients, input.message, call.workstationId) })
    },

    'auth:password-help': { access: 'public', handle: () => directorySource.passwordHelp() },
    'auth:forgot-password': { access: 'public', handle: (input, call) => selfService.forgotPassword(input.identifier, call.workstationId) },
    'auth:set-password': {
      access: NEW_PASSWORD_STEP,
      async handle(input, call) {
        await auth.replaceTemporaryPassword(call.user, input.password, call.workstationId, call.session.id)
        return advance(call, 'full', 'temporary-password')
      }
    },
    'auth:reset-password': {
      access: 'public',
      async handle(input, call) {
        await selfService.resetPassword(input.identifier, input.code, input.password, call.workstationId)
        return null
      }
    },
    'enrol:check-link': { access: 'public', handle: (input, call) => selfService.checkLink(input.token, call.workstationId) },
    'enrol:redeem-link': {
      access: 'public',
      async handle(input, call) {
        const user = await selfService.redeemLink(input.token, input.password, call.workstationId)
        const stage = await auth.nextStage(user, 'password')
        if (stage === 'full') await auth.recordLogin(user, call.workstationId, 'registration-link')
        return start(call, user, stage)
      }
    },

    'enrol:start': { access: ENROLLING, handle: (input, call) => twoFactor.startEnrolment(call.user, input.method, call.workstationId, call.session.id, input.name ?? null) },
    'enrol:verify-email': { access: ENROLLING, handle: (input, call) => twoFactor.verifyEnrolmentEmail(call.user, input.code, call.workstationId) },
    'enrol:resend-email': { access: ENROLLING, handle: (_input, call) => twoFactor.sendEmailCode(call.user, 'enrol', call.workstationId) },
    'enrol:confirm': { access: ENROLLING, handle: (input, call) => twoFactor.confirmEnrolment(call.user, input.code, call.workstationId) },
    'enrol:register-key': {
      access: ENROLLING,
      handle: (input, call) => twoFactor.registerKey(call.user, call.session.id, input.response as unknown as RegistrationResponseJSON, input.name, call.workstationId)
    },
    'enrol:complete': {
      access: ENROLLING,
      async handle(_input, call) {
        await twoFactor.completeEnrolment(call.user, call.workstationId)
        return advance(call, call.session.stage === 'enrol' ? await auth.nextStage(call.user, 'enrol') : 'full', 'enrolment')
      }
    },
    'enrol:cancel': {
      access: ENROLLING,
      async handle(_input, call) {
        await twoFactor.cancelEnrolment(call.user)
        return null
      }
    },
    'enrol:postpone': {
      access: SETUP_STEP,
      async handle(_input, call) {
        await auth.postpone(call.user, call.workstationId)
        return advance(call, await auth.nextStage(call.user, 'enrol'), 'password')
      }
    },

    'account:two-factor': { access: 'signed-in', handle: (_input, call) => twoFactor.status(call.user, call.session.id) },
    'account:security-keys': { access: 'signed-in', handle: (_input, call) => twoFactor.securityKeys(call.user.id) },
    'account:key-options': { access: 'signed-in', handle: (_input, call) => twoFactor.addKeyOptions(call.user, call.session.id) },
    'account:add-key': {
      access: 'signed-in',
      handle: (input, call) => twoFactor.addKey(call.user, call.session.id, input.response as unknown as RegistrationResponseJSON, input.name, call.workstationId)
    },
    'account:confirm-key-options': { access: 'signed-in', handle: (_input, call) => twoFactor.keyOptions(call.user, call.session.id) },
    'account:remove-key': {
      access: 'signed-in',
      async handle(input, call) {
        // Password and a touch of one of the user's keys (any: the one being removed may be lost).
        await auth.confirmPassword(call.user, input.password, call.workstationId)
        await twoFactor.verifyKey(call.user, call.session.id, input.response as unknown as AuthenticationResponseJSON, call.workstationId, false)
        await twoFactor.removeKey(call.user, call.user, input.keyId, call.workstationId)
        return null
      }
    },
    'account:reissue-codes': {
      access: 'signed-in',
      async handle(input, call) {
        await auth.confirmPassword(call.user, input.password, call.workstationId)
        return twoFactor.reissueRecoveryCodes(call.user, call.workstationId)
      }
    },
    'account:disable-2fa': {
      access: 'signed-in',
      async handle(input, call) {
        await auth.confirmPassword(call.user, input.password, call.workstationId)
        await twoFactor.disable(call.user, input.method, input.code, call.workstationId)
        return twoFactor.status(call.user, call.session.id)
      }
    },
    'account:send-email-code': { access: 'signed-in', handle: (_input, call) => twoFactor.sendEmailCode(call.user, 'login', call.workstationId) },
    'account:change-password': {
      access: 'signed-in',
      async handle(input, call) {
        await auth.changePassword(call.user, input.current, input.next, call.workstationId, call.session.id)
        return null
      }
    },

    'account:replace-device-start': { access: 'signed-in', handle: (input, call) => twoFactor.startDeviceReplacement(call.user, call.session.id, input.code, call.workstationId) },
    'account:replace-device-confirm': {
      access: 'signed-in',
      async handle(input, call) {
        await twoFactor.confirmDeviceReplacement(call.user, call.session.id, input.code, call.workstationId)
        return null
      }
    },
    'account:sessions': { access: 'signed-in', handle: (_input, call) => sessions.listFor(call.user.id, call.session.id) },
    'account:sign-out-everywhere': {
      access: 'signed-in',
      handle: async (_input, call) => ({ ended: await sessions.endAllFor(call.user.id, 'signed-out-everywhere', call.session.id, who(call.user)) })
    },
    'account:confirm-identity': {
      access: 'signed-in',
      async handle(input, call) {
        await twoFactor.confirmIdentity(call.user, call.session.id, input.method, input.code, call.workstationId)
        return twoFactor.status(call.user, call.session.id)
      }
    },
    'account:confirm-identity-key': {
      access: 'signed-in',
      async handle(input, call) {
        await twoFactor.confirmIdentityWithKey(call.user, call.session.id, input.response as unknown as AuthenticationResponseJSON, call.workstationId)
        return twoFactor.status(call.user, call.session.id)
      }
    },
    'account:remove-method': {
      access: 'signed-in',
      async handle(input, call) {
        await twoFactor.removeMethod(call.user, call.user, input.id, call.workstationId, call.session.id)
        return twoFactor.status(call.user, call.session.id)
      }
    },
    'account:rename-method': {
      access: 'signed-in',
      async handle(input, call) {
        await twoFactor.renameMethod(call.user, input.id, input.name, call.workstationId)
        return twoFactor.status(call.user, call.session.id)
      }
    },
    'account:default-method': {
      access: 'signed-in',
      async handle(input, call) {
        await twoFactor.chooseDefault(call.user, input.id, call.workstationId)
        return twoFactor.status(call.user, call.session.id)
      }
    },
    'account:set-language': {
      access: 'signed-in',
      async handle(input, call) {
        const user = await selfService.setLanguage(call.user, input.language, call.workstationId)
        return sessionInfo(call.session, user)
      }
    },

    'users:list': { access: STAFF, handle: (input) => directory.list(input) },
    'users:get': { access: STAFF, handle: (input) => directory.detail(input.userId) },
    'users:create': {
      access: STAFF,
      async handle(input, call) {
        const { user, temporaryPassword } = await helpdesk.createUser(call.user, input, call.workstationId)
        return { userId: user.id, temporaryPassword: temporaryPassword! }
      }
    },
    'users:update': { access: STAFF, handle: async (input, call) => ({ changed: await profiles.update(call.user, input.userId, input, call.workstationId) }) },
    'users:delete': {
      access: STAFF,
      async handle(input, call) {
        await profiles.delete(call.user, input.userId, input.confirm, call.workstationId)
        return null
      }
    },
    'users:sign-out-everywhere': { access: STAFF, handle: async (input, call) => ({ ended: await profiles.signOutEverywhere(call.user, input.userId) }) },
    'users:bulk': {
      access: STAFF,
      handle: (input, call) => jobs.start('users-bulk', call.user.id, (control) => bulk.run(call.user, input.target, input.action, input.reason, call.workstationId, control))
    },
    'users:import': {
      access: STAFF,
      handle: (input, call) => jobs.start('users-import', call.user.id, (control) => directory.importFrom(call.user, { text: input.csv, ...(input.fileName ? { name: input.fileName } : {}) }, call.workstationId, control, input.dryRun))
    },
    'users:import-confirm': {
      access: STAFF,
      handle(_input, call) {
        directory.assertImportWaiting(call.user) // refused now, not as a failed job
        return jobs.start('users-import', call.user.id, (control) => directory.confirmImport(call.user, call.workstationId, control))
      }
    },
    'users:export': {
      access: STAFF,
      async handle(_input, call) {
        const target = await saveTarget(call, 'users')
        return jobs.start('users-export', call.user.id, async (control) => ({ ...(await directory.exportTo(call.user, target.file, call.workstationId, control)), download: target.download }))
      }
    },
    'users:unlock': {
      access: STAFF,
      async handle(input, call) {
        await helpdesk.unlock(call.user, input.userId, call.workstationId)
        return null
      }
    },
    'users:reset-2fa': { access: STAFF, handle: async (input, call) => ({ status: await helpdesk.resetTwoFactor(call.user, input.userId, input.reason, call.workstationId) }) },
    'users:issue-access-code': { access: STAFF, handle: (input, call) => helpdesk.issueAccessCode(call.user, input.userId, call.workstationId) },
    'users:set-disabled': {
      access: STAFF,
      async handle(input, call) {
        await helpdesk.setDisabled(call.user, input.userId, input.disabled, call.workstationId)
        return null
      }
    },
    'users:set-role': {
      access: ADMIN,
      async handle(input, call) {
        await helpdesk.setRole(call.user, input.userId, input.role, call.workstationId)
        return null
      }
    },
    'users:send-enrolment-link': { access: STAFF, handle: (input, call) => helpdesk.sendEnrolmentLink(call.user, input.userId, call.workstationId) },
    'users:set-temporary-password': { access: STAFF, handle: (input, call) => helpdesk.setTemporaryPassword(call.user, input.userId, call.workstationId) },
    'users:remove-key': {
      access: STAFF,
      async handle(input, call) {
        await helpdesk.removeKey(call.user, input.userId, input.keyId, call.workstationId)
        return null
      }
    },
    'users:remove-method': {
      access: STAFF,
      async handle(input, call) {
        await helpdesk.removeMethod(call.user, input.userId, input.methodId, call.workstationId)
        return null
      }
    },
    'users:assign-token': { access: STAFF, handle: (input, call) => helpdesk.assignToken(call.user, input.userId, input.serial, call.workstationId) },
    'tokens:list': { access: STAFF, handle: (input) => twoFactor.tokens.list({ search: input.search, state: input.state === 'all' ? undefined : input.state, limit: 500 }) },
    'tokens:import': { access: ADMIN, handle: (input, call) => twoFactor.tokens.importFile(call.user, input.file, input.psk || null, call.workstationId) },
    'tokens:release': {
      access: STAFF,
      async handle(input, call) {
        await helpdesk.releaseToken(call.user, input.serial, input.lost, call.workstationId)
        return null
      }
    },

    'requests:list': { access: STAFF, handle: (input) => directory.requests(input) },
    'requests:badge': { access: STAFF, handle: async () => ({ open: (await directory.requests({ open: true, after: null, limit: 1 })).total }) },
    'requests:decide': { access: STAFF, handle: (input, call) => helpdesk.decide(call.user, input.requestId, input.decision, call.workstationId) },

    'policy:get': { access: ADMIN, handle: () => administration.view() },
    'policy:preview': { access: ADMIN, handle: (input) => administration.preview(input.policy) },
    'policy:save': { access: ADMIN, handle: (input, call) => administration.save(call.user, input.policy, input.smtpPassword, call.workstationId) },
    'policy:test-smtp': {
      access: ADMIN,
      handle: (input, call) => administration.testSmtp(call.user, input.policy, input.smtpPassword, input.to, call.workstationId)
    },

    'audit:list': { access: ADMIN, handle: (input) => administration.auditPage(input) },
    'audit:verify': { access: ADMIN, handle: () => administration.verify(false) },
    'audit:verify-full': { access: ADMIN, handle: (_input, call) => jobs.start('audit-verify', call.user.id, (control) => administration.verify(true, control)) },
    'audit:export': {
      access: ADMIN,
      async handle(input, call) {
        const target = await saveTarget(call, 'audit')
        const words = translator(input.language ?? 'en')
        return jobs.start('audit-export', call.user.id, async (control) => ({ ...(await administration.exportAuditTo(call.user, target.file, call.workstationId, control, words)), download: target.download }))
      }
    },

    'jobs:get': { access: STAFF, handle: (input, call) => jobs.get(input.jobId, call.user.id) },
    'jobs:cancel': { access: STAFF, handle: (input, call) => jobs.cancel(input.jobId, call.user.id) },
    'jobs:interrupted': { access: STAFF, handle: (_input, call) => journal.notices(call.user) },
    'directory:get': { access: ADMIN, handle: async () => ({ source: await directorySource.settings.get(), passwordSet: await directorySource.settings.passwordSet() }) },
    'directory:save': {
      access: ADMIN,
      async handle(input, call) {
        await directorySource.save(call.user, input.source, input.password, call.workstationId)
        return null
      }
    },
    'directory:test': { access: ADMIN, handle: (input) => directorySource.test({ source: input.source, ...(input.password ? { password: input.password } : {}) }) },
    'directory:sync': {
      access: ADMIN,
      handle: (input, call) => jobs.start('directory-sync', call.user.id, (control) => directorySource.sync(input, { ownerId: call.user.id, actor: call.user.username, workstation: call.workstationId }, control))
    },
    'directory:status': { access: ADMIN, handle: () => directorySource.status() },
    'jobs:dismiss': {
      access: STAFF,
      async handle(input, call) {
        await journal.dismiss(input.jobId, call.user)
        return null
      }
    }
  }
}
