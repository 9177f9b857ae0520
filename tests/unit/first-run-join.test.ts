/**
 * Rule: a first-run machine joins an existing organisation from its first screen, as `tessera seat
 * join` makes a seat, through the same engine thread the app runs: everything is checked first
 * (the fields, the bundle and its passphrase, the server, the organisation's key), each refusal one
 * line told beside its field, with nothing written; then the seat's files are written (the typed
 * database password in a 0600 file, never in seat.json), the running engine moves to the
 * organisation's database without a restart, the organisation's users log in, and its audit log
 * says that this seat joined and where. A machine already set up is refused.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import { createEngine } from '../../src/main/core/engine'
import { keyFingerprint, sealKeyBundle } from '../../src/main/core/key-bundle'
import { KEY_FILE, WRAPPED_KEY_FILE } from '../../src/main/core/secrets'
import { PASSWORD_FILE, readSeatConfig, SEAT_FILE } from '../../src/main/core/seat-config'
import { databaseTarget } from '../../src/main/database-target'
import { startEngineHost, type EngineHost } from '../../src/main/worker/engine-host'
import type { WorkerOptions } from '../../src/main/worker/protocol'
import { ADMIN } from '../helpers/caller'
import { TEST_SCRYPT, tempDir } from '../helpers/engine'
import { freePort, freshDatabase } from '../helpers/postgres'

const DEV_WORKER = new URL('../../src/main/worker/dev-worker.mjs', import.meta.url)
const PASSPHRASE = 'purple staple orbit lantern'
const DB_PASSWORD = 'kiosk database secret'
const WORKSTATION = 'kiosk-7'
/** A cheap bundle cost for tests; the production cost (2^17) is the CLI tests'. */
const sealed = (key: Buffer) => sealKeyBundle(key, PASSPHRASE, { organisation: 'Example Org', createdAt: 0, createdBy: 'cli:ada@desk-1' }, { kdf: { log2N: 14, r: 8, p: 1 } })

let db: Awaited<ReturnType<typeof freshDatabase>>
let orgKey: Buffer
let bundleText: string
const dirs: ReturnType<typeof tempDir>[] = []
const newDir = () => dirs[dirs.push(tempDir('tessera-first-run-')) - 1]!.dir

/** The organisation: its first seat on the shared database, its administrator, and its key in a bundle. */
beforeAll(async () => {
  db = await freshDatabase(inject('postgresUrl'))
  const dir = newDir()
  const engine = await createEngine({ databaseFile: join(dir, 'tessera.db'), database: { url: db.url }, dataDir: dir, passwordParams: TEST_SCRYPT })
  await engine.accounts.createFirstAdmin(ADMIN)
  orgKey = Buffer.from(engine.keys.dataKey())
  await engine.close()
  bundleText = await sealed(orgKey)
})
afterAll(async () => {
  dirs.forEach((d) => d.remove())
  await db.drop()
})

let seat: string
let host: EngineHost
const start = (options: Partial<WorkerOptions> = {}) =>
  startEngineHost(DEV_WORKER, { databaseFile: join(seat, 'tessera.db'), dataDir: seat, passwordParams: TEST_SCRYPT, testHooks: true, ...options })
const call = (channel: string, input: unknown = {}) => host.call('window-1', WORKSTATION, channel, input)
const form = (over: Record<string, string> = {}) => ({ databaseUrl: db.url, password: DB_PASSWORD, caFile: '', bundleText, passphrase: PASSPHRASE, ...over })
/** What is in the data directory: each file's name and content (the SQLite files' names only: their pages are the engine's). */
const contents = () => readdirSync(seat).sort().map((name) => (name.startsWith('tessera.db') ? [name] : [name, readFileSync(join(seat, name)).toString('base64')]))

beforeEach(async () => {
  seat = newDir()
  host = await start()
})
afterEach(() => host.close())

