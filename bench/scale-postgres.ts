/**
 * PostgreSQL for bench/scale.ts: the server (`--database-url URL` of an existing one, or with
 * `--postgres` a throwaway cluster of the benchmark's own, as the tests start them), the data built
 * once into a database kept as a template (`tessera_bench_USERS_AUDIT`, its data key and build time
 * in the database's comment), and each run on a fresh copy of it (`..._run`, dropped at the end).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { createEngine } from '../src/main/core/engine'
import { KEY_FILE } from '../src/main/core/secrets'
import { startPostgres, stopAndRemove } from '../tests/helpers/postgres'
import { buildPostgres } from './scale-data'
import { ms } from './scale-flows'

export type BenchServer = { url: string; own: boolean; stop(): void }

/** The server given (its user may create databases; the database its URL names is only connected to), or a new throwaway one. */
export async function openServer(url: string | undefined): Promise<BenchServer> {
  if (url) return { url, own: false, stop() {} }
  const server = await startPostgres()
  return { url: server.url, own: true, stop: () => stopAndRemove(server) }
}

/** `url` with another database name. */
export function databaseUrl(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

async function onServer<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    return await work(c)
  } finally {
    await c.end()
  }
}

/** What the template's comment holds: the organisation's data key (the key file's text) and how the data was built. */
export type Built = { key: string; buildMs: number; at: string }

/** The cached data set of this size, built first when the server has none. */
export async function cachedTemplate(server: BenchServer, users: number, audit: number, buildDir: string): Promise<{ name: string; built: Built }> {
  const name = `tessera_bench_${users}_${audit}`
  const found = await onServer(server.url, (c) =>
    c.query<{ comment: string | null }>("SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1", [name])
  )
  const comment = found.rows[0]?.comment
  if (comment) return { name, built: JSON.parse(comment) as Built }
  const building = `${name}_building`
  await onServer(server.url, async (c) => {
    if (found.rows.length) await c.query(`ALTER DATABASE ${name} IS_TEMPLATE false`).then(() => c.query(`DROP DATABASE ${name} WITH (FORCE)`)) // left unfinished
    await c.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`)
    await c.query(`CREATE DATABASE ${building}`)
  })
  rmSync(buildDir, { recursive: true, force: true })
  mkdirSync(buildDir, { recursive: true })
  const t0 = performance.now()
  const engine = await createEngine({ databaseFile: join(buildDir, 'unused.db'), database: { url: databaseUrl(server.url, building) }, dataDir: buildDir })
  try {
    await buildPostgres(engine, users, audit)
  } finally {
    await engine.close()
  }
  const built: Built = { key: readFileSync(join(buildDir, KEY_FILE), 'utf8'), buildMs: ms(t0), at: new Date().toISOString() }
  await onServer(server.url, async (c) => {
    await c.query(`ALTER DATABASE ${building} RENAME TO ${name}`)
    await c.query(`ALTER DATABASE ${name} IS_TEMPLATE true`)
    await c.query(`COMMENT ON DATABASE ${name} IS ${c.escapeLiteral(JSON.stringify(built))}`)
  })
  rmSync(buildDir, { recursive: true, force: true })
  return { name, built }
}

/** A fresh copy of the template for one run (a file copy of the template's files), and its removal. */
export async function runDatabase(server: BenchServer, template: string): Promise<{ url: string; copyMs: number; drop(): Promise<void> }> {
  const name = `${template}_run`
  const t0 = performance.now()
  await onServer(server.url, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    const version = Number((await c.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v)
    await c.query(`CREATE DATABASE ${name} TEMPLATE ${template}${version >= 150000 ? ' STRATEGY FILE_COPY' : ''}`)
  })
  return { url: databaseUrl(server.url, name), copyMs: ms(t0), drop: () => onServer(server.url, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) }
}

/** A data directory holding only the organisation's data key (a seat's). */
export function seatDir(dir: string, key: string): string {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, KEY_FILE), key, { mode: 0o600 })
  return dir
}

/** One line about the server: version, where, the settings that matter here, the database's size. */
export async function describeServer(url: string): Promise<string> {
  return onServer(url, async (c) => {
    const r = (
      await c.query<Record<string, string>>(
        `SELECT split_part(version(), ' ', 2) AS version, current_setting('shared_buffers') AS shared_buffers, current_setting('fsync') AS fsync,
                current_setting('synchronous_commit') AS synchronous_commit, pg_size_pretty(pg_database_size(current_database())) AS size`
      )
    ).rows[0]!
    const u = new URL(url)
    return `PostgreSQL ${r.version} at ${u.hostname}:${u.port}, database ${u.pathname.slice(1)} (${r.size}); shared_buffers ${r.shared_buffers}, fsync ${r.fsync}, synchronous_commit ${r.synchronous_commit}`
  })
}
