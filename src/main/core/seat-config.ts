/**
 * A seat's own settings for reaching the organisation's PostgreSQL server: `seat.json` (mode 0600)
 * in the data directory, beside the data key. It names where the database is and where its
 * password and CA certificate are kept, never a password itself (a file's path can be shown in a
 * log or a support request; its content cannot).
 *
 * `joinSeat` makes a machine a seat: it opens the key bundle an administrator exported, checks that
 * the data directory holds no other key, then writes `data.key` and `seat.json`. Whether the key is
 * the one the organisation's database expects (its fingerprint) is checked when the database is
 * opened: see `assertOrganisationKey` in key-bundle.ts.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import { z } from 'zod'
import '../../shared/validation' // plain-words messages for whatever a schema here does not word itself
import { DomainError } from './domain-error'
import { OWNER_ONLY_DIR, OWNER_ONLY_FILE } from './file-modes'
import { openKeyBundle } from './key-bundle'
import { DATA_KEY_BYTES, KEY_FILE, WRAPPED_KEY_FILE } from './secrets'

export const SEAT_FILE = 'seat.json'

/** libpq also reads a password from the address (user:password@host, ?password=): refused, it belongs in a file. */
function passwordInUrl(url: URL): boolean {
  return url.password !== '' || [...url.searchParams.keys()].some((k) => k.toLowerCase() === 'password')
}

const databaseUrl = z
  .string()
  .trim()
  .min(1, 'enter it, like postgres://tessera@db.example.org/tessera.')
  .refine((s) => URL.canParse(s) && ['postgres:', 'postgresql:'].includes(new URL(s).protocol), 'enter a postgres:// address, like postgres://tessera@db.example.org/tessera.')
  .refine((s) => !URL.canParse(s) || !passwordInUrl(new URL(s)), 'leave the password out of it and name a password file instead.')

const absolutePath = z.string().min(1).refine(isAbsolute, 'give the full path of the file.')

export const seatConfigSchema = z.strictObject({ databaseUrl, passwordFile: absolutePath.optional(), caFile: absolutePath.optional() })
export type SeatConfig = z.infer<typeof seatConfigSchema>

const FIELD_NAMES: Record<string, string> = { databaseUrl: 'Database address', passwordFile: 'Password file', caFile: 'CA certificate file' }

/** The first problem, in one line, named by its field: "Database address: leave the password out...". */
const issueText = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) => {
  const issue = issues[0]
  const field = issue?.path.map(String).join('.') ?? ''
  const message = (issue?.message ?? 'not valid').replace(/\s+/g, ' ')
  return field ? `${FIELD_NAMES[field] ?? field}: ${message}` : message
}

/** The seat's settings, or null where there are none (a machine on its own SQLite database). */
export function readSeatConfig(dataDir: string): SeatConfig | null {
  const path = join(dataDir, SEAT_FILE)
  const invalid = (why: string) => new DomainError('SEAT_CONFIG_INVALID', `The seat's connection settings in ${path} are damaged (${why}): join the seat again.`)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw invalid(`it cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`)
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw invalid('it is not JSON')
  }
  const parsed = seatConfigSchema.safeParse(raw)
  if (!parsed.success) throw invalid(issueText(parsed.error.issues))
  return parsed.data
}

function checkedConfig(cfg: SeatConfig): SeatConfig {
  const parsed = seatConfigSchema.safeParse(cfg)
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.map(String).join('.')
    throw new DomainError('INVALID_INPUT', issueText(parsed.error.issues), field || undefined)
  }
  return parsed.data
}

