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
import { createJobJournal } from './job-journal'
import { createDirectorySource } from './directory-source'
import { checkDataKey } from './key-check'
import { createMailer } from './mail'
import { DEFAULT_SCRYPT, type ScryptParams } from './passwords'
import { createPolicyStore } from './policy'
import { createSelfService } from './self-service'
import { createSealer, fileKeyProvider, type KeyProvider } from './secrets'
import { SessionStore } from './sessions'
import { createTwoFactor } from './two-factor'
import { openDatabase, type Db } from '../db/open'
import { findUserById } from '../db/queries/users'
import { sqliteStore } from '../store/sqlite'
import { createCallerReader } from './caller'
import { sqliteDirectoryQueries } from '../store/sqlite/directory'
import { postgresDirectoryQueries } from '../store/postgres/directory'
import { openPostgresStore } from '../store/postgres'
import type { Store } from '../store'

export type EngineOptions = {
  /** The SQLite file (one machine); not used when `database` names a PostgreSQL server. */
  databaseFile: string
  /** A shared PostgreSQL database (many seats); its password read from a file or standard input by the caller. */
  database?: { url: string; password?: string }
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
  /** The app and the harness: look this often whether a directory sync is due, and run it (the CLI does not). */
  syncSchedule?: { everyMs: number; workstation: string }
}

export const PICKUP_DIR = 'outbox'

/** Rows between two sampled ranks of the directory's sorts (see store/directory-queries.ts). */
export const RANK_STRIDE = 4096

export async function createEngine(options: EngineOptions) {
  const dataDir = options.dataDir ?? dirname(options.databaseFile)
  const warnings = secureDataFiles(dataDir, options.database ? null : options.databaseFile, join(dataDir, PICKUP_DIR))
  const sqlite: Db | null = options.database ? null : openDatabase(options.databaseFile)
  const store: Store = sqlite ? sqliteStore(sqlite) : await openPostgresStore(options.database!)
  const clock = options.clock ?? systemClock
  const passwordParams = options.passwordParams ?? DEFAULT_SCRYPT
  const keys = options.keyProvider ?? fileKeyProvider(dataDir)
  const sealer = createSealer(keys)
  const anchor = options.anchor ?? fileAnchorStore(dataDir, { required: !options.database })
  const background = createBackground()
  try {
    await checkDataKey(store, keys, clock.now())
  } catch (error) {
    await store.close()
    throw error
  }
  const policy = createPolicyStore({ store, clock, sealer })
  await policy.refresh()
  const audit = createAudit({ store, clock, sealer, anchor, operator: options.operator ?? null })
  const attempts = createAttempts({ store, clock, policy, audit, sealer })
  const mailer = createMailer({ policy, pickupDir: join(dataDir, PICKUP_DIR), clock })
  const accounts = createAccounts({ store, clock, passwordParams })
  const who = async (userId: number) => {
    const u = await findUserById(store, userId)
    return u ? { id: u.id, username: u.username } : null
  }
  const sessions = new SessionStore(store, clock, () => policy.get().idleTimeoutMinutes * 60_000, {
    expired: async (s, now) => audit.record({ event: 'session.expired', subject: await who(s.userId), details: { stage: s.stage, idleMs: now - s.lastSeenAt } }),
    ended: async (userId, count, reason, by) => audit.record({ event: 'sessions.ended', actor: by, subject: await who(userId), details: { count, reason } })
  })
  const callers = createCallerReader({ store, policy, sessions })
  const twoFactor = createTwoFactor({ store, clock, sealer, policy, audit, attempts, mailer, relyingParty: options.relyingParty ?? null })
  const journal = createJobJournal({ store, clock })
  const directorySource = createDirectorySource({ store, clock, audit, sessions, journal, sealer })
  const auth = createAuth({ store, clock, accounts, policy, attempts, audit, twoFactor, sessions, directory: directorySource.passwords })
  const helpdesk = createHelpdesk({ store, clock, accounts, audit, attempts, twoFactor, sessions, mailer, policy, sealer, background })
  const selfService = createSelfService({ store, clock, accounts, auth, audit, attempts, sealer, twoFactor, helpdesk, background, mailer, sessions, policy, directory: directorySource.passwords })
  const rankOptions = { stride: options.rankStride ?? RANK_STRIDE, background }
  const queries = sqlite ? sqliteDirectoryQueries(sqlite, rankOptions) : postgresDirectoryQueries(store, rankOptions)
  const directory = createDirectory({ store, queries, sqlite, clock, policy, audit, sessions, journal, fromDirectory: directorySource.manages })
  const profiles = createProfiles({ store, clock, accounts, audit, sessions, fromDirectory: directorySource.manages })
  const bulk = createBulk({ store, directory, helpdesk, journal, audit })
  const administration = createAdministration({ store, clock, policy, audit, twoFactor, mailer, sealer, anchor })
  const jobs = createJobs({ now: () => clock.now() })
  // Jobs a crash interrupted, on this seat or another, settled whole before anything else runs.
  const recovered = await journal.recoverAbandoned().catch(async (error: unknown) => {
    await store.close()
    throw error
  })
  const schedule = options.syncSchedule
  const syncTimer = schedule ? setInterval(() => background.run('directory sync', () => directorySource.tick(schedule.workstation)), schedule.everyMs).unref() : null
  let closed = false
  return {
    /** The SQLite connection, on SQLite (SQLite-only paths and tests; moves into the store). */
    get db(): Db {
      if (!sqlite) throw new Error('This engine runs on PostgreSQL: it has no SQLite connection.')
      return sqlite
    },
    store,
    dataDir,
    /** Things the operator should know about the data directory (e.g. readable by others). */
    warnings,
    clock,
    keys,
    sealer,
    /** Where this seat keeps the audit chain's head it last saw. */
    anchor,
    background,
    policy,
    audit,
    attempts,
    mailer,
    accounts,
    sessions,
    /** Who calls, and under which policy: one read at the start of every call (caller.ts). */
    callers,
    twoFactor,
    auth,
    helpdesk,
    profiles,
    bulk,
    selfService,
    directory,
    administration,
    /** The organisation's Active Directory or LDAP server: its settings, test, sync, status. */
    directorySource,
    jobs,
    /** Long jobs recorded in the database (imports, bulk actions), and those a crash interrupted. */
    journal,
    /** Jobs a crash had interrupted, settled at this start: for the caller to say so (the CLI on standard error). */
    recovered,
    /** Writes the audit anchor and closes the database; closing twice does nothing. Running jobs stop (see `shutdown`). */
    async close(): Promise<void> {
      if (closed) return
      closed = true
      if (syncTimer) clearInterval(syncTimer)
      jobs.abortAll()
      await audit.flush()
      await store.close()
    },
    /** Cancels running jobs and waits for them and for background work, then closes. */
    async shutdown(): Promise<void> {
      await jobs.stop()
      await background.idle()
      await this.close()
    }
  }
}

export type Engine = Awaited<ReturnType<typeof createEngine>>
