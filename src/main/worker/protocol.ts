/**
 * The messages between the main process (windows, sender checks, routing) and the engine's worker
 * thread (SQLite and every engine service). A contract call crosses as `call` and comes back as
 * `result` with the same `Result` it would have had in-process.
 */
import type { Result } from '../../shared/errors'
import type { SaveTarget, SeatLanguages } from '../ipc/handlers'
import type { ScryptParams } from '../core/passwords'

/** What the worker needs to open the engine: plain data only (it crosses a thread). */
import type { RelyingParty } from '../core/two-factor/webauthn'

export type WorkerOptions = {
  databaseFile: string
  /** A shared PostgreSQL database instead of the SQLite file. */
  database?: { url: string; password?: string }
  dataDir: string
  passwordParams?: ScryptParams
  /** The data key when the main process holds it (Electron's safeStorage); otherwise the key file. */
  dataKey?: { key: Uint8Array; protection: string }
  /** Tests and the harness: a clock that starts here and moves only when told (see `clock`). */
  testClockStart?: number
  /** Tests only: allow `inspect` messages that call the engine directly. */
  testHooks?: boolean
  /** Where security keys are used: the WebAuthn RP ID and the page origins (none: no security keys). */
  relyingParty?: RelyingParty
  /** The operating system's languages (Electron's app.getPreferredSystemLanguages()), and the tests' pseudo-locale. */
  languages?: SeatLanguages
}

export type ToWorker =
  | { type: 'call'; id: number; conn: string; workstationId: string; channel: unknown; input: unknown; saveTo: SaveTarget | null }
  | { type: 'pending-link'; conn: string; token: string | null }
  /** A window closed: its session and any half-done setup end. */
  | { type: 'disconnect'; conn: string }
  | { type: 'clock'; now: number }
  | { type: 'inspect'; id: number; path: string; args: unknown[] }
  | { type: 'shutdown' }

export type FromWorker =
  | { type: 'ready'; warnings: string[] }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'inspected'; id: number; ok: boolean; value: unknown }
  | { type: 'failed'; message: string }
  | { type: 'closed' }
