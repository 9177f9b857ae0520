/**
 * Rule: `seat export-key` writes the engine's data key only sealed by a passphrase read twice from
 * standard input, to a new file of mode 0600; any mistake in how it is called is exit 2 and writes
 * no file.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { main } from '../../src/main/cli/index'
import { keyFingerprint, openKeyBundle } from '../../src/main/core/key-bundle'
import { fileKeyProvider } from '../../src/main/core/secrets'
import { tempDir } from '../helpers/engine'

const PASSPHRASE = 'purple staple orbit lantern'

let dir: ReturnType<typeof tempDir>
beforeEach(() => void (dir = tempDir('tessera-seat-cli-')))
afterEach(() => dir.remove())

async function cli(args: string[], stdin = '') {
  const out: string[] = []
  const err: string[] = []
  const code = await main(['--data-dir', dir.dir, ...args], { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => stdin })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

const init = async () => expect(await cli(['init', '--admin', 'ada', '--email', 'ada@example.org', '--password-stdin'], 'analytical engine notes\n')).toMatchObject({ code: 0 })

describe('seat export-key', () => {
  it('writes a bundle that opens with the passphrase and yields the engine\'s data key', async () => {
    await init()
    const file = join(dir.dir, 'org.tessera-key')
    const r = await cli(['seat', 'export-key', '--out', file, '--organisation', 'Example Org'], `${PASSPHRASE}\n${PASSPHRASE}\n`)
    const key = fileKeyProvider(dir.dir).dataKey()
    expect(r).toEqual({
      code: 0,
      out: [`exported the data key to ${file}`, `fingerprint: ${keyFingerprint(key)}`, `on the new seat: tessera seat join --database-url URL --key-bundle ${file}`].join('\n'),
      err: ''
    })
    if (process.platform !== 'win32') expect((statSync(file).mode & 0o777).toString(8)).toBe('600')
    const opened = await openKeyBundle(readFileSync(file, 'utf8'), PASSPHRASE)
    expect(opened.dataKey.equals(key)).toBe(true)
    expect(opened.meta).toMatchObject({ organisation: 'Example Org', createdBy: expect.stringMatching(/^cli:.+@.+$/) })
    expect(JSON.parse(readFileSync(file, 'utf8')).kdf).toMatchObject({ N: 2 ** 17, r: 8, p: 1 })
  })

  it('refuses mismatched, missing or short passphrases with exit 2, and writes no file', async () => {
    await init()
    const file = join(dir.dir, 'org.tessera-key')
    const cases: [string, string][] = [
      [`${PASSPHRASE}\n${PASSPHRASE}!\n`, 'error: the two passphrases on standard input differ'],
      [`${PASSPHRASE}\n`, 'error: no repeated passphrase on line 2 of standard input'],
      ['', 'error: no passphrase on line 1 of standard input'],
      ['short one\nshort one\n', 'error: Choose a passphrase of at least 15 characters (this one has 9).']
    ]
    for (const [stdin, first] of cases) {
      const r = await cli(['seat', 'export-key', '--out', file], stdin)
      expect(r.code).toBe(2)
      expect(r.err.split('\n')[0]).toBe(first)
      expect(r.out).toBe('')
      expect(existsSync(file)).toBe(false)
    }
  })

  it('never writes over an existing file, and needs --out', async () => {
    await init()
    const file = join(dir.dir, 'taken.txt')
    writeFileSync(file, 'keep me')
    expect(await cli(['seat', 'export-key', '--out', file], `${PASSPHRASE}\n${PASSPHRASE}\n`)).toMatchObject({ code: 2, err: expect.stringContaining('already exists') })
    expect(readFileSync(file, 'utf8')).toBe('keep me')
    expect(await cli(['seat', 'export-key'], `${PASSPHRASE}\n${PASSPHRASE}\n`)).toMatchObject({ code: 2, err: expect.stringContaining('--out FILE') })
  })

  it('explains itself, and needs an initialised database', async () => {
    const help = await cli(['seat', 'export-key', '--help'])
    expect(help.code).toBe(0)
    expect(help.out).toContain('usage: tessera seat export-key --out FILE')
    expect(help.out).toContain('twice from standard input')
    const file = join(dir.dir, 'org.tessera-key')
    expect(await cli(['seat', 'export-key', '--out', file], `${PASSPHRASE}\n${PASSPHRASE}\n`)).toMatchObject({ code: 1, err: expect.stringContaining('run "init" first') })
    expect(existsSync(file)).toBe(false)
  })
})
