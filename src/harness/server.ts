/**
 * The browser harness: the real engine and handler table, in the same worker thread the app uses,
 * served to a browser over loopback so the renderer runs in Chromium against a real SQLite file. A development and test tool only: it is
 * never bundled into the app, binds 127.0.0.1 only, and every call needs a per-run random token
 * (exchanged once for an HttpOnly, SameSite=Strict connection cookie).
 */
import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { CHANNELS, type Channel } from '../shared/contract'
import type { ScryptParams } from '../main/core/passwords'
import { databaseFile } from '../main/data-dir'
import type { DatabaseTarget } from '../main/database-target'
import type { SaveTarget } from '../main/ipc/handlers'
import { EXPORT_CHANNELS, startEngineHost, type EngineHost } from '../main/worker/engine-host'

/** A clock the tests move; the harness mirrors every move into the worker's clock. */
export type MovableClock = { now(): number; set(ms: number): void; advance(ms: number): void }

export type HarnessOptions = {
  dataDir: string
  /** 0 picks a free port. */
  port?: number
  rendererDir?: string
  workstationId?: string
  passwordParams?: ScryptParams
  clock?: MovableClock
  /** Tests: allow `host.inspect` (engine calls from the test). */
  testHooks?: boolean
  /** A shared PostgreSQL database (a seat of many); without it, the data directory's SQLite file. */
  database?: DatabaseTarget
  /** Every screen in the pseudo-locale (tests; else TESSERA_PSEUDO_LOCALE=1). */
  pseudoLocale?: boolean
}

export type Harness = {
  url: string
  origin: string
  dataDir: string
  host: EngineHost
  clock: MovableClock | null
  /** What the operator should know about the data directory (e.g. readable by others). */
  warnings: string[]
  close(): Promise<void>
}

const DEV_WORKER = new URL('../main/worker/dev-worker.mjs', import.meta.url)

/** Every move of the tests' clock goes to the worker's too (in order with the calls that follow). */
function mirror(clock: MovableClock, host: EngineHost): void {
  const { set, advance } = clock
  clock.set = (ms) => {
    set(ms)
    host.setClock(clock.now())
  }
  clock.advance = (ms) => {
    advance(ms)
    host.setClock(clock.now())
  }
}

const COOKIE = 'tessera_conn'
const DOWNLOAD_PATH = '/__harness/download/'
const MAX_BODY_BYTES = 1_000_000
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2'
}

/** window.api over fetch: same shape as the preload's, built from the same channel list. */
const BRIDGE = `(() => {
  const call = (channel) => async (input) => {
    const res = await fetch('/api/' + encodeURIComponent(channel), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input ?? {})
    });
    return res.json();
  };
  window.api = Object.freeze(Object.fromEntries(${JSON.stringify(CHANNELS)}.map((c) => [c, call(c)])));
})();`

