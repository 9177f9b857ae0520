/**
 * The shared store: PostgreSQL 14+ through the `pg` driver's pool, for many seats on one server.
 *
 * Each transaction has a pooled client of its own for its whole life (READ COMMITTED; a decision
 * that depends on a row reads it `FOR UPDATE`). A serialisation failure or deadlock runs the body
 * again, a few times with a short random wait; a lost server surfaces as DATABASE_UNAVAILABLE and
 * the pool reconnects by itself when it is back.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import pg from 'pg'
import { isRetryable, translateError } from './errors'
import { migratePostgres } from './migrate'
import { numberParameters } from './sql'
import type { Params, Queryable, RunResult, Store, Tx } from '../types'

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

function queryable(run: (sql: string, params: Params) => Promise<pg.QueryResult>): Queryable {
  return {
    get: async <T>(sql: string, params: Params = []) => (await run(sql, params)).rows[0] as T | undefined,
    all: async <T>(sql: string, params: Params = []) => (await run(sql, params)).rows as T[],
    run: async (sql: string, params: Params = []): Promise<RunResult> => ({ changes: (await run(sql, params)).rowCount ?? 0 })
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function openPostgresStore(options: PostgresOptions): Promise<Store> {
  const pool = new pg.Pool({ connectionString: options.url, password: options.password, max: options.maxConnections ?? 8, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, types })
  // An idle client whose server went away reports here; the pool drops it and opens another later.
  pool.on('error', () => {})
  const inside = new AsyncLocalStorage<true>()
  const send = (client: pg.Pool | pg.PoolClient) => async (sql: string, params: Params) => {
    try {
      return await client.query(numberParameters(sql), bind(params))
    } catch (error) {
      throw translateError(error)
    }
  }
  const outside = queryable(send(pool))
  const notInside = () => {
    if (inside.getStore()) throw new Error('The store was called inside its own transaction: use the transaction passed to the body.')
  }

  async function attempt<T>(body: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await pool.connect().catch((error: unknown) => Promise.reject(translateError(error)))
    let broken: unknown = undefined
    try {
      await send(client)('BEGIN', [])
      const tx: Tx = { ...queryable(send(client)), forUpdate: ' FOR UPDATE' }
      const out = await inside.run(true, () => body(tx))
      await send(client)('COMMIT', [])
      return out
    } catch (error) {
      await client.query('ROLLBACK').catch((e: unknown) => (broken = e))
      throw error
    } finally {
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
  return {
    kind: 'postgres',
    get: async (sql, params) => (notInside(), outside.get(sql, params)),
    all: async (sql, params) => (notInside(), outside.all(sql, params)),
    run: async (sql, params) => (notInside(), outside.run(sql, params)),
    async transaction<T>(body: (tx: Tx) => Promise<T>): Promise<T> {
      if (inside.getStore()) throw new Error('A transaction was started inside another: pass the transaction down instead.')
      for (let tried = 1; ; tried++) {
        try {
          return await attempt(body)
        } catch (error) {
          if (!isRetryable(error) || tried >= TRIES) throw error
          await pause(Math.random() * 10 * tried)
        }
      }
    },
    async close() {
      if (closed) return
      closed = true
      await pool.end()
    }
  }
}
