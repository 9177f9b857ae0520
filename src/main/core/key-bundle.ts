/**
 * The organisation's data key, sealed with a passphrase so an administrator can carry it to a new
 * seat (a kiosk or help-desk machine on the same PostgreSQL database). The database never holds
 * the key; it may hold the key's fingerprint, a public name for it, so a seat can tell whether the
 * key it holds is the organisation's.
 *
 * A bundle is one JSON document: the passphrase is stretched by scrypt (which Node and Electron's
 * BoringSSL both have; argon2 is missing from the latter) into an AES-256-GCM key and a key for a
 * passphrase check; the data key is sealed with the first, with the bundle's clear fields (format,
 * version, fingerprint, meta) bound as additional data so none can be edited unnoticed. A SHA-256
 * checksum over the whole document tells a file damaged in transit from a wrong passphrase before
 * the slow KDF runs, and the passphrase check tells a wrong passphrase from an edited file.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, scrypt, timingSafeEqual, type BinaryLike, type ScryptOptions } from 'node:crypto'
import { promisify } from 'node:util'
import { z } from 'zod'
import { DomainError } from './domain-error'
import { message, type Message } from '../../shared/i18n/translate'
import { DATA_KEY_BYTES, sameHash } from './secrets'
import { englishProblem } from '../../shared/validation'

export const KEY_BUNDLE_FORMAT = 'tessera-key-bundle'
export const KEY_BUNDLE_VERSION = 1

export type BundleKdfParams = { log2N: number; r: number; p: number }

/**
 * Whoever copies the file can guess offline at leisure: OWASP's scrypt figure, N = 2^17, r = 8,
 * p = 1 (128 MiB and about 0.3 s a guess here), behind a passphrase of at least 15 characters.
 */
export const BUNDLE_SCRYPT: BundleKdfParams = { log2N: 17, r: 8, p: 1 }
/** The cheapest cost a bundle may carry (tests use it): below it a guess costs next to nothing. */
const MIN_LOG2_N = 14
/** The most memory a bundle may ask for (bytes): a forged bundle must not exhaust a kiosk. */
const MAX_KDF_MEMORY_BYTES = 1024 * 1024 * 1024
export const MIN_PASSPHRASE_CHARS = 15 // as a password that stands alone (NIST SP 800-63B 3.1.1.2)
/** Bounds the cost of normalising and hashing; far beyond any typed passphrase (characters). */
const MAX_PASSPHRASE_CHARS = 1024
const SALT_BYTES = 16 // 128-bit salt, NIST SP 800-132 5.1
const IV_BYTES = 12 // GCM's recommended nonce size (NIST SP 800-38D 8.2)
const TAG_BYTES = 16 // GCM's full tag
const AES_KEY_BYTES = 32 // AES-256
const CHECK_KEY_BYTES = 32 // HMAC-SHA256 key of the passphrase check
/** 128 bits: two organisations' keys never share one by chance, and it still reads aloud. */
const FINGERPRINT_HEX_CHARS = 32
/** An HKDF salt of its own, so the fingerprint's key is unrelated to every sealer sub-key (empty salt). */
const FINGERPRINT_SALT = 'tessera key fingerprint'
const FINGERPRINT_LABEL = 'tessera data key fingerprint v1'
const CHECK_LABEL = 'tessera key bundle passphrase check v1'
/** Who and when, for the administrator who imports it; bound to the sealed key. Lengths in characters. */
const metaSchema = z.strictObject({
  organisation: z.string().trim().min(1).max(200).optional(),
  createdAt: z.number().int().nonnegative(),
  createdBy: z.string().trim().min(1).max(200)
})
export type KeyBundleMeta = z.infer<typeof metaSchema>

const base64Of = (bytes: number | [number, number]) => {
  const [min, max] = typeof bytes === 'number' ? [bytes, bytes] : bytes
  return z.base64().refine((s) => {
    const n = Buffer.from(s, 'base64').length
    return n >= min && n <= max
  }, `not ${min === max ? min : `${min} to ${max}`} bytes`)
}

const bundleSchema = z.strictObject({
  format: z.literal(KEY_BUNDLE_FORMAT),
  version: z.literal(KEY_BUNDLE_VERSION),
  fingerprint: z.string().regex(new RegExp(`^[0-9a-f]{${FINGERPRINT_HEX_CHARS}}$`)),
  meta: metaSchema,
  kdf: z.strictObject({
    name: z.literal('scrypt'),
    N: z.number().int().refine((n) => n >= 2 ** MIN_LOG2_N && Number.isInteger(Math.log2(n)), 'not a power of two from 2^14'),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
    salt: base64Of([SALT_BYTES, 64]),
    check: base64Of(32)
  }),
  cipher: z.strictObject({ name: z.literal('aes-256-gcm'), iv: base64Of(IV_BYTES), tag: base64Of(TAG_BYTES), ciphertext: base64Of(DATA_KEY_BYTES) }),
  checksum: z.string().regex(/^sha256:[0-9a-f]{64}$/)
})
type BundleDocument = z.infer<typeof bundleSchema>

