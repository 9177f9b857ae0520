/**
 * Joining the organisation on its shared PostgreSQL database: the one path `tessera seat join` and
 * the first-run screen's "Join an existing organisation" both take. The bundle is opened, the
 * server reached and its organisation's key compared with the bundle's before anything is written
 * (see `joinSeat`); every refusal is one line, told beside the field it concerns.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { DomainError } from './domain-error'
import { message, type Message } from '../../shared/i18n/translate'
import type { Engine } from './engine'
import { assertOrganisationKey } from './key-bundle'
import { organisationFingerprint } from './key-check'
import { joinSeat, SEAT_FILE, type JoinSeatInput } from './seat-config'
import { connectionTarget, shownAddress, type DatabaseTarget } from '../database-target'
import { openPostgresStore } from '../store/postgres'

export type JoinOrganisationInput = Omit<JoinSeatInput, 'beforeWrite'>

export type Joined = { address: string; fingerprint: string; target: DatabaseTarget }

/** Certificate checks that failed (Node's TLS codes): the CA file, or the address's host name, is not the server's. */
const CERTIFICATE_CODE = /CERT|SELF_SIGNED|^ERR_TLS_|^ERR_SSL_|^ERR_OSSL_/

/** A refusal from the server (a SQLSTATE, e.g. 28P01) or from the connection, in the words of the join form. */
function connectionProblem(error: unknown, target: DatabaseTarget): unknown {
  const url = new URL(target.url)
  const host = url.host
  if (error instanceof DomainError && error.code === 'DATABASE_UNAVAILABLE') {
    return new DomainError('DATABASE_UNAVAILABLE', message('staffRefusals.databaseUnreachable', { address: shownAddress(target.url) }), 'databaseUrl')
  }
  if (error instanceof DomainError) return error.field ? error : new DomainError(error.code, error.words ?? error.message, 'databaseUrl', error.details)
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : ''
  const said = error instanceof Error ? error.message : ''
  const refused = (why: Message, field: string) => new DomainError('DATABASE_REFUSED', why, field)
  if (code === '28P01' || /client password must be a string/i.test(said)) {
    const user = decodeURIComponent(url.username)
    return refused(user ? message('staffRefusals.databasePasswordRefused', { host, user }) : message('staffRefusals.databasePasswordRefusedNoUser', { host }), 'password')
  }
  if (code === '3D000') {
    const database = url.pathname.slice(1)
    return refused(database ? message('staffRefusals.noSuchDatabase', { database, host }) : message('staffRefusals.noDatabaseNamed', { host }), 'databaseUrl')
  }
  if (code === '28000') return refused(message('staffRefusals.databaseUserNotAllowed', { host, reason: said.replace(/\s+/g, ' ') }), 'databaseUrl')
  if (/does not support SSL/i.test(said)) return refused(message('staffRefusals.databaseWithoutTls', { host }), 'caFile')
  if (CERTIFICATE_CODE.test(code)) return refused(message('staffRefusals.databaseCertificateRefused', { host, code }), 'caFile')
  // Any other refusal from PostgreSQL itself (it has a SQLSTATE): its own words, which hold no secret.
  if (/^[0-9A-Z]{5}$/.test(code) && said) return refused(message('staffRefusals.databaseRefused', { host, reason: said.replace(/\s+/g, ' ') }), 'databaseUrl')
  return error
}

/** The organisation's database, reached and asked for its key's fingerprint, which must be the bundle's. */
async function checkOrganisation(target: DatabaseTarget, dataKey: Buffer): Promise<void> {
  const address = shownAddress(target.url)
  const store = await openPostgresStore(target).catch((error: unknown) => Promise.reject(connectionProblem(error, target)))
  try {
    const recorded = await organisationFingerprint(store)
    if (!recorded) throw new DomainError('NOT_INITIALIZED', message('staffRefusals.noOrganisationInDatabase', { address }), 'databaseUrl')
    try {
      assertOrganisationKey(dataKey, recorded)
    } catch {
      throw new DomainError('KEY_MISMATCH', message('staffRefusals.bundleOfAnotherOrganisation', { address }), 'bundleText')
    }
  } finally {
    await store.close()
  }
}

/**
 * Makes this machine a seat of the organisation at `input.databaseUrl`: checks everything (the
 * settings, the bundle and its passphrase, the server, the organisation's key), then writes the
 * data key and seat.json (and the password file of a typed password). Writes nothing when anything
 * is wrong. Returns where it joined; an engine opened on `target` from now on is the organisation's.
 */
export async function joinOrganisation(dataDir: string, input: JoinOrganisationInput): Promise<Joined> {
  const checked: { target?: DatabaseTarget } = {}
  const fingerprint = await joinSeat(dataDir, {
    ...input,
    beforeWrite: async (dataKey, config) => {
      const secret = input.password === undefined ? { passwordFile: config.passwordFile } : { password: input.password }
      checked.target = connectionTarget(config.databaseUrl, 'The database address', { caFile: config.caFile, ...secret })
      await checkOrganisation(checked.target, dataKey)
    }
  })
  const target = checked.target!
  return { address: shownAddress(target.url), fingerprint, target }
}

/**
 * Why this machine may not join from its first-run screen, or null: it must be on its own SQLite
 * database with no seat settings, nobody set up and nothing recorded, so that the key it made for
 * itself at its first start protects nothing and can give way to the organisation's.
 */
export async function firstRunRefusal(engine: Pick<Engine, 'store' | 'dataDir' | 'accounts'>): Promise<DomainError | null> {
  const setUp = (why: 'seat' | 'users' | 'records') => new DomainError('ALREADY_SET_UP', message('staffRefusals.notFirstStart', { why }))
  if (engine.store.kind !== 'sqlite' || existsSync(join(engine.dataDir, SEAT_FILE))) return setUp('seat')
  if (await engine.accounts.isInitialized()) return setUp('users')
  if (await engine.store.get('SELECT id FROM audit_log LIMIT 1')) return setUp('records')
  return null
}

/** The audit row, in the organisation's database, that this seat joined: where from, and how. */
export async function recordSeatJoined(engine: Pick<Engine, 'audit'>, workstation: string, joined: Pick<Joined, 'address' | 'fingerprint'>, via: 'first-run' | 'cli'): Promise<void> {
  await engine.audit.record({ event: 'seat.joined', workstation, details: { via, address: joined.address, fingerprint: joined.fingerprint } })
}
