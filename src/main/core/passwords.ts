/**
 * Password hashing with scrypt, stored as PHC strings (`$scrypt$ln=17,r=8,p=1$salt$hash`) so the
 * parameters travel with the hash: Node and Electron (BoringSSL) both have scrypt, so a hash written
 * by the CLI verifies in the app and back, and a hash with weaker parameters is upgraded on login.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { availableParallelism } from 'node:os'

export type ScryptParams = { log2N: number; r: number; p: number }

/** OWASP Password Storage Cheat Sheet: N = 2^17, r = 8, p = 1 (about 128 MiB and ~0.3 s here). */
export const DEFAULT_SCRYPT: ScryptParams = { log2N: 17, r: 8, p: 1 }
const SALT_BYTES = 16 // 128-bit salt, NIST SP 800-132
const KEY_BYTES = 32

/**
 * Hashes at once: one per core but one (each holds 128 MiB and a core for ~0.3 s); more would
 * starve the rest of the machine (Node's thread pool runs four). The others wait their turn.
 */
const MAX_HASHING = Math.max(1, availableParallelism() - 1)
let hashing = 0
const waiting: (() => void)[] = []

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (hashing >= MAX_HASHING) await new Promise<void>((resolve) => waiting.push(resolve))
  else hashing += 1
  try {
    return await work()
  } finally {
    const next = waiting.shift()
    if (next) next()
    else hashing -= 1
  }
}

function derive(password: string, salt: Buffer, params: ScryptParams, keyBytes = KEY_BYTES): Promise<Buffer> {
  return withHashSlot(() => scryptOnce(password, salt, params, keyBytes))
}

function scryptOnce(password: string, salt: Buffer, params: ScryptParams, keyBytes: number): Promise<Buffer> {
  const N = 2 ** params.log2N
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFKC'), // NIST SP 800-63B 3.1.1.2: normalise before hashing
      salt,
      keyBytes,
      { N, r: params.r, p: params.p, maxmem: 256 * N * params.r * params.p },
      (err, key) => (err ? reject(err) : resolve(key))
    )
  })
}

const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '')

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(password, salt, params)
  return `$scrypt$ln=${params.log2N},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`
}

const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/

export function parsePhc(phc: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const m = PHC.exec(phc)
  if (!m) return null
  const params = { log2N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) }
  if (params.log2N < 1 || params.log2N > 22 || params.r < 1 || params.p < 1) return null
  const key = Buffer.from(m[5]!, 'base64')
  if (key.length < 16 || key.length > 64) return null
  return { params, salt: Buffer.from(m[4]!, 'base64'), key }
}

export type PasswordCheck = { valid: boolean; needsRehash: boolean }

/** Constant-time comparison; an unreadable stored hash never matches. */
export async function verifyPassword(
  password: string,
  phc: string,
  target: ScryptParams = DEFAULT_SCRYPT
): Promise<PasswordCheck> {
  const parsed = parsePhc(phc)
  if (!parsed) return { valid: false, needsRehash: false }
  const key = await derive(password, parsed.salt, parsed.params, parsed.key.length)
  const valid = key.length === parsed.key.length && timingSafeEqual(key, parsed.key)
  const p = parsed.params
  const needsRehash = valid && (p.log2N < target.log2N || p.r < target.r || p.p < target.p)
  return { valid, needsRehash }
}
