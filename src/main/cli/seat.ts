/** CLI commands for several seats on one PostgreSQL database: the data key's bundle. */
import { existsSync, writeFileSync } from 'node:fs'
import { hostname, userInfo } from 'node:os'
import { keyFingerprint, passphraseProblem, sealKeyBundle } from '../core/key-bundle'
import { OWNER_ONLY_FILE } from '../core/file-modes'
import { command, outFile, readSecrets, UsageError, type Command } from './args'

/** Who exported the bundle, as the CLI's audit rows name people: `cli:alice@host`. */
function exporter(): string {
  let user = process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown'
  try {
    user = userInfo().username
  } catch {
    // No passwd entry (e.g. a container's arbitrary uid): keep the environment's name.
  }
  return `cli:${user}@${hostname()}`
}

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
      const text = await sealKeyBundle(dataKey, passphrase!, { ...(organisation ? { organisation } : {}), createdAt: engine.clock.now(), createdBy: exporter() })
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

export const seatCommands: Command[] = [exportKey]