function cookieOf(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=')
    if (k === COOKIE) return v
  }
  return undefined
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new Error('body too large')
    chunks.push(chunk as Buffer)
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const rendererDir = resolve(options.rendererDir ?? 'out/renderer')
  // The engine starts once the port is known: security keys are bound to this origin.
  let host: EngineHost = null as unknown as EngineHost
  const token = randomBytes(24).toString('base64url')
  const connections = new Set<string>()
  const workstationId = options.workstationId ?? 'harness'
  let origin = ''

  function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
    res.writeHead(status, {
      'content-type': type,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer'
    })
    res.end(body)
  }

  async function serveStatic(res: ServerResponse, path: string): Promise<void> {
    const file = normalize(join(rendererDir, path === '/' ? 'index.html' : decodeURIComponent(path)))
    if (!file.startsWith(rendererDir + sep)) return send(res, 404, 'text/plain', 'not found')
    try {
      let body: string | Buffer = await readFile(file)
      if (file.endsWith('index.html')) {
        body = body.toString('utf8').replace('<script', '<script src="/__harness/bridge.js"></script>\n    <script')
      }
      send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', body)
    } catch {
      send(res, 404, 'text/plain', 'not found')
    }
  }

  // Exports are written to files of their own, then streamed to the browser as a download.
  const exportsDir = join(options.dataDir, 'exports')
  let exportCount = 0
  async function saveTo(kind: 'users' | 'audit'): Promise<SaveTarget> {
    await mkdir(exportsDir, { recursive: true, mode: 0o700 })
    const name = `tessera-${kind}-${new Date().toISOString().slice(0, 10)}-${++exportCount}.csv`
    return { file: join(exportsDir, name), download: `${DOWNLOAD_PATH}${name}` }
  }

  function download(res: ServerResponse, name: string): void {
    if (!/^tessera-(users|audit)-[\d-]+\.csv$/.test(name)) return send(res, 404, 'text/plain', 'not found')
    const file = createReadStream(join(exportsDir, name))
    file.once('error', () => send(res, 404, 'text/plain', 'not found'))
    file.once('open', () => {
      res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
      file.pipe(res)
    })
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin)
    // Refuse anything not addressed to our own loopback origin (DNS rebinding, cross-site calls).
    if (req.headers.host !== new URL(origin).host) return send(res, 421, 'text/plain', 'wrong host')
    if (req.headers.origin !== undefined && req.headers.origin !== origin) return send(res, 403, 'text/plain', 'wrong origin')

    if (url.searchParams.get('token') === token) {
      const id = randomBytes(24).toString('base64url')
      connections.add(id)
      res.writeHead(303, { location: '/', 'set-cookie': `${COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/` })
      return void res.end()
    }
    const conn = cookieOf(req) ?? ''
    if (!connections.has(conn)) return send(res, 401, 'text/plain', 'Open the address printed by `npm run web`: it carries the access token.')

    if (req.method === 'POST' && url.pathname.startsWith('/api/')) {
      let input: unknown
      try {
        input = await readBody(req)
      } catch {
        return send(res, 400, 'application/json', JSON.stringify({ ok: false, code: 'INVALID_INPUT', message: 'The request body is not JSON.' }))
      }
      const channel = decodeURIComponent(url.pathname.slice('/api/'.length))
      const result = await host.call(conn, workstationId, channel, input, EXPORT_CHANNELS[channel as Channel] ? await saveTo(EXPORT_CHANNELS[channel as Channel]!) : null)
      return send(res, 200, 'application/json', JSON.stringify(result))
    }
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'method not allowed')
    if (url.pathname === '/__harness/bridge.js') return send(res, 200, TYPES['.js']!, BRIDGE)
    if (url.pathname.startsWith(DOWNLOAD_PATH)) return download(res, url.pathname.slice(DOWNLOAD_PATH.length))
    return serveStatic(res, url.pathname)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('[harness]', error)
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error')
    })
  })
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(options.port ?? 0, '127.0.0.1', () => ok())
  })
  // "localhost", not 127.0.0.1: WebAuthn needs a secure context and an RP ID that is a domain name.
  origin = `http://localhost:${(server.address() as AddressInfo).port}`
  host = await startEngineHost(DEV_WORKER, {
    databaseFile: databaseFile(options.dataDir),
    database: options.database,
    dataDir: options.dataDir,
    passwordParams: options.passwordParams,
    testClockStart: options.clock?.now(),
    testHooks: options.testHooks,
    relyingParty: { id: 'localhost', origins: [origin] },
    // The browser has its own languages (navigator.languages): the renderer reads them.
    languages: { system: [], pseudo: options.pseudoLocale ?? process.env['TESSERA_PSEUDO_LOCALE'] === '1' }
  })
  if (options.clock) mirror(options.clock, host)
  return {
    url: `${origin}/?token=${token}`,
    origin,
    dataDir: options.dataDir,
    host,
    clock: options.clock ?? null,
    warnings: host.warnings,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((ok) => server.close(() => ok()))
      await host.close()
    }
  }
}
