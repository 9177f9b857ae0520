/**
 * A real PostgreSQL server for the tests: Debian's binaries, a new cluster in a temporary
 * directory, listening on a free loopback port only, stopped at the end. As root (CI) the cluster
 * belongs to the `postgres` user, since initdb refuses to run as root.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

export type TestPostgres = { url: string; port: number; dir: string; stop(): void; start(): void }

function binDir(): string {
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : []
  if (!versions[0]) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql: apt-get install postgresql (or set TESSERA_TEST_DATABASE_URL).')
  return join(root, versions[0], 'bin')
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

/** Starts a new cluster; `stop()` and `start()` stop and restart it on the same port (fault tests). */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = binDir()
  const dir = mkdtempSync(join(tmpdir(), 'tessera-pg-'))
  const asRoot = process.getuid?.() === 0
  const run = (cmd: string, args: string[]) =>
    asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe' }) : execFileSync(join(bin, cmd), args, { stdio: 'pipe' })
  if (asRoot) {
    const { uid, gid } = userIds('postgres')
    chownSync(dir, uid, gid)
  }
  chmodSync(dir, 0o700)
  const data = join(dir, 'data')
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'tessera', '-E', 'UTF8', '--no-instructions'])
  const port = await freePort()
  const options = `-k ${dir} -p ${port} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`
  const start = () => void run('pg_ctl', ['-D', data, '-w', '-l', join(dir, 'log'), '-o', options, 'start'])
  const stop = () => void run('pg_ctl', ['-D', data, '-w', '-m', 'fast', 'stop'])
  start()
  return {
    url: `postgres://tessera@127.0.0.1:${port}/postgres`,
    port,
    dir,
    stop,
    start
  }
}

function userIds(name: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, name]).toString().trim())
  return { uid: id('-u'), gid: id('-g') }
}

export function stopAndRemove(server: TestPostgres): void {
  try {
    server.stop()
  } finally {
    rmSync(server.dir, { recursive: true, force: true })
  }
}

let counter = 0

/** A fresh, empty database on the server at `serverUrl`, and a way to drop it. */
export async function freshDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl })
      await c.connect()
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await c.end()
      }
    }
  }
}
