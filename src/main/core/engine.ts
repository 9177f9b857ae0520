/**
 * The engine: every service of Tessera wired to one database, clock, data key and mailer. Free of
 * Electron, so the app, the CLI, the browser harness and the tests all run the same code.
 */
import { dirname, join } from 'node:path'
import { createAccounts } from './accounts'
import { createAdministration } from './administration'
import { createAudit } from './audit'
import { createAuth } from './auth'
import type { Clock } from './clock'
import { systemClock } from './clock'
import { createDirectory } from './directory'
import { createHelpdesk } from './helpdesk'
import { createLockout } from './lockout'
import { createMailer } from './mail'
import { DEFAULT_SCRYPT, type ScryptParams } from './passwords'
import { createPolicyStore } from './policy'
import { createSelfService } from './self-service'
import { createSealer, fileKeyProvider, type KeyProvider } from './secrets'
import { SessionStore } from './sessions'
import { createTwoFactor } from './two-factor'
import { openDatabase, type Db } from '../db/open'

export type EngineOptions = {
  databaseFile: string
  /** Where the key file and the e-mail pickup directory live; defaults to the database's folder. */
  dataDir?: string
  clock?: Clock
  /** Tests pass cheaper parameters; production keeps the OWASP default. */
  passwordParams?: ScryptParams
  /** Electron passes a safeStorage-backed provider; otherwise a key file in the data directory. */
  keyProvider?: KeyProvider
}

export const PICKUP_DIR = 'outbox'

export function createEngine(options: EngineOptions) {
  const dataDir = options.dataDir ?? dirname(options.databaseFile)
  const db: Db = openDatabase(options.databaseFile)
  const clock = options.clock ?? systemClock
  const passwordParams = options.passwordParams ?? DEFAULT_SCRYPT
  const keys = options.keyProvider ?? fileKeyProvider(dataDir)
  const sealer = createSealer(keys)
  const policy = createPolicyStore({ db, clock, sealer })
  const audit = createAudit({ db, clock })
  const lockout = createLockout({ db, clock })
  const mailer = createMailer({ policy, pickupDir: join(dataDir, PICKUP_DIR), clock })
  const accounts = createAccounts({ db, clock, passwordParams })
  const sessions = new SessionStore(clock, () => policy.get().idleTimeoutMinutes * 60_000)
  const twoFactor = createTwoFactor({ db, clock, sealer, policy, audit, lockout, mailer })
  const auth = createAuth({ db, clock, accounts, policy, lockout, audit, twoFactor })
  const helpdesk = createHelpdesk({ db, clock, accounts, audit, lockout, twoFactor, sessions, mailer, policy, sealer })
  const selfService = createSelfService({ db, clock, accounts, auth, audit, lockout, mailer, sealer, twoFactor, helpdesk })
  const directory = createDirectory({ db, clock, policy, audit })
  const administration = createAdministration({ db, policy, audit, twoFactor, mailer })
  return {
    db,
    dataDir,
    clock,
    keys,
    sealer,
    policy,
    audit,
    lockout,
    mailer,
    accounts,
    sessions,
    twoFactor,
    auth,
    helpdesk,
    selfService,
    directory,
    administration,
    close(): void {
      db.close()
    }
  }
}

export type Engine = ReturnType<typeof createEngine>
