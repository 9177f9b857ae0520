/**
 * The engine's thread: opens the engine, answers contract calls through the same `dispatch` the
 * in-process callers use, and keeps each window's connection (its session id) here, where the
 * sessions are. Nothing in it knows Electron.
 */
import { hostname } from 'node:os'
import { parentPort, workerData } from 'node:worker_threads'
import { createEngine, type Engine } from '../core/engine'
import type { KeyProvider } from '../core/secrets'
import { dispatch } from '../ipc/dispatch'
import { createHandlerTable, type Connection, type HandlerTable } from '../ipc/handlers'
import { DomainError } from '../core/domain-error'
import { findUserById } from '../db/queries/users'
import { recordSeatJoined } from '../core/join-organisation'
import { databaseTarget } from '../database-target'
import type { Failure } from '../../shared/errors'
import type { FromWorker, ToWorker, WorkerOptions } from './protocol'
import type { Params } from '../store'
import { problem } from '../../shared/validation'
import { encodeWords } from '../../shared/i18n/translate'

const port = parentPort!
const options = workerData as WorkerOptions
const post = (message: FromWorker) => port.postMessage(message)

function keyProviderOf(o: WorkerOptions): KeyProvider | undefined {
  if (!o.dataKey) return undefined
  const key = Buffer.from(o.dataKey.key)
  return { protection: o.dataKey.protection, dataKey: () => key }
}

let now = options.testClockStart ?? 0
const clock = options.testClockStart === undefined ? undefined : { now: () => now }

/** While the shared database cannot be reached at start, the engine is tried again this often. */
const REOPEN_MS = 2_000

let engine: Engine
let table: HandlerTable | null = null
const unreachable = (error: unknown) => error instanceof DomainError && error.code === 'DATABASE_UNAVAILABLE'

/** Where the engine opens: as started, until this machine joins an organisation from its first-run screen. */
/** How often the engine looks whether a directory sync is due (core/directory-source: due). */
const SYNC_LOOK_MS = 60_000

let database = options.database
let keyProvider = keyProviderOf(options)
/** The join to record in the organisation's audit log once its database is open. */
let joinToRecord: { workstation: string; joined: { address: string; fingerprint: string } } | null = null

async function open(): Promise<void> {
  const opened = await createEngine({
    databaseFile: options.databaseFile, database, dataDir: options.dataDir, passwordParams: options.passwordParams, keyProvider, clock, relyingParty: options.relyingParty,
    syncSchedule: { everyMs: SYNC_LOOK_MS, workstation: `schedule:${hostname()}` }
  })
  if (joinToRecord) {
    try {
      await recordSeatJoined(opened, joinToRecord.workstation, joinToRecord.joined, 'first-run')
    } catch (error) {
      await opened.close()
      throw error
    }
    joinToRecord = null
  }
  engine = opened
  table = createHandlerTable(engine, options.languages)
}

/**
 * The first-run screen made this machine a seat (seat.json and the organisation's key are written):
 * the engine moves to the organisation's database now, without a restart, with the key file the
 * join wrote (the desktop app's keychain-wrapped key of the first start is gone).
 */
async function switchToSeat(workstation: string, joined: { address: string; fingerprint: string }): Promise<Failure | null> {
  table = null // calls meanwhile are answered as if the database were away
  try {
    await engine.shutdown()
    database = databaseTarget(options.dataDir, {}, {}) ?? undefined
    keyProvider = undefined
    joinToRecord = { workstation, joined }
    await open()
    return null
  } catch (error) {
    // The server went away meanwhile: tried again every 2 s, as at a start.
    if (unreachable(error)) {
      reopenLater()
      return null
    }
    console.error('[tessera] the engine cannot move to the organisation\'s database:', error)
    const why = error instanceof DomainError ? ` (${error.message.replace(/\.$/, '')})` : ''
    return new DomainError(error instanceof DomainError ? error.code : 'INTERNAL', `This machine joined the organisation, but Tessera cannot open its database${why}: restart Tessera.`).toFailure()
  }
}

/** The server was away at start: every call is answered DATABASE_UNAVAILABLE until it opens. */
function reopenLater(): void {
  setTimeout(() => {
    open().catch((error: unknown) => {
      if (unreachable(error)) return reopenLater()
      console.error(`[tessera] the engine cannot start: ${error instanceof Error ? error.message : String(error)}`)
    })
  }, REOPEN_MS)
}

