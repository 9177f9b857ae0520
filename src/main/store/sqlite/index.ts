/**
 * The embedded store: one better-sqlite3 connection, the default for one machine.
 *
 * better-sqlite3 is synchronous and one connection holds one transaction, so an asynchronous
 * transaction takes the connection for its whole life: `BEGIN IMMEDIATE` (the write lock at once,
 * so a second process waits at the start instead of failing at its first write), the body, then
 * `COMMIT`. Calls from outside the body wait their turn on the connection meanwhile; a call made
 * when nothing holds it runs at once (the everyday case, no extra turn of the event loop).
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { Db } from '../../db/open'
import type { Params, RunResult, Store } from '../types'
import { sqliteHeldLocks } from './held-locks'

type Bound = string | number | bigint | null | Buffer

/** better-sqlite3 takes no booleans and wants Buffers for blobs. */
function bind(params: Params): Bound[] {
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p.buffer, p.byteOffset, p.byteLength) : (p as Bound)))
}

/** One holder at a time on the connection; a free connection is taken without waiting. */
function createTurns() {
  let held = false
  const waiting: (() => void)[] = []
  return {
    get held() {
      return held
    },
    take(): Promise<void> {
      if (!held) {
        held = true
        return Promise.resolve()
      }
      return new Promise((resolve) => waiting.push(resolve))
    },
    give(): void {
      const next = waiting.shift()
      if (next) next()
      else held = false
    }
  }
}

/** The transaction a body runs in; `open` turns false at its end, so work it started later runs outside. */
type Context = { open: boolean; after: (() => void)[] }

export function sqliteStore(db: Db): Store {
  const turns = createTurns()
  const heldLocks = sqliteHeldLocks(db.name)
  const contexts = new AsyncLocalStorage<Context>()
  const joined = () => contexts.getStore()?.open === true

  /** A statement: at once inside the caller's transaction or on a free connection, else after the holder. */
  async function statement<T>(call: () => T): Promise<T> {
    if (joined() || !turns.held) return call()
    await turns.take()
    try {
      return call()
    } finally {
      turns.give()
    }
  }

  /** A transaction begun with `begin`: BEGIN IMMEDIATE to write, a deferred BEGIN (a read snapshot) to read. */
  async function transaction<T>(body: () => Promise<T>, begin = 'BEGIN IMMEDIATE'): Promise<T> {
    if (joined()) return body()
    await turns.take()
    const context: Context = { open: true, after: [] }
    let out: T
    try {
      db.exec(begin)
      try {
        out = await contexts.run(context, body)
        db.exec('COMMIT')
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK')
        throw error
      }
    } finally {
      context.open = false
      turns.give()
    }
    for (const fn of context.after) fn()
    return out
  }

  return {
    kind: 'sqlite',
    forUpdate: '',
    get inTransaction() {
      return joined()
    },
    get: <T>(sql: string, params: Params = []) => statement(() => db.prepare(sql).get(...bind(params)) as T | undefined),
    all: <T>(sql: string, params: Params = []) => statement(() => db.prepare(sql).all(...bind(params)) as T[]),
    run: (sql: string, params: Params = []) => statement((): RunResult => ({ changes: db.prepare(sql).run(...bind(params)).changes })),
    transaction: (body) => transaction(body),
    snapshot(body) {
      if (joined()) throw new Error('store.snapshot runs outside every transaction')
      return transaction(body, 'BEGIN')
    },
    async lock() {
      if (!joined()) throw new Error('store.lock runs inside a transaction')
    },
    holdLock: (name) => heldLocks.holdLock(name),
    afterCommit(fn) {
      const c = contexts.getStore()
      if (c?.open) c.after.push(fn)
      else fn()
    },
    async close() {
      await heldLocks.releaseAll()
      if (db.open) db.close()
    }
  }
}
