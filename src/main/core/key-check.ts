/**
 * The organisation's data key, checked against the database when an engine opens: the first
 * engine on a database records the fingerprint of its key; every later one must hold the same key
 * or stops with KEY_MISMATCH before it writes anything (it would seal secrets no other seat can
 * open, and fail to open theirs).
 */
import { DomainError } from './domain-error'
import { message } from '../../shared/i18n/translate'
import { assertOrganisationKey, keyFingerprint } from './key-bundle'
import type { KeyProvider } from './secrets'
import type { Store } from '../store'

/** The fingerprint the database records, or null before any engine has opened it. */
export async function organisationFingerprint(store: Store): Promise<string | null> {
  return (await store.get<{ fingerprint: string }>('SELECT fingerprint FROM data_key_check WHERE one = 1'))?.fingerprint ?? null
}

export async function checkDataKey(store: Store, keys: KeyProvider, now: number): Promise<void> {
  const recorded = await organisationFingerprint(store)
  if (recorded !== null && keys.exists?.() === false) {
    throw new DomainError('KEY_MISMATCH', message('staffRefusals.seatHasNoDataKey'))
  }
  let key: Buffer
  try {
    key = keys.dataKey()
  } catch (error) {
    // The CLI on an install whose key only the desktop app can unwrap: it reads, and says so when it must write.
    if (error instanceof DomainError && error.code === 'KEY_UNAVAILABLE') return
    throw error
  }
  if (recorded !== null) return assertOrganisationKey(key, recorded)
  await store.run('INSERT INTO data_key_check (one, fingerprint, created_at) VALUES (1, ?, ?) ON CONFLICT (one) DO NOTHING', [keyFingerprint(key), now])
  // Two first seats at once: whichever wrote first is the organisation's.
  assertOrganisationKey(key, (await organisationFingerprint(store))!)
}
