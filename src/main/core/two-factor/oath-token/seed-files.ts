/**
 * The token seed files vendors ship: PSKC (RFC 6030), with secrets in plain or encrypted with a
 * pre-shared key (AES-CBC, each value's MAC checked with HMAC-SHA1 or SHA-256 under the MAC key the
 * file carries, encrypted the same way), and a simple CSV (serial, secret, type, digits, period).
 * A file is read whole or refused: the first entry that cannot be read says which and why.
 */
import { createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto'
import { parse } from 'csv-parse/sync'
import { XMLParser } from 'fast-xml-parser'
import { ScureBase32Plugin } from 'otplib'
import type { TokenAlgorithm, TokenKind } from './otp'

/** One token as read from a file, its secret as raw bytes. */
export type TokenSeed = { serial: string; kind: TokenKind; secret: Buffer; digits: 6 | 8; period: 30 | 60 | null; algorithm: TokenAlgorithm; counter: number }

export class SeedFileError extends Error {}

const base32 = new ScureBase32Plugin()
export const secretToBase32 = (secret: Buffer) => base32.encode(secret)

type Node = Record<string, unknown>
const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v])
const text = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? String((v as Node)['#text'] ?? '') : String(v)).trim()

const CIPHERS: Record<string, string> = {
  'http://www.w3.org/2001/04/xmlenc#aes128-cbc': 'aes-128-cbc',
  'http://www.w3.org/2001/04/xmlenc#aes192-cbc': 'aes-192-cbc',
  'http://www.w3.org/2001/04/xmlenc#aes256-cbc': 'aes-256-cbc'
}
const MACS: Record<string, string> = {
  'http://www.w3.org/2000/09/xmldsig#hmac-sha1': 'sha1',
  'http://www.w3.org/2001/04/xmldsig-more#hmac-sha256': 'sha256'
}

/** An xenc EncryptedValue: IV followed by the ciphertext, under the pre-shared key. */
function decrypt(encrypted: Node, key: Buffer, what: string): Buffer {
  const method = (encrypted['EncryptionMethod'] as Node | undefined)?.['@_Algorithm'] as string | undefined
  const cipher = method && CIPHERS[method]
  if (!cipher) throw new SeedFileError(`${what}: encryption ${method ?? '(none named)'} is not supported (AES-CBC is)`)
  const value = Buffer.from(text((encrypted['CipherData'] as Node | undefined)?.['CipherValue']), 'base64')
  if (value.length < 32) throw new SeedFileError(`${what}: the encrypted value is too short`)
  try {
    const d = createDecipheriv(cipher, key, value.subarray(0, 16))
    return Buffer.concat([d.update(value.subarray(16)), d.final()])
  } catch {
    throw new SeedFileError(`${what}: cannot be decrypted with this pre-shared key`)
  }
}

type Keys = { psk: Buffer | null; macKey: Buffer | null; macAlgorithm: string | null }

/** A Data child (Secret, Counter, TimeInterval): its plain value or its decrypted, MAC-checked one. */
function dataValue(node: Node | undefined, keys: Keys, what: string): Buffer | null {
  if (!node) return null
  if (node['PlainValue'] !== undefined) return Buffer.from(text(node['PlainValue']), what.endsWith('secret') ? 'base64' : 'utf8')
  const encrypted = node['EncryptedValue'] as Node | undefined
  if (!encrypted) return null
  if (!keys.psk) throw new SeedFileError(`${what} is encrypted: give the pre-shared key the vendor sent with the file`)
  const mac = text(node['ValueMAC'])
  if (keys.macKey && keys.macAlgorithm) {
    const value = Buffer.from(text((encrypted['CipherData'] as Node | undefined)?.['CipherValue']), 'base64')
    const expected = createHmac(keys.macAlgorithm, keys.macKey).update(value).digest()
    const given = Buffer.from(mac, 'base64')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new SeedFileError(`${what}: the MAC does not match (a wrong key, or the file was altered)`)
  } else if (mac) {
    throw new SeedFileError(`${what}: has a MAC but the file names no MAC key`)
  }
  return decrypt(encrypted, keys.psk, what)
}

function keysOf(container: Node, psk: Buffer | null): Keys {
  const method = container['MACMethod'] as Node | undefined
  if (!method || !psk) return { psk, macKey: null, macAlgorithm: null }
  const algorithm = MACS[String(method['@_Algorithm'] ?? '')]
  if (!algorithm) throw new SeedFileError(`MAC method ${String(method['@_Algorithm'])} is not supported`)
  const macKey = method['MACKey'] as Node | undefined
  return { psk, macKey: macKey ? decrypt(macKey, psk, 'the MAC key') : null, macAlgorithm: algorithm }
}

