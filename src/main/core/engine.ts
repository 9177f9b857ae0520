/**
 * The engine: every service of Tessera wired to one database, clock, data key and mailer. Free of
 * Electron, so the app, the CLI, the browser harness and the tests all run the same code.
 */
import { dirname, join } from 'node:path'
import { createAccounts } from './accounts'
import { createAdministration } from './administration'
import { createAttempts } from './attempts'
import type { RelyingParty } from './two-factor/webauthn'
import { createAudit, fileAnchorStore, type AnchorStore } from './audit'
import { createAuth } from './auth'
import { createBackground } from './background'
import type { Clock } from './clock'
import { systemClock } from './clock'
import { createDirectory } from './directory'
import { createProfiles } from './profiles'
import { createBulk } from './bulk'
import { secureDataFiles } from './file-modes'
import { createHelpdesk } from './helpdesk'
import { createJobs } from './jobs'
import { createMailer } from './mail'
import { DEFAULT_SCRYPT, type ScryptParams } from './passwords'
import { createPolicyStore } from './policy'
import { createSelfService } from './self-service'
import { createSealer, fileKeyProvider, type KeyProvider } from './secrets'
import { SessionStore } from './sessions'
import { createTwoFactor } from './two-factor'
import { openDatabase, type Db } from '../db/open'
import { findUserById } from '../db/queries/users'

export type EngineOptions = {
  databaseFile: string
  /** Where the key file, the audit anchor and the e-mail pickup directory live; defaults to the database's folder. */
  dataDir?: string
  clock?: Clock
  /** Tests pass cheaper parameters; production keeps the OWASP default. */
  passwordParams?: ScryptParams
  /** Electron passes a safeStorage-backed provider; otherwise a key file in the data directory. */
  keyProvider?: KeyProvider
  /** Where the audit chain's head is kept outside the database; defaults to a file in the data directory. */
  anchor?: AnchorStore
  /** Where security keys are used (WebAuthn RP ID and origins); without it security keys are unavailable. */
  relyingParty?: RelyingParty
  /** Tests: rows between two sampled ranks of the directory's sorts (small, so a few thousand users use them). */
  rankStride?: number
  /** Who acts when no signed-in user does, named as the audit rows' actor: the CLI's `cli:alice@host`. */
  operator?: string
}

export const PICKUP_DIR = 'outbox'

export function createEngine(options: EngineOptions) {
  const dataDir = options.dataDir ?? dirname(options.databaseFile)
  const warnings = secureDataFiles(dataDir, options.databaseFile, join(dataDir, PICKUP_DIR))
  const db: Db = openDatabase(options.databaseFile)
  const clock = options.clock ?? systemClock
  const passwordParams = options.passwordParams ?? DEFAULT_SCRYPT
  const keys = options.keyProvider ?? fileKeyProvider(dataDir)
  const sealer = createSealer(keys)
  const anchor = options.anchor ?? fileAnchorStore(dataDir)
  const background = createBackground()
  const policy = createPolicyStore({ db, clock, sealer })
  const audit = createAudit({ db, clock, sealer, anchor, operator: options.operator ?? null })
  const attempts = createAttempts({ db, clock, policy, audit, sealer })
  const mailer = createMailer({ policy, pickupDir: join(dataDir, PICKUP_DIR), clock })
  const accounts = createAccounts({ db, clock, passwordParams })
  const who = (userId: number) => {
    const u = findUserById(db, userId)
    return u ? { id: u.id, username: u.username } : null
  }
  const sessions = new SessionStore(clock, () => policy.get().idleTimeoutMinutes * 60_000, {
    expired: (s, now) => audit.record({ event: 'session.expired', subject: who(s.userId), details: { stage: s.stage, idleMs: now - s.lastSeenAt } }),
    ended: (userId, count, reason, by) => audit.record({ event: 'sessions.ended', actor: by, subject: who(userId), details: { count, reason } })
  })
  const twoFactor = createTwoFactor({ db, clock, sealer, policy, audit, attempts, mailer, relyingParty: options.relyingParty ?? null })
  const auth = createAuth({ db, clock, accounts, policy, attempts, audit, twoFactor, sessions })
  const helpdesk = createHelpdesk({ db, clock, accounts, audit, attempts, twoFactor, sessions, mailer, policy, sealer, background })
  const selfService = createSelfService({ db, clock, accounts, auth, audit, attempts, sealer, twoFactor, helpdesk, background, mailer, sessions })
  const directory = createDirectory({ db, clock, policy, audit, sessions, background, rankStride: options.rankStride })
  const profiles = createProfiles({ db, clock, accounts, audit, sessions })
  const bulk = createBulk({ db, directory, helpdesk })
  const administration = createAdministration({ db, clock, policy, audit, twoFactor, mailer, sealer, anchor })
  const jobs = createJobs({ now: () => clock.now() })
  return {
    db,
    dataDir,
    /** Things the operator should know about the data directory (e.g. readable by others). */
    warnings,
    clock,
    keys,
    sealer,
    background,
    policy,
    audit,
    attempts,
    mailer,
    accounts,
    sessions,
    twoFactor,
    auth,
    helpdesk,
    profiles,
    bulk,
    selfService,
    directory,
    administration,
    jobs,
    /** Writes the audit anchor and closes the database; closing twice does nothing. Running jobs stop (see `shutdown`). */
    close(): void {
      if (!db.open) return
      jobs.abortAll()
      audit.flush()
      db.close()
    },
    /** Cancels running jobs and waits for them and for background work, then closes. */
    async shutdown(): Promise<void> {
      await jobs.stop()
      await background.idle()
      this.close()
    }
  }
}

export type Engine = ReturnType<typeof createEngine>
