/**
 * The embedded store: one better-sqlite3 connection, the default for one machine.
 *
 * better-sqlite3 is synchronous and one connection holds one transaction, so an asynchronous
 * transaction takes the connection for its whole life: `BEGIN IMMEDIATE` (the write lock at once,
 * so a second process waits at the start instead of failing at its first write), the body, then
 * `COMMIT`. Other calls wait their turn on the connection meanwhile; a call made when nothing holds
 * it runs at once (the everyday case, no extra turn of the event loop).
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { Db } from '../../db/open'
import type { Params, Queryable, RunResult, Store, Tx } from '../types'

type Bound = string | number | bigint | null | Buffer

/** better-sqlite3 takes no booleans and wants Buffers for blobs. */
function bind(params: Params): Bound[] {
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p.buffer, p.byteOffset, p.byteLength) : (p as Bound)))
}

/** One caller at a time on the connection; a free connection is taken without waiting. */
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

export function sqliteStore(db: Db): Store {
  const turns = createTurns()
  const inside = new AsyncLocalStorage<Tx>()

  const direct: Queryable = {
    get: async <T>(sql: string, params: Params = []) => db.prepare(sql).get(...bind(params)) as T | undefined,
    all: async <T>(sql: string, params: Params = []) => db.prepare(sql).all(...bind(params)) as T[],
    run: async (sql: string, params: Params = []): Promise<RunResult> => ({ changes: db.prepare(sql).run(...bind(params)).changes })
  }
  const tx: Tx = { ...direct, forUpdate: '' }

  /** A call outside any transaction: at once when the connection is free, else after the holder. */
  async function outside<T>(call: () => Promise<T>): Promise<T> {
    if (inside.getStore()) throw new Error('The store was called inside its own transaction: use the transaction passed to the body.')
    if (!turns.held) return call()
    await turns.take()
    try {
      return await call()
    } finally {
      turns.give()
    }
  }

  return {
    kind: 'sqlite',
    get: (sql, params) => outside(() => direct.get(sql, params)),
    all: (sql, params) => outside(() => direct.all(sql, params)),
    run: (sql, params) => outside(() => direct.run(sql, params)),
    async transaction<T>(body: (tx: Tx) => Promise<T>): Promise<T> {
      if (inside.getStore()) throw new Error('A transaction was started inside another: pass the transaction down instead.')
      await turns.take()
      try {
        db.exec('BEGIN IMMEDIATE')
        try {
          const out = await inside.run(tx, () => body(tx))
          db.exec('COMMIT')
          return out
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK')
          throw error
        }
      } finally {
        turns.give()
      }
    },
    async close() {
      if (db.open) db.close()
    }
  }
}
