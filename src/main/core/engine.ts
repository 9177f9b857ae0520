/**
 * The engine: every service of Tessera wired to one database, clock and configuration. Free of
 * Electron, so the app, the CLI, the browser harness and the tests all run the same code.
 */
import { createAccounts } from './accounts'
import type { Clock } from './clock'
import { systemClock } from './clock'
import { DEFAULT_SCRYPT, type ScryptParams } from './passwords'
import { SessionStore } from './sessions'
import { openDatabase, type Db } from '../db/open'

/** Until the policy sets one (issue 3): end an unattended session after 15 minutes. */
const DEFAULT_IDLE_MS = 15 * 60 * 1000

export type EngineOptions = {
  databaseFile: string
  clock?: Clock
  /** Tests pass cheaper parameters; production keeps the OWASP default. */
  passwordParams?: ScryptParams
}

export function createEngine(options: EngineOptions) {
  const db: Db = openDatabase(options.databaseFile)
  const clock = options.clock ?? systemClock
  const passwordParams = options.passwordParams ?? DEFAULT_SCRYPT
  const accounts = createAccounts({ db, clock, passwordParams })
  const sessions = new SessionStore(clock, () => DEFAULT_IDLE_MS)
  return {
    db,
    clock,
    accounts,
    sessions,
    close(): void {
      db.close()
    }
  }
}

export type Engine = ReturnType<typeof createEngine>