export type OpenedKeyBundle = { dataKey: Buffer; fingerprint: string; meta: KeyBundleMeta }

/** A public name for a data key: HMAC-SHA256 of a fixed label under an HKDF sub-key, hex. Safe to store anywhere. */
export function keyFingerprint(dataKey: Buffer): string {
  if (dataKey.length !== DATA_KEY_BYTES) throw new RangeError(`a data key is ${DATA_KEY_BYTES} bytes`)
  const key = Buffer.from(hkdfSync('sha256', dataKey, FINGERPRINT_SALT, 'fingerprint', 32))
  return createHmac('sha256', key).update(FINGERPRINT_LABEL).digest('hex').slice(0, FINGERPRINT_HEX_CHARS)
}

/** Whether two fingerprints name the same key (constant time, though a fingerprint is no secret). */
export const sameFingerprint = (a: string, b: string): boolean => sameHash(a.toLowerCase(), b.toLowerCase())

/**
 * For the seat's check against the organisation's database: refuses a data key whose fingerprint
 * is not the one the database records.
 */
export function assertOrganisationKey(dataKey: Buffer, organisationFingerprint: string): void {
  if (!sameFingerprint(keyFingerprint(dataKey), organisationFingerprint)) throw new DomainError('KEY_MISMATCH')
}

/** What is wrong with a passphrase chosen for an export, or null. */
export function passphraseRefusal(passphrase: string): Message | null {
  const chars = [...passphrase.normalize('NFKC')].length
  if (chars < MIN_PASSPHRASE_CHARS) return message('staffRefusals.passphraseTooShort', { min: MIN_PASSPHRASE_CHARS, chars })
  if (chars > MAX_PASSPHRASE_CHARS) return message('staffRefusals.passphraseTooLong', { max: MAX_PASSPHRASE_CHARS })
  return null
}

const scryptAsync = promisify(scrypt) as (password: BinaryLike, salt: BinaryLike, keylen: number, options: ScryptOptions) => Promise<Buffer>

/** The AES key and the passphrase check's key, from one scrypt run (on libuv's pool, never the caller's thread). */
async function stretch(passphrase: string, salt: Buffer, params: BundleKdfParams): Promise<{ aesKey: Buffer; check: string }> {
  const N = 2 ** params.log2N
  // scrypt needs 128·N·r bytes; Node refuses more than 32 MiB unless maxmem allows it: twice that.
  const maxmem = 256 * N * params.r * params.p
  // NIST SP 800-63B 3.1.1.2: normalised, so the same passphrase typed on another system matches.
  const out = await scryptAsync(passphrase.normalize('NFKC'), salt, AES_KEY_BYTES + CHECK_KEY_BYTES, { N, r: params.r, p: params.p, maxmem })
  const check = createHmac('sha256', out.subarray(AES_KEY_BYTES)).update(CHECK_LABEL).digest('base64')
  return { aesKey: out.subarray(0, AES_KEY_BYTES), check }
}

function checkParams(params: BundleKdfParams): void {
  const { log2N, r, p } = params
  const ok = [log2N, r, p].every(Number.isInteger) && log2N >= MIN_LOG2_N && r >= 1 && r <= 32 && p >= 1 && p <= 16
  if (!ok || 128 * 2 ** log2N * r > MAX_KDF_MEMORY_BYTES) throw new RangeError(`scrypt parameters out of range: ln=${log2N} r=${r} p=${p}`)
}

/** The clear fields the sealed key is bound to, in a fixed order (so reordering keys in the file changes nothing). */
const additionalData = (d: Pick<BundleDocument, 'format' | 'version' | 'fingerprint' | 'meta'>) =>
  Buffer.from(JSON.stringify([d.format, d.version, d.fingerprint, d.meta.organisation ?? null, d.meta.createdAt, d.meta.createdBy]))

function checksumOf(d: Omit<BundleDocument, 'checksum'>): string {
  const { kdf, cipher } = d
  const fields = [additionalData(d).toString(), kdf.name, kdf.N, kdf.r, kdf.p, kdf.salt, kdf.check, cipher.name, cipher.iv, cipher.tag, cipher.ciphertext]
  return `sha256:${createHash('sha256').update(JSON.stringify(fields)).digest('hex')}`
}

/**
 * The bundle file's text. `options.kdf` lets tests pay less; everything else keeps BUNDLE_SCRYPT.
 * Throws DomainError('WEAK_PASSPHRASE') for a passphrase under 15 characters.
 */