describe('joining an existing organisation from the first-run screen', () => {
  it('moves the running engine to the organisation\'s database, whose users then log in, and records the join there', async () => {
    expect(await call('app:status')).toMatchObject({ ok: true, value: { initialized: false, canJoin: true } })
    const joined = await call('setup:join-organisation', form())
    expect(joined).toEqual({ ok: true, value: { address: expect.stringMatching(/^postgres:\/\/tessera@127\.0\.0\.1:\d+\/t_/), fingerprint: keyFingerprint(orgKey) } })

    // No restart: the same thread now answers from the organisation's database.
    expect(await call('app:status')).toMatchObject({ ok: true, value: { initialized: true, canJoin: false, session: null } })
    expect(await call('auth:login', { identifier: ADMIN.username, password: ADMIN.password })).toMatchObject({ ok: true, value: { session: { user: { username: 'ada' } } } })
    const row = await host.inspect('sql.get', "SELECT actor, workstation, details FROM audit_log WHERE event = 'seat.joined'")
    expect(row).toMatchObject({ actor: null, workstation: WORKSTATION })
    expect(JSON.parse((row as { details: string }).details)).toEqual({ via: 'first-run', address: (joined as { value: { address: string } }).value.address, fingerprint: keyFingerprint(orgKey) })

    // The seat's settings name the password's file, never the password; the file is this account's alone.
    const passwordFile = join(seat, PASSWORD_FILE)
    expect(readSeatConfig(seat)).toEqual({ databaseUrl: db.url, passwordFile })
    expect(readFileSync(join(seat, SEAT_FILE), 'utf8')).not.toContain(DB_PASSWORD)
    expect(readFileSync(passwordFile, 'utf8')).toBe(`${DB_PASSWORD}\n`)
    expect(readFileSync(join(seat, KEY_FILE), 'utf8')).toBe(`${orgKey.toString('base64')}\n`)
    if (process.platform !== 'win32') for (const f of [passwordFile, join(seat, KEY_FILE), join(seat, SEAT_FILE)]) expect((statSync(f).mode & 0o777).toString(8)).toBe('600')

    // Joined once: not again.
    expect(await call('setup:join-organisation', form())).toMatchObject({ ok: false, code: 'ALREADY_SET_UP' })
    // And the next start finds the organisation by the seat's settings alone, as the app and the harness do.
    await host.close()
    host = await start({ database: databaseTarget(seat, {}, {})! })
    expect(await call('app:status')).toMatchObject({ ok: true, value: { initialized: true, canJoin: false } })
  })

  it('replaces the desktop app\'s keychain-wrapped key of the first start, which protects nothing yet', async () => {
    // As the app starts: its main process made a key, wrapped it (data.key.safe) and gave it to the engine's thread.
    await host.close()
    seat = newDir()
    writeFileSync(join(seat, WRAPPED_KEY_FILE), 'wrapped by safeStorage', { mode: 0o600 })
    host = await start({ dataKey: { key: new Uint8Array(randomBytes(32)), protection: 'safeStorage (test)' } })
    expect(await call('setup:join-organisation', form({ password: '' }))).toMatchObject({ ok: true })
    expect(existsSync(join(seat, WRAPPED_KEY_FILE))).toBe(false)
    expect(existsSync(join(seat, PASSWORD_FILE))).toBe(false) // no password: no file, none named
    expect(readSeatConfig(seat)).toEqual({ databaseUrl: db.url })
    expect(await call('auth:login', { identifier: ADMIN.email, password: ADMIN.password })).toMatchObject({ ok: true })
  })

  it('shows every problem of the form at once, each beside its field, in plain words', async () => {
    const r = await call('setup:join-organisation', form({ databaseUrl: 'postgres://tessera:hunter2@db.example.org/tessera', caFile: 'ca.pem', bundleText: ' ', passphrase: '' }))
    expect(r).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      fields: {
        databaseUrl: 'Leave the password out of it; the password is kept apart, in a password file.',
        caFile: 'Give the full path of the file.',
        bundleText: 'Choose the key bundle file, or paste its text.',
        passphrase: 'Enter the passphrase the key bundle was exported with.'
      }
    })
    expect(JSON.stringify(r)).not.toContain('hunter2')
    expect((await call('setup:join-organisation', form({ databaseUrl: 'mysql://db.example.org/tessera' }))) as unknown).toMatchObject({ fields: { databaseUrl: 'Enter a postgres:// address, like postgres://tessera@db.example.org/tessera.' } })
  })

  it('refuses, in one line beside the field concerned and writing nothing, whatever is wrong', async () => {
    const empty = await freshDatabase(inject('postgresUrl'))
    const cert = join(newDir(), 'org-ca.pem')
    writeFileSync(cert, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')
    const noDatabase = new URL(db.url)
    noDatabase.pathname = '/no_such_database'
    const cases: [Record<string, string>, string, string, RegExp][] = [
      [{ passphrase: 'not the passphrase at all' }, 'WRONG_PASSPHRASE', 'passphrase', /^That passphrase does not open this key bundle\.$/],
      [{ bundleText: bundleText.slice(0, 200) }, 'KEY_BUNDLE_DAMAGED', 'bundleText', /^This key bundle is damaged \(it is not complete JSON\)/],
      [{ bundleText: 'hello' }, 'KEY_BUNDLE_INVALID', 'bundleText', /^This file is not a Tessera key bundle\.$/],
      [{ bundleText: await sealed(randomBytes(32)) }, 'KEY_MISMATCH', 'bundleText', /^This key bundle holds another key than the organisation's at postgres:\/\/tessera@127\.0\.0\.1/],
      [{ databaseUrl: `postgres://tessera@127.0.0.1:${await freePort()}/tessera` }, 'DATABASE_UNAVAILABLE', 'databaseUrl', /^The database server at postgres:\/\/tessera@127\.0\.0\.1:\d+\/tessera cannot be reached: check the address/],
      [{ databaseUrl: noDatabase.toString() }, 'DATABASE_REFUSED', 'databaseUrl', /^There is no database no_such_database on the server at 127\.0\.0\.1:\d+: check the address\.$/],
      [{ databaseUrl: empty.url }, 'NOT_INITIALIZED', 'databaseUrl', /holds no organisation yet/],
      [{ caFile: cert }, 'DATABASE_REFUSED', 'caFile', /does not accept TLS connections: leave the CA certificate out/],
      [{ caFile: join(seat, 'missing-ca.pem') }, 'INVALID_INPUT', 'caFile', /^CA certificate file: \/.+missing-ca\.pem is missing or not a file\.$/]
    ]
    const before = contents()
    for (const [over, code, field, message] of cases) {
      const r = await call('setup:join-organisation', form(over))
      expect(r, code).toMatchObject({ ok: false, code, field, message: expect.stringMatching(message) })
      expect((r as { message: string }).message, code).not.toContain('\n')
      expect(contents(), code).toEqual(before)
    }
    // Still a first run, still its own database.
    expect(await call('app:status')).toMatchObject({ ok: true, value: { initialized: false, canJoin: true } })
    await empty.drop()
  })

  it('is not offered, and refused, on a machine already set up', async () => {
    expect(await call('setup:create-admin', { ...ADMIN, username: 'grace', email: 'grace@example.org' })).toMatchObject({ ok: true })
    expect(await host.call('window-2', WORKSTATION, 'app:status', {})).toMatchObject({ ok: true, value: { initialized: true, canJoin: false } })
    const before = contents()
    expect(await host.call('window-2', WORKSTATION, 'setup:join-organisation', form())).toEqual({
      ok: false,
      code: 'ALREADY_SET_UP',
      message: 'This machine already has users: it can join an organisation only on its first start, with an empty data folder.',
      words: { id: 'staffRefusals.notFirstStart', params: { why: 'users' } }
    })
    expect(contents()).toEqual(before)
  })
})
