/**
 * Rule: a seat joins the organisation with the key bundle alone: it ends up with exactly the
 * organisation's data key (read back by the same key provider as ever) and its connection settings,
 * both mode 0600, never a password in them; and when anything is wrong it writes nothing at all.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DomainError } from '../../src/main/core/domain-error'
import { keyFingerprint, sealKeyBundle } from '../../src/main/core/key-bundle'
import { fileKeyProvider, KEY_FILE, WRAPPED_KEY_FILE } from '../../src/main/core/secrets'
import { joinSeat, PASSWORD_FILE, readSeatConfig, SEAT_FILE, writeSeatConfig } from '../../src/main/core/seat-config'
import { tempDir } from '../helpers/engine'

const PASSPHRASE = 'purple staple orbit lantern'
const URL = 'postgres://tessera@db.example.org:5432/tessera'
const bundleOf = (key: Buffer) => sealKeyBundle(key, PASSPHRASE, { organisation: 'Example Org', createdAt: 0, createdBy: 'cli:ada@desk-1' }, { kdf: { log2N: 14, r: 8, p: 1 } })
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8)

let tmp: ReturnType<typeof tempDir>
let seat: string
beforeEach(() => {
  tmp = tempDir('tessera-seat-')
  seat = join(tmp.dir, 'seat')
})
afterEach(() => tmp.remove())

/** The DomainError an action rejects with, as `{ code, message }`, in one line. */
async function refusal(action: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await action.then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(DomainError)
  expect((error as Error).message).not.toContain('\n')
  return { code: (error as DomainError).code, message: (error as Error).message }
}

describe('joining a seat', () => {
  it('writes the organisation\'s key, as the key provider reads it, and the settings, both mode 0600', async () => {
    const key = randomBytes(32)
    const passwordFile = join(tmp.dir, 'db.password')
    writeFileSync(passwordFile, 'secret\n', { mode: 0o600 })
    const fingerprint = await joinSeat(seat, { databaseUrl: URL, bundleText: await bundleOf(key), passphrase: PASSPHRASE, passwordFile })
    expect(fingerprint).toBe(keyFingerprint(key))
    expect(fileKeyProvider(seat).dataKey().equals(key)).toBe(true)
    expect(readFileSync(join(seat, KEY_FILE), 'utf8')).toBe(key.toString('base64') + '\n')
    expect(readSeatConfig(seat)).toEqual({ databaseUrl: URL, passwordFile })
    expect(readFileSync(join(seat, SEAT_FILE), 'utf8')).not.toContain('secret')
    expect(readdirSync(seat).sort()).toEqual([KEY_FILE, SEAT_FILE])
    if (process.platform !== 'win32') {
      expect(mode(join(seat, KEY_FILE))).toBe('600')
      expect(mode(join(seat, SEAT_FILE))).toBe('600')
    }
    // Joining again with the same key only rewrites the settings.
    await joinSeat(seat, { databaseUrl: 'postgresql://tessera@db2.example.org/tessera', bundleText: await bundleOf(key), passphrase: PASSPHRASE })
    expect(readSeatConfig(seat)).toEqual({ databaseUrl: 'postgresql://tessera@db2.example.org/tessera' })
    expect(fileKeyProvider(seat).dataKey().equals(key)).toBe(true)
  })

  it('refuses a data directory that holds another organisation\'s key, and writes nothing', async () => {
    const own = fileKeyProvider(tmp.dir).dataKey() // a seat of its own: the key the provider created
    const before = readFileSync(join(tmp.dir, KEY_FILE), 'utf8')
    seat = tmp.dir
    const r = await refusal(joinSeat(seat, { databaseUrl: URL, bundleText: await bundleOf(randomBytes(32)), passphrase: PASSPHRASE }))
    expect(r).toEqual({ code: 'SEAT_HAS_OTHER_KEY', message: 'This seat already holds another organisation\'s data key.' })
    expect(readFileSync(join(tmp.dir, KEY_FILE), 'utf8')).toBe(before)
    expect(readdirSync(tmp.dir)).toEqual([KEY_FILE])
    expect(fileKeyProvider(tmp.dir).dataKey().equals(own)).toBe(true)
  })

  it('refuses a key held by the desktop app\'s keychain, which it cannot compare', async () => {
    writeFileSync(join(tmp.dir, WRAPPED_KEY_FILE), 'wrapped')
    seat = tmp.dir
    expect(await refusal(joinSeat(seat, { databaseUrl: URL, bundleText: await bundleOf(randomBytes(32)), passphrase: PASSPHRASE }))).toMatchObject({ code: 'SEAT_HAS_OTHER_KEY' })
    expect(readdirSync(tmp.dir)).toEqual([WRAPPED_KEY_FILE])
  })

  it('writes nothing for a wrong passphrase, a damaged bundle or bad settings', async () => {
    const bundleText = await bundleOf(randomBytes(32))
    const attempts: [Parameters<typeof joinSeat>[1], string][] = [
      [{ databaseUrl: URL, bundleText, passphrase: 'not the passphrase' }, 'WRONG_PASSPHRASE'],
      [{ databaseUrl: URL, bundleText: bundleText.replace('"version": 1', '"version": 7'), passphrase: PASSPHRASE }, 'KEY_BUNDLE_VERSION'],
      [{ databaseUrl: URL, bundleText: 'not a bundle', passphrase: PASSPHRASE }, 'KEY_BUNDLE_INVALID'],
      [{ databaseUrl: 'postgres://tessera:hunter2@db.example.org/tessera', bundleText, passphrase: PASSPHRASE }, 'INVALID_INPUT'],
      [{ databaseUrl: `${URL}?password=hunter2`, bundleText, passphrase: PASSPHRASE }, 'INVALID_INPUT'],
      [{ databaseUrl: 'mysql://db.example.org/tessera', bundleText, passphrase: PASSPHRASE }, 'INVALID_INPUT'],
      [{ databaseUrl: URL, bundleText, passphrase: PASSPHRASE, caFile: join(tmp.dir, 'no-such-ca.pem') }, 'INVALID_INPUT']
    ]
    for (const [input, code] of attempts) {
      expect((await refusal(joinSeat(seat, input))).code, code).toBe(code)
      expect(existsSync(seat), code).toBe(false)
    }
    // An existing, empty data directory stays empty too.
    mkdirSync(seat)
    expect((await refusal(joinSeat(seat, { databaseUrl: URL, bundleText, passphrase: 'not the passphrase' }))).message).toBe('That passphrase does not open this key bundle.')
    expect(readdirSync(seat)).toEqual([])
    // And the bundle itself was fine all along.
    await expect(joinSeat(seat, { databaseUrl: URL, bundleText, passphrase: PASSPHRASE })).resolves.toMatch(/^[0-9a-f]{32}$/)
  })

  it('keeps a typed password in a 0600 file seat.json names; on a first run the unused key gives way, its wrapped copy too', async () => {
    mkdirSync(seat)
    fileKeyProvider(seat).dataKey() // the key this machine made for itself at its first start
    writeFileSync(join(seat, WRAPPED_KEY_FILE), 'wrapped by the keychain')
    const key = randomBytes(32)
    await joinSeat(seat, { databaseUrl: URL, bundleText: await bundleOf(key), passphrase: PASSPHRASE, password: 'hunter2 hunter2', replaceUnusedKey: true })
    expect(readSeatConfig(seat)).toEqual({ databaseUrl: URL, passwordFile: join(seat, PASSWORD_FILE) })
    expect(readFileSync(join(seat, PASSWORD_FILE), 'utf8')).toBe('hunter2 hunter2\n')
    expect(readFileSync(join(seat, SEAT_FILE), 'utf8')).not.toContain('hunter2')
    expect(fileKeyProvider(seat).dataKey().equals(key)).toBe(true)
    expect(readdirSync(seat).sort()).toEqual([KEY_FILE, PASSWORD_FILE, SEAT_FILE].sort())
    if (process.platform !== 'win32') expect(mode(join(seat, PASSWORD_FILE))).toBe('600')
    const r = await refusal(joinSeat(tmp.dir, { databaseUrl: URL, bundleText: await bundleOf(key), passphrase: PASSPHRASE, password: 'two\nlines' }))
    expect(r).toEqual({ code: 'INVALID_INPUT', message: 'Database password: type it on one line.' })
  })

  it('takes back what it wrote when a later file cannot be written: the unused key stays as it was', async () => {
    mkdirSync(seat)
    fileKeyProvider(seat).dataKey()
    const unused = readFileSync(join(seat, KEY_FILE), 'utf8')
    mkdirSync(join(seat, SEAT_FILE)) // seat.json cannot be written: a folder, not empty, stands in its place
    writeFileSync(join(seat, SEAT_FILE, 'keep'), '')
    await expect(joinSeat(seat, { databaseUrl: URL, bundleText: await bundleOf(randomBytes(32)), passphrase: PASSPHRASE, password: 'hunter2', replaceUnusedKey: true })).rejects.toThrow()
    expect(readFileSync(join(seat, KEY_FILE), 'utf8')).toBe(unused)
    expect(readdirSync(seat).sort()).toEqual([KEY_FILE, SEAT_FILE])
  })

  it('names the problem with the address in plain words', async () => {
    const bundleText = await bundleOf(randomBytes(32))
    const r = await refusal(joinSeat(seat, { databaseUrl: 'postgres://tessera:hunter2@db.example.org/tessera', bundleText, passphrase: PASSPHRASE }))
    expect(r.message).toBe('Database address: Leave the password out of it; the password is kept apart, in a password file.')
    expect(r.message).not.toContain('hunter2')
  })
})