export async function sealKeyBundle(dataKey: Buffer, passphrase: string, meta: KeyBundleMeta, options: { kdf?: BundleKdfParams } = {}): Promise<string> {
  const fingerprint = keyFingerprint(dataKey)
  const problem = passphraseRefusal(passphrase)
  if (problem) throw new DomainError('WEAK_PASSPHRASE', problem)
  const checkedMeta = metaSchema.safeParse(meta)
  if (!checkedMeta.success) throw new DomainError('INVALID_INPUT', message('staffRefusals.bundleDetailsInvalid', { problem: `${checkedMeta.error.issues[0]?.path.join('.')} ${englishProblem(checkedMeta.error.issues[0]?.message ?? '')}` }))
  const params = options.kdf ?? BUNDLE_SCRYPT
  checkParams(params)
  const salt = randomBytes(SALT_BYTES)
  const { aesKey, check } = await stretch(passphrase, salt, params)
  const clear = { format: KEY_BUNDLE_FORMAT, version: KEY_BUNDLE_VERSION, fingerprint, meta: checkedMeta.data } as const
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', aesKey, iv)
  cipher.setAAD(additionalData(clear))
  const ciphertext = Buffer.concat([cipher.update(dataKey), cipher.final()])
  const body = {
    ...clear,
    kdf: { name: 'scrypt' as const, N: 2 ** params.log2N, r: params.r, p: params.p, salt: salt.toString('base64'), check },
    cipher: { name: 'aes-256-gcm' as const, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') }
  }
  return JSON.stringify({ ...body, checksum: checksumOf(body) }, null, 2) + '\n'
}

const damaged = (why: 'incomplete' | 'checksum' | 'scrypt' | 'fingerprint' | 'other', detail = '') =>
  new DomainError('KEY_BUNDLE_DAMAGED', message('staffRefusals.bundleDamaged', { why, detail }))

/** The document, checked for its kind, its version, its shape and its checksum; no passphrase needed. */
function parseBundle(text: string): BundleDocument {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw text.includes(`"${KEY_BUNDLE_FORMAT}"`) ? damaged('incomplete') : new DomainError('KEY_BUNDLE_INVALID')
  }
  const doc = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {}
  if (doc['format'] !== KEY_BUNDLE_FORMAT) throw new DomainError('KEY_BUNDLE_INVALID')
  if (doc['version'] !== KEY_BUNDLE_VERSION) {
    const version = JSON.stringify(doc['version'] ?? null).slice(0, 20)
    throw new DomainError('KEY_BUNDLE_VERSION', message('staffRefusals.bundleVersion', { version }))
  }
  const parsed = bundleSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw damaged('other', `${issue?.path.join('.') || 'the document'}: ${issue ? englishProblem(issue.message).replace(/\s+/g, ' ') : 'not valid'}`)
  }
  const { checksum, ...body } = parsed.data
  if (!sameHash(checksumOf(body), checksum)) throw damaged('checksum')
  return parsed.data
}

/**
 * Opens a bundle with its passphrase. Each failure is a DomainError saying which: not a bundle
 * (KEY_BUNDLE_INVALID), a version this Tessera cannot read (KEY_BUNDLE_VERSION), a damaged or
 * edited file (KEY_BUNDLE_DAMAGED), a wrong passphrase (WRONG_PASSPHRASE).
 */
export async function openKeyBundle(text: string, passphrase: string): Promise<OpenedKeyBundle> {
  const doc = parseBundle(text)
  const params = { log2N: Math.log2(doc.kdf.N), r: doc.kdf.r, p: doc.kdf.p }
  try {
    checkParams(params)
  } catch {
    throw damaged('scrypt')
  }
  if (passphrase.length > 4 * MAX_PASSPHRASE_CHARS) throw new DomainError('WRONG_PASSPHRASE')
  const { aesKey, check } = await stretch(passphrase, Buffer.from(doc.kdf.salt, 'base64'), params)
  if (!timingSafeEqual(Buffer.from(check, 'base64'), Buffer.from(doc.kdf.check, 'base64'))) throw new DomainError('WRONG_PASSPHRASE')
  let dataKey: Buffer
  try {
    const decipher = createDecipheriv('aes-256-gcm', aesKey, Buffer.from(doc.cipher.iv, 'base64'))
    decipher.setAAD(additionalData(doc))
    decipher.setAuthTag(Buffer.from(doc.cipher.tag, 'base64'))
    dataKey = Buffer.concat([decipher.update(Buffer.from(doc.cipher.ciphertext, 'base64')), decipher.final()])
  } catch {
    throw new DomainError('KEY_BUNDLE_DAMAGED', message('staffRefusals.bundleChanged'))
  }
  if (!sameFingerprint(keyFingerprint(dataKey), doc.fingerprint)) throw damaged('fingerprint')
  return { dataKey, fingerprint: doc.fingerprint, meta: doc.meta }
}
