/**
 * A seat's own settings for reaching the organisation's PostgreSQL server: `seat.json` (mode 0600)
 * in the data directory, beside the data key. It names where the database is and where its
 * password and CA certificate are kept, never a password itself (a file's path can be shown in a
 * log or a support request; its content cannot).
 *
 * `joinSeat` makes a machine a seat: it opens the key bundle an administrator exported, checks that
 * the data directory holds no other key, then writes `data.key`, `seat.json` and (a password typed
 * on the first-run screen) `database-password`. Whether the key is the one the organisation's
 * database expects (its fingerprint) is checked by the caller before anything is written: see
 * `joinOrganisation` in join-organisation.ts, which `tessera seat join` and the first-run screen share.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import { z } from 'zod'
import { databaseUrlSchema, FULL_PATH_MESSAGE } from '../../shared/seat'
import { DomainError } from './domain-error'
import { decodeWords, encodeWords, message, type Message } from '../../shared/i18n/translate'
import { OWNER_ONLY_DIR, OWNER_ONLY_FILE } from './file-modes'
import { openKeyBundle, type OpenedKeyBundle } from './key-bundle'
import { DATA_KEY_BYTES, KEY_FILE, WRAPPED_KEY_FILE } from './secrets'

export const SEAT_FILE = 'seat.json'
/** The database password typed on the first-run screen, one line, mode 0600; seat.json names it. */
export const PASSWORD_FILE = 'database-password'

const absolutePath = z.string().min(1).refine(isAbsolute, FULL_PATH_MESSAGE)

export const seatConfigSchema = z.strictObject({ databaseUrl: databaseUrlSchema, passwordFile: absolutePath.optional(), caFile: absolutePath.optional() })
export type SeatConfig = z.infer<typeof seatConfigSchema>

/** The first problem, named by its field: "Database address: Leave the password out...". */
function issueWords(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Message | string {
  const issue = issues[0]
  const field = issue?.path.map(String).join('.') ?? ''
  const problem = issue?.message ?? encodeWords(message('validation.format'))
  return field ? message('staffRefusals.seatFieldProblem', { field, problem }) : (decodeWords(problem) ?? problem)
}

/** The seat's settings, or null where there are none (a machine on its own SQLite database). */
export function readSeatConfig(dataDir: string): SeatConfig | null {
  const path = join(dataDir, SEAT_FILE)
  const invalid = (why: 'unreadable' | 'notJson' | 'other', detail = '') => new DomainError('SEAT_CONFIG_INVALID', message('staffRefusals.seatSettingsDamaged', { path, why, detail }))
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw invalid('unreadable', (error as NodeJS.ErrnoException).code ?? 'unknown error')
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw invalid('notJson')
  }
  const parsed = seatConfigSchema.safeParse(raw)
  if (!parsed.success) {
    const words = issueWords(parsed.error.issues)
    throw invalid('other', typeof words === 'string' ? words : encodeWords(words))
  }
  return parsed.data
}

function checkedConfig(cfg: SeatConfig): SeatConfig {
  const parsed = seatConfigSchema.safeParse(cfg)
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.map(String).join('.')
    throw new DomainError('INVALID_INPUT', issueWords(parsed.error.issues), field || undefined)
  }
  return parsed.data
}

