/** CLI commands for several seats on one PostgreSQL database: the data key's bundle. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { createEngine } from '../core/engine'
import { joinOrganisation, recordSeatJoined } from '../core/join-organisation'
import { keyFingerprint, passphraseRefusal, sealKeyBundle } from '../core/key-bundle'
import { databaseFile } from '../data-dir'
import { OWNER_ONLY_FILE } from '../core/file-modes'
import { message } from '../../shared/i18n/translate'
import { cliOperator, command, outFile, readSecrets, UsageError, type Command } from './args'

/** Lengths in characters, as the bundle's own check has them. */
const MAX_ORGANISATION_CHARS = 200

const exportKey = command({
  name: 'seat export-key',
  usage: '--out FILE [--organisation NAME]',
  summary: 'cli.seatExport.summary',
  details: 'cli.seatExport.details',
  options: {
    out: { type: 'string', value: 'FILE', help: 'cli.seatExport.option.out' },
    organisation: { type: 'string', value: 'NAME', help: 'cli.seatExport.option.organisation' }
  },
  positionals: 0,
  async prepare({ values, words }, io) {
    if (!values.out) throw new UsageError(message('cli.seatExport.giveOut'))
    const out = outFile(values.out)
    if (existsSync(out)) throw new UsageError(message('cli.seatExport.exists', { file: values.out }))
    const organisation = values.organisation?.trim() || undefined
    if (organisation && [...organisation].length > MAX_ORGANISATION_CHARS) throw new UsageError(message('cli.seatExport.organisationTooLong', { max: MAX_ORGANISATION_CHARS }))
    const [passphrase, again] = await readSecrets(io, ['passphrase', 'repeatedPassphrase'])
    if (passphrase !== again) throw new UsageError(message('cli.seatExport.passphrasesDiffer'))
    const problem = passphraseRefusal(passphrase!)
    if (problem) throw new UsageError(problem)
    return async (engine) => {
      const dataKey = engine.keys.dataKey()
      const text = await sealKeyBundle(dataKey, passphrase!, { ...(organisation ? { organisation } : {}), createdAt: engine.clock.now(), createdBy: cliOperator() })
      try {
        writeFileSync(out, text, { mode: OWNER_ONLY_FILE, flag: 'wx' })
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
        throw new UsageError(message('cli.seatExport.appeared', { file: values.out! }))
      }
      io.out(words.t('cli.seatExport.done', { file: out }))
      io.out(words.t('cli.seatExport.fingerprint', { fingerprint: keyFingerprint(dataKey) }))
      io.out(words.t('cli.seatExport.next', { file: out }))
      return 0
    }
  }
})

const join = command({
  name: 'seat join',
  usage: '--database-url URL --key-bundle FILE [--database-password-file FILE] [--ca-file FILE]',
  summary: 'cli.seatJoin.summary',
  details: 'cli.seatJoin.details',
  options: {
    'key-bundle': { type: 'string', value: 'FILE', help: 'cli.seatJoin.option.keyBundle' },
    'ca-file': { type: 'string', value: 'FILE', help: 'cli.seatJoin.option.caFile' }
  },
  positionals: 0,
  async prepare({ values, words }, io) {
    const global = values as { 'database-url'?: string; 'database-password-file'?: string }
    const url = global['database-url']
    if (!url) throw new UsageError(message('cli.seatJoin.giveDatabase'))
    if (!values['key-bundle']) throw new UsageError(message('cli.seatJoin.giveBundle'))
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
        io.out(words.t('cli.seatJoin.done', { address: joined.address, fingerprint: joined.fingerprint }))
        io.out(words.t('cli.seatJoin.dataDir', { dir: dataDir }))
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
    throw new UsageError(message('cli.seatJoin.unreadable', { file: path }))
  }
}

export const seatCommands: Command[] = [exportKey, join]
