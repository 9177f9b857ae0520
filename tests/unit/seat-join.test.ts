/**
 * Rule: a machine becomes a seat of the organisation only with the organisation's data key. The
 * first seat on a PostgreSQL database records its key's fingerprint; `seat join` takes the key from
 * a bundle another seat exported, checks it against the database before writing anything, and
 * leaves the seat's settings (seat.json, no password) so every later command finds the database.
 * A seat with no key or another key says so in one line and writes nothing; so does a server that
 * cannot be reached.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest'
import { main } from '../../src/main/cli/index'
import { freePort, freshDatabase } from '../helpers/postgres'
import { tempDir } from '../helpers/engine'

const PASSPHRASE = 'purple staple orbit lantern'
const ADMIN_PASSWORD = 'analytical engine notes'

let dirs: ReturnType<typeof tempDir>[] = []
let db: Awaited<ReturnType<typeof freshDatabase>>
beforeEach(async () => void (db = await freshDatabase(inject('postgresUrl'))))
afterEach(async () => {
  dirs.forEach((d) => d.remove())
  dirs = []
  await db.drop()
})

const seatDir = () => {
  const d = tempDir('tessera-seat-')
  dirs.push(d)
  return d.dir
}

async function cli(dataDir: string, args: string[], stdin = '') {
  const out: string[] = []
  const err: string[] = []
  const code = await main(['--data-dir', dataDir, ...args], { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => stdin })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

/** The first seat: the organisation's administrator, and its key exported to a bundle. */
async function firstSeat(): Promise<{ dir: string; bundle: string }> {
  const dir = seatDir()
  expect(await cli(dir, ['init', '--database-url', db.url, '--admin', 'ada', '--email', 'ada@example.org', '--password-stdin'], `${ADMIN_PASSWORD}\n`)).toMatchObject({ code: 0 })
  const bundle = join(dir, 'org.tessera-key')
  expect(await cli(dir, ['seat', 'export-key', '--database-url', db.url, '--out', bundle], `${PASSPHRASE}\n${PASSPHRASE}\n`)).toMatchObject({ code: 0 })
  return { dir, bundle }
}

describe('seats on one PostgreSQL database', () => {
  it('joins a seat with the bundle; the seat then finds the shared directory by itself', async () => {
    const { bundle } = await firstSeat()
    const seat = seatDir()
    const joined = await cli(seat, ['seat', 'join', '--database-url', db.url, '--key-bundle', bundle], `${PASSPHRASE}\n`)
    expect(joined).toMatchObject({ code: 0, out: expect.stringContaining('this seat joined the organisation at postgres://tessera@127.0.0.1') })
    // The key, the settings, and the audit chain's head this seat saw when its joining was recorded.
    expect(readdirSync(seat).sort()).toEqual(['audit-anchor.json', 'data.key', 'seat.json'])
    expect(await cli(seat, ['user', 'add', 'grace', '--email', 'grace@example.org', '--password-stdin'], 'correct horse battery staple\n')).toMatchObject({ code: 0 })
    const listed = await cli(seat, ['user', 'list', '--json'])
    expect(JSON.parse(listed.out).map((u: { username: string }) => u.username).sort()).toEqual(['ada', 'grace'])
    const audit = await cli(seat, ['audit', 'list', '--json'])
    // The organisation's audit log says that this machine joined, and how.
    const rows = JSON.parse(audit.out) as { event: string; actor: string; workstation: string; details: Record<string, unknown> }[]
    expect(rows.find((r) => r.event === 'seat.joined')).toMatchObject({
      actor: expect.stringMatching(/^cli:.+@/),
      workstation: hostname(),
      details: { via: 'cli', address: expect.stringMatching(/^postgres:\/\/tessera@127\.0\.0\.1:\d+\//) }
    })
  })

  it('refuses a seat with no key or another key, in one line, writing nothing', async () => {
    await firstSeat()
    const empty = seatDir()
    const noKey = await cli(empty, ['user', 'list', '--database-url', db.url])
    expect(noKey).toEqual({ code: 1, out: '', err: 'error: This seat holds no data key yet: join it to the organisation with "tessera seat join" and the key bundle an administrator exported.' })
    expect(readdirSync(empty)).toEqual([])
    const other = seatDir()
    writeFileSync(join(other, 'data.key'), Buffer.alloc(32, 7).toString('base64') + '\n', { mode: 0o600 })
    const wrong = await cli(other, ['user', 'add', 'mallory', '--email', 'm@example.org', '--password-stdin', '--database-url', db.url], 'correct horse battery staple\n')
    expect(wrong).toMatchObject({ code: 1, err: expect.stringMatching(/^error: This seat's data key is not the organisation's key/) })
    expect(wrong.err.split('\n')).toHaveLength(1)
    const listed = await cli(seatDir(), ['seat', 'join', '--database-url', db.url, '--key-bundle', join(other, 'nothing')], `${PASSPHRASE}\n`)
    expect(listed.code).toBe(2)
  })

  it('writes nothing when the passphrase is wrong or the database holds no organisation', async () => {
    const { bundle } = await firstSeat()
    const seat = seatDir()
    expect(await cli(seat, ['seat', 'join', '--database-url', db.url, '--key-bundle', bundle], 'not the passphrase at all\n')).toMatchObject({ code: 1, err: 'error: That passphrase does not open this key bundle.' })
    expect(readdirSync(seat)).toEqual([])
    const empty = await freshDatabase(inject('postgresUrl'))
    const r = await cli(seat, ['seat', 'join', '--database-url', empty.url, '--key-bundle', bundle], `${PASSPHRASE}\n`)
    expect(r).toMatchObject({ code: 1, err: expect.stringMatching(/holds no organisation yet/) })
    expect(readdirSync(seat)).toEqual([])
    await empty.drop()
  })

  it('says in one line that the server cannot be reached, and refuses a password on the command line', async () => {
    const seat = seatDir()
    const away = `postgres://tessera@127.0.0.1:${await freePort()}/tessera`
    expect(await cli(seat, ['user', 'list', '--database-url', away])).toEqual({ code: 1, out: '', err: 'error: The database server cannot be reached. Tessera keeps trying: try again in a moment.' })
    const withPassword = await cli(seat, ['user', 'list', '--database-url', 'postgres://tessera:secret@127.0.0.1/tessera'])
    expect(withPassword).toMatchObject({ code: 1, err: expect.stringMatching(/holds a password: put it in a file/) })
    expect(existsSync(join(seat, 'data.key'))).toBe(false)
  })
})
