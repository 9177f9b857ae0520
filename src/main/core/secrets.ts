/**
 * Secrets at rest. TOTP secrets and the SMTP password are sealed with AES-256-GCM under one data
 * key; short codes (e-mail codes, one-time access codes) are stored as HMAC-SHA256 under a key
 * derived from it, so a copy of the database alone reveals none of them.
 *
 * The data key comes from a KeyProvider: in Electron it is wrapped by safeStorage (the OS
 * keychain); for the CLI and tests it is a key file with mode 0600 in the data directory.
 */
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DomainError } from './domain-error'
import { message } from '../../shared/i18n/translate'

export const DATA_KEY_BYTES = 32 // AES-256
const IV_BYTES = 12 // GCM's recommended nonce size (NIST SP 800-38D 8.2)
const TAG_BYTES = 16
const SEALED_VERSION = 1

export interface KeyProvider {
  /** The 32-byte data key, created on first use. Throws DomainError('KEY_UNAVAILABLE') if it cannot be read. */
  dataKey(): Buffer
  /** For the audit log and the about screen: how the key is protected. */
  readonly protection: string
  /** Whether a key is already there (false: `dataKey()` would create one). */
  exists?(): boolean
}

export const KEY_FILE = 'data.key'
/** The data key wrapped by Electron's safeStorage (see safe-storage-key.ts). */
export const WRAPPED_KEY_FILE = 'data.key.safe'

/** A key file (mode 0600) in the data directory: the CLI's and tests' provider. */
export function fileKeyProvider(dataDir: string, file = KEY_FILE): KeyProvider {
  const path = join(dataDir, file)
  let key: Buffer | null = null
  return {
    protection: `key file ${path} (mode 0600)`,
    exists: () => key !== null || existsSync(path),
    dataKey() {
      if (key) return key
      if (!existsSync(path) && existsSync(join(dataDir, WRAPPED_KEY_FILE))) {
        // A second key would seal secrets the app cannot open (and the other way round).
        throw new DomainError(
          'KEY_UNAVAILABLE',
          `The data key of ${dataDir} is protected by the desktop app's keychain (${WRAPPED_KEY_FILE}); this command cannot read it.`
        )
      }
      if (!existsSync(path)) {
        try {
          writeFileSync(path, randomBytes(DATA_KEY_BYTES).toString('base64') + '\n', { mode: 0o600, flag: 'wx' })
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
        }
      }
      chmodSync(path, 0o600)
      const loaded = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64')
      if (loaded.length !== DATA_KEY_BYTES) throw new DomainError('KEY_UNAVAILABLE', message('staffRefusals.keyFileDamaged', { path }))
      key = loaded
      return key
    }
  }
}

export type Sealer = ReturnType<typeof createSealer>

export function createSealer(keys: KeyProvider) {
  // Sub-keys derived once (HKDF), each for one purpose, kept as key objects: handing HMAC a raw
  // buffer imports the key anew on every call, six times the cost of the hash itself.
  const derived = new Map<string, KeyObject>()
  const subKey = (info: string) => {
    let k = derived.get(info)
    if (!k) derived.set(info, (k = createSecretKey(Buffer.from(hkdfSync('sha256', keys.dataKey(), Buffer.alloc(0), info, 32)))))
    return k
  }
  return {
    /** version || iv || tag || ciphertext. `context` is bound as associated data (e.g. "totp:42"). */
    seal(plaintext: string, context: string): Buffer {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', keys.dataKey(), iv)
      cipher.setAAD(Buffer.from(context))
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      return Buffer.concat([Buffer.from([SEALED_VERSION]), iv, cipher.getAuthTag(), body])
    },
    open(sealed: Buffer, context: string): string {
      if (sealed[0] !== SEALED_VERSION) throw new DomainError('KEY_UNAVAILABLE', message('staffRefusals.secretUnknownFormat'))
      const iv = sealed.subarray(1, 1 + IV_BYTES)
      const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES)
      const decipher = createDecipheriv('aes-256-gcm', keys.dataKey(), iv)
      decipher.setAAD(Buffer.from(context))
      decipher.setAuthTag(tag)
      try {
        return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8')
      } catch {
        throw new DomainError('KEY_UNAVAILABLE', message('staffRefusals.secretOtherKey'))
      }
    },
    /** Keyed hash of a short code, bound to its purpose and owner. */
    codeHash(code: string, context: string): string {
      return createHmac('sha256', subKey('tessera code hmac')).update(context).update('\0').update(code).digest('base64url')
    },
    /** HMAC-SHA256 under a sub-key of its own for `purpose` (the audit chain, its anchor). */
    mac(purpose: string, data: string): string {
      return createHmac('sha256', subKey(`tessera ${purpose}`)).update(data).digest('hex')
    }
  }
}

/** Constant-time comparison of two hashes of the same encoding. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Whether `hash` is among `hashes`, each compared in constant time, without stopping at a match. */
export function amongHashes(hash: string, hashes: readonly string[]): boolean {
  let found = false
  for (const h of hashes) found = sameHash(hash, h) || found
  return found
}