describe('the seat\'s settings file', () => {
  it('is absent on a machine of its own, and written whole with mode 0600', () => {
    expect(readSeatConfig(tmp.dir)).toBeNull()
    writeSeatConfig(tmp.dir, { databaseUrl: URL, caFile: '/etc/ssl/certs/org-ca.pem' })
    expect(readSeatConfig(tmp.dir)).toEqual({ databaseUrl: URL, caFile: '/etc/ssl/certs/org-ca.pem' })
    expect(readdirSync(tmp.dir)).toEqual([SEAT_FILE])
    if (process.platform !== 'win32') expect(mode(join(tmp.dir, SEAT_FILE))).toBe('600')
  })

  it('refuses a password, a relative path, and a damaged file, in one line each', async () => {
    expect(() => writeSeatConfig(tmp.dir, { databaseUrl: 'postgres://u:pw@db/tessera' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', field: 'databaseUrl' }))
    expect(() => writeSeatConfig(tmp.dir, { databaseUrl: URL, passwordFile: 'db.password' })).toThrow('Password file: Give the full path of the file.')
    expect(readdirSync(tmp.dir)).toEqual([])
    const path = join(tmp.dir, SEAT_FILE)
    for (const [text, why] of [
      ['{"databaseUrl": ', 'it is not JSON'],
      ['{}', 'Database address: '],
      [JSON.stringify({ databaseUrl: URL, password: 'hunter2' }), 'Not a setting Tessera knows: password.']
    ]) {
      writeFileSync(path, text!)
      const r = await refusal(Promise.resolve().then(() => readSeatConfig(tmp.dir)))
      expect(r.code).toBe('SEAT_CONFIG_INVALID')
      expect(r.message).toContain(`The seat's connection settings in ${path} are damaged (${why}`)
      expect(r.message).not.toContain('hunter2')
    }
  })
})
