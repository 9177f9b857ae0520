/**
 * The shared store: PostgreSQL 14+ through the `pg` driver's pool, for many seats on one server.
 *
 * Each transaction has a pooled client of its own for its whole life, found by the calls of its
 * body through their async context (READ COMMITTED; a decision that depends on a row reads it
 * `FOR UPDATE`). A serialisation failure or deadlock runs the body
 * again, a few times with a short random wait; a lost server surfaces as DATABASE_UNAVAILABLE and
 * the pool reconnects by itself when it is back.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { finished } from 'node:stream/promises'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { isRetryable, translateError } from './errors'
import { migratePostgres } from './migrate'
import { numberParameters } from './sql'
import type { Params, RunResult, Store } from '../types'

export type PostgresOptions = {
  /** `postgres://user@host:port/db?sslmode=verify-full&sslrootcert=FILE` and the like. */
  url: string
  /** Read from a file or standard input by the caller, never from the command line. */
  password?: string
  /** Connections this seat may hold at once. */
  maxConnections?: number
}

/** Times and ids are int8: JavaScript numbers (they stay below 2^53), not strings. */
const INT8_OID = 20
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser
}

/** How often a transaction is tried when the server reports a serialisation failure or deadlock. */
const TRIES = 6
const CONNECT_TIMEOUT_MS = 5_000

const bind = (params: Params) => params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p) : p))

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The transaction a body runs in; `open` turns false at its end, so work it started later runs outside. */
type Context = { open: boolean; client: pg.PoolClient; after: (() => void)[] }

export async function openPostgresStore(options: PostgresOptions): Promise<Store> {
  const pool = new pg.Pool({ connectionString: options.url, password: options.password, max: options.maxConnections ?? 8, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, types })
  // An idle client whose server went away reports here; the pool drops it and opens another later.
  pool.on('error', () => {})
  const contexts = new AsyncLocalStorage<Context>()
  const current = () => {
    const c = contexts.getStore()
    return c?.open ? c : undefined
  }
  async function send(sql: string, params: Params = []): Promise<pg.QueryResult> {
    try {
      return await (current()?.client ?? pool).query(numberParameters(sql), bind(params))
    } catch (error) {
      throw translateError(error)
    }
  }

  /** COPY ... FROM STDIN on the transaction's connection (or a pooled one, as a statement of its own): the rows in one message, the count back. */
  async function copyIn(sql: string, data: string): Promise<number> {
    const joined = current()?.client
    let client: pg.PoolClient | undefined
    try {
      client = joined ?? (await pool.connect())
      const copy = client.query(copyFrom(sql))
      copy.end(Buffer.from(data))
      await finished(copy)
      return copy.rowCount
    } catch (error) {
      throw translateError(error)
    } finally {
      if (!joined) client?.release()
    }
  }

  /** One try of a transaction: its result, and what waits for its commit. */
  async function attempt<T>(body: () => Promise<T>, begin = 'BEGIN'): Promise<{ out: T; after: (() => void)[] }> {
    const client = await pool.connect().catch((error: unknown) => Promise.reject(translateError(error)))
    const context: Context = { open: true, client, after: [] }
    let broken: unknown = undefined
    try {
      return await contexts.run(context, async () => {
        await send(begin)
        const out = await body()
        await send('COMMIT')
        return { out, after: context.after }
      })
    } catch (error) {
      await client.query('ROLLBACK').catch((e: unknown) => (broken = e))
      throw error
    } finally {
      context.open = false
      client.release(broken instanceof Error ? broken : undefined)
    }
  }

  try {
    await migratePostgres(pool)
  } catch (error) {
    await pool.end()
    throw translateError(error)
  }

  let closed = false
  /** Locks held on connections of their own: let go at `close`, which waits for every connection. */
  const heldLocks = new Set<{ release(): Promise<void> }>()
  return {
    kind: 'postgres',
    forUpdate: ' FOR UPDATE',
    get inTransaction() {
      return current() !== undefined
    },
    get: async <T>(sql: string, params?: Params) => (await send(sql, params)).rows[0] as T | undefined,
    all: async <T>(sql: string, params?: Params) => (await send(sql, params)).rows as T[],
    run: async (sql: string, params?: Params): Promise<RunResult> => ({ changes: (await send(sql, params)).rowCount ?? 0 }),
    async lock(name) {
      if (!current()) throw new Error('store.lock runs inside a transaction')
      await send('SELECT pg_advisory_xact_lock(hashtext(?))', [name])
    },
    copyIn,
    async holdLock(name) {
      if (current()) throw new Error('store.holdLock runs outside transactions')
      const client = await pool.connect().catch((error: unknown) => Promise.reject(translateError(error)))
      // A held connection the server drops reports here, not as an unhandled error; the lock is gone with it.
      client.on('error', () => {})
      const got = await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS got', [name]).catch((error: unknown) => {
        client.release(true)
        throw translateError(error)
      })
      if (!got.rows[0]!.got) {
        client.release()
        return null
      }
      let held = true
      const lock = {
        async release() {
          if (!held) return
          held = false
          heldLocks.delete(lock)
          const unlocked = await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]).then(() => true, () => false)
          client.release(!unlocked)
        }
      }
      heldLocks.add(lock)
      return lock
    },
    afterCommit(fn) {
      const c = current()
      if (c) c.after.push(fn)
      else fn()
    },
    async transaction<T>(body: () => Promise<T>): Promise<T> {
      if (current()) return body()
      for (let tried = 1; ; tried++) {
        try {
          const done = await attempt(body)
          done.after.forEach((fn) => fn())
          return done.out
        } catch (error) {
          if (!isRetryable(error) || tried >= TRIES) throw error
          await pause(Math.random() * 10 * tried)
        }
      }
    },
    async snapshot<T>(body: () => Promise<T>): Promise<T> {
      if (current()) throw new Error('store.snapshot runs outside every transaction')
      return (await attempt(body, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')).out
    },
    async close() {
      if (closed) return
      closed = true
      await Promise.all([...heldLocks].map((l) => l.release()))
      await pool.end()
    }
  }
}