function seedOf(pkg: Node, index: number, keys: Keys): TokenSeed {
  const key = pkg['Key'] as Node | undefined
  const serial = text((pkg['DeviceInfo'] as Node | undefined)?.['SerialNo']) || String(key?.['@_Id'] ?? '')
  const what = `entry ${index + 1}${serial ? ` (serial ${serial})` : ''}`
  if (!key) throw new SeedFileError(`${what}: no Key`)
  const uri = String(key['@_Algorithm'] ?? '')
  const kind = uri.endsWith(':hotp') ? 'hotp' : uri.endsWith(':totp') ? 'totp' : null
  if (!kind) throw new SeedFileError(`${what}: algorithm ${uri || '(none)'} is not HOTP or TOTP`)
  if (!serial) throw new SeedFileError(`${what}: no serial number`)
  const params = (key['AlgorithmParameters'] as Node | undefined) ?? {}
  const digits = Number((params['ResponseFormat'] as Node | undefined)?.['@_Length'] ?? 6)
  if (digits !== 6 && digits !== 8) throw new SeedFileError(`${what}: ${digits} digits (6 or 8 are supported)`)
  const suite = text(params['Suite']).toUpperCase()
  const algorithm: TokenAlgorithm = suite.includes('SHA256') || suite.includes('SHA-256') ? 'sha256' : 'sha1'
  const data = (key['Data'] as Node | undefined) ?? {}
  const secret = dataValue(data['Secret'] as Node | undefined, keys, `${what}: the secret`)
  if (!secret || secret.length < 10) throw new SeedFileError(`${what}: no secret, or one shorter than 80 bits`)
  const counter = Number(dataValue(data['Counter'] as Node | undefined, keys, `${what}: the counter`)?.toString('utf8') ?? 0)
  const interval = Number(dataValue(data['TimeInterval'] as Node | undefined, keys, `${what}: the time interval`)?.toString('utf8') ?? 30)
  if (kind === 'totp' && interval !== 30 && interval !== 60) throw new SeedFileError(`${what}: a ${interval}-second time step (30 or 60 are supported)`)
  if (!Number.isSafeInteger(counter) || counter < 0) throw new SeedFileError(`${what}: the counter is not a whole number`)
  return { serial, kind, secret, digits, period: kind === 'totp' ? (interval as 30 | 60) : null, algorithm, counter }
}

/** Reads a PSKC file; `psk` (hex) decrypts encrypted secrets. */
export function readPskc(xml: string, pskHex: string | null): TokenSeed[] {
  const psk = pskHex ? Buffer.from(pskHex.replace(/\s/g, ''), 'hex') : null
  if (psk && ![16, 24, 32].includes(psk.length)) throw new SeedFileError('the pre-shared key must be 32, 48 or 64 hexadecimal digits (an AES key)')
  let doc: Node
  try {
    doc = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, parseTagValue: false, processEntities: false }).parse(xml, true) as Node
  } catch (error) {
    throw new SeedFileError(`the file is not valid XML: ${(error as Error).message.split('\n')[0]}`)
  }
  const container = doc['KeyContainer'] as Node | undefined
  if (!container) throw new SeedFileError('the file is not PSKC: it has no KeyContainer')
  const keys = keysOf(container, psk)
  const packages = asArray(container['KeyPackage'] as Node | Node[] | undefined)
  if (packages.length === 0) throw new SeedFileError('the file holds no tokens')
  return packages.map((pkg, i) => seedOf(pkg, i, keys))
}

const CSV_COLUMNS = ['serial', 'secret', 'type', 'digits', 'period'] as const

/** Reads the simple CSV: serial, secret (base32 or hex), type (hotp/totp), digits, period (TOTP). */
export function readTokenCsv(csv: string): TokenSeed[] {
  let rows: string[][]
  try {
    rows = parse(csv, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][]
  } catch (error) {
    throw new SeedFileError(`the file is not valid CSV: ${(error as Error).message}`)
  }
  const header = (rows.shift() ?? []).map((h) => h.toLowerCase())
  const missing = CSV_COLUMNS.filter((c) => !header.includes(c))
  if (missing.length) throw new SeedFileError(`the header must name the columns ${CSV_COLUMNS.join(', ')}; missing: ${missing.join(', ')}`)
  if (rows.length === 0) throw new SeedFileError('the file holds no tokens')
  const col = (r: string[], c: (typeof CSV_COLUMNS)[number]) => r[header.indexOf(c)] ?? ''
  return rows.map((r, i) => {
    const what = `line ${i + 2}${col(r, 'serial') ? ` (serial ${col(r, 'serial')})` : ''}`
    const kind = col(r, 'type').toLowerCase()
    if (kind !== 'hotp' && kind !== 'totp') throw new SeedFileError(`${what}: type must be hotp or totp`)
    const digits = Number(col(r, 'digits') || 6)
    if (digits !== 6 && digits !== 8) throw new SeedFileError(`${what}: digits must be 6 or 8`)
    const period = kind === 'totp' ? Number(col(r, 'period') || 30) : null
    if (period !== null && period !== 30 && period !== 60) throw new SeedFileError(`${what}: period must be 30 or 60`)
    const raw = col(r, 'secret').replace(/\s/g, '')
    const secret = /^[0-9a-f]+$/i.test(raw) && raw.length % 2 === 0 && raw.length >= 20 ? Buffer.from(raw, 'hex') : base32Bytes(raw, what)
    if (secret.length < 10) throw new SeedFileError(`${what}: the secret is shorter than 80 bits`)
    if (!col(r, 'serial')) throw new SeedFileError(`${what}: no serial number`)
    return { serial: col(r, 'serial'), kind, secret, digits, period: period as 30 | 60 | null, algorithm: 'sha1', counter: 0 }
  })
}

function base32Bytes(text: string, what: string): Buffer {
  try {
    return Buffer.from(base32.decode(text.toUpperCase().replace(/=+$/, '')))
  } catch {
    throw new SeedFileError(`${what}: the secret is neither hexadecimal nor base32`)
  }
}