/** Writes a file (mode 0600) whole: a temporary file beside it, renamed over the old one. */
function writeWhole(path: string, text: string | Buffer): void {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`
  try {
    writeFileSync(temporary, text, { mode: OWNER_ONLY_FILE, flag: 'wx' })
    renameSync(temporary, path)
  } finally {
    rmSync(temporary, { force: true })
  }
  if (process.platform !== 'win32') chmodSync(path, OWNER_ONLY_FILE)
}

/** Checks and writes `seat.json` (mode 0600) whole. */
export function writeSeatConfig(dataDir: string, cfg: SeatConfig): void {
  writeWhole(join(dataDir, SEAT_FILE), JSON.stringify(checkedConfig(cfg), null, 2) + '\n')
}

export type JoinSeatInput = {
  databaseUrl: string
  /** The bundle file's text, from `seat export-key` on a seat that holds the key. */
  bundleText: string
  passphrase: string
  /** Where the database password is kept (one line); relative paths are taken from the working folder. */
  passwordFile?: string
  /** Instead of a file, the password itself (the first-run screen): kept in PASSWORD_FILE in the data directory. */
  password?: string
  caFile?: string
  /**
   * The first-run screen: the key this machine made for itself at its first start protects nothing
   * yet (the caller has checked: nobody set up, nothing recorded), and the organisation's replaces
   * it, the desktop app's keychain-wrapped copy included. Otherwise another key is refused.
   */
  replaceUnusedKey?: boolean
  /** Runs once the bundle is open and before anything is written: the check against the organisation's database. */
  beforeWrite?: (dataKey: Buffer, config: SeatConfig) => Promise<void>
}

/** The data key already in `dataDir`, or null; refuses one the CLI cannot read or compare. */
function heldKey(dataDir: string): Buffer | null {
  const path = join(dataDir, KEY_FILE)
  if (!existsSync(path)) {
    if (existsSync(join(dataDir, WRAPPED_KEY_FILE))) {
      throw new DomainError('SEAT_HAS_OTHER_KEY', message('staffRefusals.seatHasKeychainKey', { file: WRAPPED_KEY_FILE }))
    }
    return null
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64')
  if (key.length !== DATA_KEY_BYTES) throw new DomainError('KEY_UNAVAILABLE', message('staffRefusals.joinKeyFileDamaged', { path }))
  return key
}

function mustBeFile(path: string, field: 'passwordFile' | 'caFile'): void {
  let isFile = false
  try {
    isFile = statSync(path).isFile()
  } catch {
    // missing: said below
  }
  if (!isFile) throw new DomainError('INVALID_INPUT', message('staffRefusals.seatFileMissing', { field, path }), field)
}

/** Everything `joinSeat` writes, checked first: the settings, their files, the data directory. */
function checkJoin(dataDir: string, input: JoinSeatInput): SeatConfig {
  if (input.password !== undefined && input.passwordFile !== undefined) throw new TypeError('a database password or its file, not both')
  if (input.password !== undefined && /[\r\n]/.test(input.password)) throw new DomainError('INVALID_INPUT', message('staffRefusals.databasePasswordOneLine'), 'password')
  const passwordFile = input.password !== undefined ? join(resolve(dataDir), PASSWORD_FILE) : input.passwordFile && resolve(input.passwordFile)
  const config = checkedConfig({
    databaseUrl: input.databaseUrl,
    ...(passwordFile === undefined ? {} : { passwordFile }),
    ...(input.caFile === undefined ? {} : { caFile: input.caFile && resolve(input.caFile) })
  })
  if (config.passwordFile && input.password === undefined) mustBeFile(config.passwordFile, 'passwordFile')
  if (config.caFile) mustBeFile(config.caFile, 'caFile')
  if (existsSync(dataDir) && !statSync(dataDir).isDirectory()) throw new DomainError('INVALID_INPUT', message('staffRefusals.dataDirNotFolder', { dataDir }))
  return config
}

/** The bundle opened, or why not, told beside the field concerned: the passphrase, or the bundle itself. */
async function openBundle(input: JoinSeatInput): Promise<OpenedKeyBundle> {
  try {
    return await openKeyBundle(input.bundleText, input.passphrase)
  } catch (error) {
    if (!(error instanceof DomainError)) throw error
    throw new DomainError(error.code, error.message, error.code === 'WRONG_PASSPHRASE' ? 'passphrase' : 'bundleText')
  }
}

/**
 * Makes this machine a seat of the organisation whose key `bundleText` holds; returns the key's
 * fingerprint. Writes nothing at all when anything is wrong: a bad address or file, a wrong
 * passphrase, a damaged bundle, another organisation's key already in `dataDir`, or a refusal of
 * `beforeWrite`. Joining again with the same key only rewrites `seat.json`. Opens no database.
 */
export async function joinSeat(dataDir: string, input: JoinSeatInput): Promise<string> {
  const config = checkJoin(dataDir, input)
  const bundle = await openBundle(input)
  const replaceKey = input.replaceUnusedKey === true
  const held = replaceKey ? null : heldKey(dataDir)
  if (held && !timingSafeEqual(held, bundle.dataKey)) throw new DomainError('SEAT_HAS_OTHER_KEY')
  await input.beforeWrite?.(bundle.dataKey, config)
  writeSeat(dataDir, { dataKey: bundle.dataKey, keyHeld: held !== null, replaceKey, config, password: input.password })
  return bundle.fingerprint
}

type SeatFiles = { dataKey: Buffer; keyHeld: boolean; replaceKey: boolean; config: SeatConfig; password: string | undefined }

/** Writes the seat's files; when one cannot be written, those written before it are taken back. */
function writeSeat(dataDir: string, files: SeatFiles): void {
  mkdirSync(dataDir, { recursive: true, mode: OWNER_ONLY_DIR })
  const keyPath = join(dataDir, KEY_FILE)
  // Exactly what fileKeyProvider reads: base64 and a newline.
  const keyText = files.dataKey.toString('base64') + '\n'
  const undo: (() => void)[] = []
  try {
    const passwordFile = files.config.passwordFile
    if (files.password !== undefined && passwordFile) {
      writeWhole(passwordFile, files.password + '\n')
      undo.push(() => rmSync(passwordFile, { force: true }))
    }
    if (files.replaceKey) {
      const unused = existsSync(keyPath) ? readFileSync(keyPath) : null
      writeWhole(keyPath, keyText)
      undo.push(() => (unused ? writeWhole(keyPath, unused) : rmSync(keyPath, { force: true })))
    } else if (!files.keyHeld) {
      // 'wx': never over a key written meanwhile.
      writeFileSync(keyPath, keyText, { mode: OWNER_ONLY_FILE, flag: 'wx' })
      undo.push(() => rmSync(keyPath, { force: true }))
    }
    writeSeatConfig(dataDir, files.config)
  } catch (error) {
    for (const step of undo.reverse()) step()
    throw error
  }
  if (files.replaceKey) rmSync(join(dataDir, WRAPPED_KEY_FILE), { force: true })
  if (process.platform !== 'win32') chmodSync(keyPath, OWNER_ONLY_FILE)
}
