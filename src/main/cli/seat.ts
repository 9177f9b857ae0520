/** CLI commands for several seats on one PostgreSQL database: the data key's bundle. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { createEngine } from '../core/engine'
import { joinOrganisation, recordSeatJoined } from '../core/join-organisation'
import { keyFingerprint, passphraseProblem, sealKeyBundle } from '../core/key-bundle'
import { databaseFile } from '../data-dir'
import { OWNER_ONLY_FILE } from '../core/file-modes'
import { cliOperator, command, outFile, readSecrets, UsageError, type Command } from './args'

/** Lengths in characters, as the bundle's own check has them. */
const MAX_ORGANISATION_CHARS = 200

const exportKey = command({
  name: 'seat export-key',
  usage: '--out FILE [--organisation NAME]',
  summary: 'write the data key to a passphrase-protected bundle, to add a seat',
  details: [
    'Reads the passphrase twice from standard input, one per line (at least 15 characters).',
    'Anyone with the file and its passphrase can open every stored secret: keep them apart,',
    'give the passphrase by another channel, and delete the file once the seat has joined.',
    'On the new seat: tessera seat join --database-url URL --key-bundle FILE'
  ],
  options: {
    out: { type: 'string', value: 'FILE', help: 'the bundle to write (never over an existing file)' },
    organisation: { type: 'string', value: 'NAME', help: 'a name shown to whoever imports it' }
  },
  positionals: 0,
  async prepare({ values }, io) {
    if (!values.out) throw new UsageError('give the bundle to write with --out FILE')
    const out = outFile(values.out)
    if (existsSync(out)) throw new UsageError(`${values.out} already exists: choose another file, or remove it first`)
    const organisation = values.organisation?.trim() || undefined
    if (organisation && [...organisation].length > MAX_ORGANISATION_CHARS) throw new UsageError(`--organisation takes at most ${MAX_ORGANISATION_CHARS} characters`)
    const [passphrase, again] = await readSecrets(io, ['passphrase', 'repeated passphrase'])
    if (passphrase !== again) throw new UsageError('the two passphrases on standard input differ')
    const problem = passphraseProblem(passphrase!)
    if (problem) throw new UsageError(problem)
    return async (engine) => {
      const dataKey = engine.keys.dataKey()
      const text = await sealKeyBundle(dataKey, passphrase!, { ...(organisation ? { organisation } : {}), createdAt: engine.clock.now(), createdBy: cliOperator() })
      try {
        writeFileSync(out, text, { mode: OWNER_ONLY_FILE, flag: 'wx' })
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
        throw new UsageError(`${values.out} appeared while the bundle was being sealed: nothing was written`)
      }
      io.out(`exported the data key to ${out}`)
      io.out(`fingerprint: ${keyFingerprint(dataKey)}`)
      io.out(`on the new seat: tessera seat join --database-url URL --key-bundle ${out}`)
      return 0
    }
  }
})

const join = command({
  name: 'seat join',
  usage: '--database-url URL --key-bundle FILE [--database-password-file FILE] [--ca-file FILE]',
  summary: 'make this machine a seat of the organisation on a shared PostgreSQL database',
  details: [
    'Reads the bundle\'s passphrase from standard input (one line). Checks the bundle against the',
    'organisation\'s database first, then writes the data key (data.key, mode 0600) and the seat\'s',
    'settings (seat.json: the address and the files named, never a password) into the data directory.',
    'Nothing is written when anything is wrong. Afterwards every command, the app and the harness on',
    'this data directory use the shared database, whose audit log records that this seat joined.',
    'The app\'s first-run screen does the same ("Join an existing organisation").'
  ],
  options: {
    'key-bundle': { type: 'string', value: 'FILE', help: 'the bundle from "tessera seat export-key"' },
    'ca-file': { type: 'string', value: 'FILE', help: 'the CA certificate the server\'s is checked against (sslmode=verify-full)' }
  },
  positionals: 0,
  async prepare({ values }, io) {
    const global = values as { 'database-url'?: string; 'database-password-file'?: string }
    const url = global['database-url']
    if (!url) throw new UsageError('give the organisation\'s database with --database-url URL')
    if (!values['key-bundle']) throw new UsageError('give the key bundle with --key-bundle FILE')
    const bundleText = readableText(values['key-bundle'])
    const [passphrase] = await readSecrets(io, ['passphrase'])
    const passwordFile = global['database-password-file']
    return {
      withoutEngine: async (dataDir) => {
        const joined = await joinOrganisation(dataDir, { databaseUrl: url, bundleText, passphrase: passphrase!, passwordFile, caFile: values['ca-file'] })
        // The organisation's audit log says so, from this seat's first engine on it.
        const engine = await createEngine({ databaseFile: databaseFile(dataDir), database: joined.target, dataDir, operator: cliOperator() })
        try {
          await recordSeatJoined(engine, hostname(), joined, 'cli')
        } finally {
          await engine.close()
        }
        io.out(`this seat joined the organisation at ${joined.address} (data key ${joined.fingerprint})`)
        io.out(`data directory: ${dataDir}`)
        return 0
      }
    }
  }
})

/** A small text file given by name, or a usage error saying why it cannot be read. */
function readableText(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    throw new UsageError(`${path} cannot be read`)
  }
}

export const seatCommands: Command[] = [exportKey, join]
