/**
 * The data key in Electron: 32 random bytes wrapped by safeStorage (the OS keychain: DPAPI,
 * Keychain, libsecret/kwallet) in `data.key.safe`. On Linux without a keyring safeStorage falls
 * back to 'basic_text', which is no protection: we say so in the log and the audit trail.
 * A plain `data.key` written by the CLI is used as it is.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { safeStorage } from 'electron'
import { DomainError } from './core/domain-error'
import { DATA_KEY_BYTES, fileKeyProvider, KEY_FILE, WRAPPED_KEY_FILE, type KeyProvider } from './core/secrets'

export function safeStorageKeyProvider(dataDir: string): KeyProvider {
  const plain = join(dataDir, KEY_FILE)
  const wrapped = join(dataDir, WRAPPED_KEY_FILE)
  if (existsSync(plain) && !existsSync(wrapped)) return fileKeyProvider(dataDir)
  if (!safeStorage.isEncryptionAvailable()) {
    console.warn('[tessera] safeStorage is not available: the data key is kept in a key file (mode 0600).')
    return fileKeyProvider(dataDir)
  }
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os'
  if (backend === 'basic_text') {
    console.warn('[tessera] safeStorage uses the basic_text backend: the data key is NOT protected by a keyring.')
  }
  let key: Buffer | null = null
  return {
    protection: `safeStorage (${backend})`,
    dataKey() {
      if (key) return key
      if (!existsSync(wrapped)) {
        writeFileSync(wrapped, safeStorage.encryptString(randomBytes(DATA_KEY_BYTES).toString('base64')), { mode: 0o600, flag: 'wx' })
      }
      const loaded = Buffer.from(safeStorage.decryptString(readFileSync(wrapped)), 'base64')
      if (loaded.length !== DATA_KEY_BYTES) throw new DomainError('KEY_UNAVAILABLE')
      key = loaded
      return key
    }
  }
}