/** Checks and writes `seat.json` (mode 0600) whole: a temporary file renamed over the old one. */
export function writeSeatConfig(dataDir: string, cfg: SeatConfig): void {
  const text = JSON.stringify(checkedConfig(cfg), null, 2) + '\n'
  const path = join(dataDir, SEAT_FILE)
  const temporary = join(dataDir, `.${SEAT_FILE}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    writeFileSync(temporary, text, { mode: OWNER_ONLY_FILE, flag: 'wx' })
    renameSync(temporary, path)
  } finally {
    rmSync(temporary, { force: true })
  }
  if (process.platform !== 'win32') chmodSync(path, OWNER_ONLY_FILE)
}

export type JoinSeatInput = {
  databaseUrl: string
  /** The bundle file's text, from `seat export-key` on a seat that holds the key. */
  bundleText: string
  passphrase: string
  /** Where the database password is kept (one line); relative paths are taken from the working folder. */
  passwordFile?: string
  caFile?: string
  /** Runs once the bundle is open and before anything is written: the check against the organisation's database. */
  beforeWrite?: (dataKey: Buffer) => Promise<void>
}

/** The data key already in `dataDir`, or null; refuses one the CLI cannot read or compare. */
function heldKey(dataDir: string): Buffer | null {
  const path = join(dataDir, KEY_FILE)
  if (!existsSync(path)) {
    if (existsSync(join(dataDir, WRAPPED_KEY_FILE))) {
      throw new DomainError('SEAT_HAS_OTHER_KEY', `This seat already holds a data key, protected by the desktop app's keychain (${WRAPPED_KEY_FILE}): join from an empty data directory.`)
    }
    return null
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64')
  if (key.length !== DATA_KEY_BYTES) throw new DomainError('KEY_UNAVAILABLE', `The key file ${path} is damaged: move it away before joining, if it holds nothing you need.`)
  return key
}

function mustBeFile(path: string, field: 'passwordFile' | 'caFile'): void {
  let isFile = false
  try {
    isFile = statSync(path).isFile()
  } catch {
    // missing: said below
  }
  if (!isFile) throw new DomainError('INVALID_INPUT', `${FIELD_NAMES[field]}: ${path} is missing or not a file.`, field)
}

/** Everything `joinSeat` writes, checked first: the settings, their files, the data directory. */
function checkJoin(dataDir: string, input: JoinSeatInput): SeatConfig {
  const config = checkedConfig({
    databaseUrl: input.databaseUrl,
    ...(input.passwordFile === undefined ? {} : { passwordFile: input.passwordFile && resolve(input.passwordFile) }),
    ...(input.caFile === undefined ? {} : { caFile: input.caFile && resolve(input.caFile) })
  })
  if (config.passwordFile) mustBeFile(config.passwordFile, 'passwordFile')
  if (config.caFile) mustBeFile(config.caFile, 'caFile')
  if (existsSync(dataDir) && !statSync(dataDir).isDirectory()) throw new DomainError('INVALID_INPUT', `The data directory ${dataDir} is not a folder.`)
  return config
}

/**
 * Makes this machine a seat of the organisation whose key `bundleText` holds; returns the key's
 * fingerprint. Writes nothing at all when anything is wrong: a bad address or file, a wrong
 * passphrase, a damaged bundle, or another organisation's key already in `dataDir`. Joining again
 * with the same key only rewrites `seat.json`. Opens no database.
 */
export async function joinSeat(dataDir: string, input: JoinSeatInput): Promise<string> {
  const config = checkJoin(dataDir, input)
  const bundle = await openKeyBundle(input.bundleText, input.passphrase)
  const held = heldKey(dataDir)
  if (held && !timingSafeEqual(held, bundle.dataKey)) throw new DomainError('SEAT_HAS_OTHER_KEY')
  await input.beforeWrite?.(bundle.dataKey)
  mkdirSync(dataDir, { recursive: true, mode: OWNER_ONLY_DIR })
  const keyPath = join(dataDir, KEY_FILE)
  // Exactly what fileKeyProvider reads: base64 and a newline. 'wx': never over a key written meanwhile.
  if (!held) writeFileSync(keyPath, bundle.dataKey.toString('base64') + '\n', { mode: OWNER_ONLY_FILE, flag: 'wx' })
  try {
    writeSeatConfig(dataDir, config)
  } catch (error) {
    if (!held) rmSync(keyPath, { force: true })
    throw error
  }
  if (process.platform !== 'win32') chmodSync(keyPath, OWNER_ONLY_FILE)
  return bundle.fingerprint
}