let startWarnings: string[]
try {
  await open()
  startWarnings = engine!.warnings
} catch (error) {
  if (!unreachable(error)) {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) })
    process.exit(1)
  }
  const words = (error as DomainError).words
  startWarnings = [problem('staffRefusals.databaseAtStart', { problem: words ? encodeWords(words) : (error as DomainError).message })]
  reopenLater()
}
const notOpen = new DomainError('DATABASE_UNAVAILABLE').toFailure()
const connections = new Map<string, Connection>()
const connection = (id: string) => connections.get(id) ?? connections.set(id, { sessionId: null }).get(id)!

async function disconnect(id: string): Promise<void> {
  const conn = connections.get(id)
  if (!conn) return
  // Gone at once, as when this was synchronous: a message that follows finds a fresh connection.
  connections.delete(id)
  const sessionId = conn.sessionId
  await engine.policy.refresh() // the idle timeout as it is now, as at the start of every call
  const session = await engine.sessions.touch(sessionId)
  const user = session && (await findUserById(engine.store, session.userId))
  if (user) await engine.twoFactor.cancelEnrolment(user)
  await engine.sessions.end(sessionId)
}

/**
 * Tests only: `path` names an engine function ("policy.save") or "sql.get" / "sql.all" / "sql.run";
 * "sql.batch" runs several queries ([sql, params] each) in one message (the benchmark's yardstick):
 * on SQLite with named parameters on the engine's connection, on PostgreSQL with `?`s through the store.
 */
async function inspect(path: string, args: unknown[]): Promise<unknown> {
  if (path === 'sql.batch' && engine.store.kind === 'sqlite') return (args[0] as [string, Record<string, unknown>?][]).map(([sql, params]) => engine.db.prepare(sql).all(params ?? {}))
  if (path === 'sql.batch') {
    const out: unknown[] = []
    for (const [sql, params] of args[0] as [string, Params?][]) out.push(await engine.store.all(sql, params ?? []))
    return out
  }
  if (path.startsWith('sql.') && engine.store.kind !== 'sqlite') {
    // Positional parameters through the store (the one way in on PostgreSQL).
    const [sql, ...params] = args as [string, ...Params]
    return path === 'sql.get' ? engine.store.get(sql, params) : path === 'sql.all' ? engine.store.all(sql, params) : (await engine.store.run(sql, params)).changes
  }
  if (path.startsWith('sql.')) {
    const [sql, ...params] = args as [string, ...unknown[]]
    const stmt = engine.db.prepare(sql)
    return path === 'sql.get' ? stmt.get(...params) : path === 'sql.all' ? stmt.all(...params) : stmt.run(...params).changes
  }
  await engine.policy.refresh() // as a dispatched call would, so a policy written by a test applies
  const parts = path.split('.')
  const owner = parts.slice(0, -1).reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, engine as unknown as Record<string, unknown>)
  const fn = owner[parts.at(-1)!]
  if (typeof fn !== 'function') return fn
  return (fn as (...a: unknown[]) => unknown).apply(owner, args)
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'call': {
      const target = message.saveTo
      const ctx = { conn: connection(message.conn), workstationId: message.workstationId, saveTo: async () => target }
      const result = table ? await dispatch(table, engine, ctx, message.channel, message.input) : notOpen
      const moved = result.ok && message.channel === 'setup:join-organisation' ? await switchToSeat(message.workstationId, result.value as { address: string; fingerprint: string }) : null
      post({ type: 'result', id: message.id, result: moved ?? result })
      return
    }
    case 'pending-link':
      connection(message.conn).pendingLink = message.token
      return
    case 'disconnect':
      if (!table) return void connections.delete(message.conn)
      return disconnect(message.conn)
    case 'clock':
      now = message.now
      return
    case 'inspect': {
      if (!options.testHooks) return post({ type: 'inspected', id: message.id, ok: false, value: 'test hooks are off' })
      if (!table) return post({ type: 'inspected', id: message.id, ok: false, value: notOpen.message })
      try {
        post({ type: 'inspected', id: message.id, ok: true, value: await inspect(message.path, message.args) })
      } catch (error) {
        post({ type: 'inspected', id: message.id, ok: false, value: error instanceof Error ? error.message : String(error) })
      }
      return
    }
    case 'shutdown': {
      // Calls that arrive while it closes are answered as if the database were away, not run.
      const wasOpen = table !== null
      table = null
      if (wasOpen) await engine.shutdown()
      post({ type: 'closed' })
      port.close()
    }
  }
}

port.on('message', (message: ToWorker) => {
  handle(message).catch((error: unknown) => console.error('[tessera] engine worker:', error))
})
post({ type: 'ready', warnings: startWarnings })
