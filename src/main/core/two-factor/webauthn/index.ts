/**
 * Security keys (WebAuthn / FIDO2), verified with @simplewebauthn/server and no network: the
 * registration and login ceremonies, each challenge bound to the session that asked for it, used
 * once and expiring with it; the origin and RP ID checked; a signature counter that goes backwards
 * (a cloned key) refused and audited. Users keep several keys, each with the name they gave it.
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON
} from '@simplewebauthn/server'
import type { SecurityKeyView } from '../../../../shared/dto'
import { type Audit, who } from '../../audit'
import type { Clock } from '../../clock'
import { DomainError } from '../../domain-error'
import { message } from '../../../../shared/i18n/translate'
import type { PolicyStore } from '../../policy'
import type { Store } from '../../../store'
import type { UserRow } from '../../../db/queries/users'

/** The WebAuthn relying party: its RP ID (a domain) and the page origins allowed to use it. */
export type RelyingParty = { id: string; origins: string[] }

type Credential = { id: string; user_id: number; name: string; public_key: Buffer; counter: number; transports: string; rp_id: string; created_at: number; last_used_at: number | null }
type Challenge = { challenge: string; purpose: 'register' | 'login'; userId: number; expiresAt: number }

/** A ceremony's challenge lives as long as the browser's prompt. */
const CHALLENGE_MS = 5 * 60_000


export type KeyCheck = { result: 'ok' } | { result: 'wrong'; why: string }

export function createSecurityKeys(deps: { store: Store; clock: Clock; audit: Audit; policy: PolicyStore; rp: RelyingParty | null }) {
  const { store, clock, audit, policy } = deps
  /** Pending challenges by session id: a new ceremony replaces the old one; verifying consumes it. */
  const challenges = new Map<string, Challenge>()

  function rp(): RelyingParty {
    if (!deps.rp) throw new DomainError('METHOD_NOT_ALLOWED', message('signInRefusals.securityKeysUnavailable'))
    return deps.rp
  }
  const userVerification = () => (policy.get().requireUserVerification ? 'required' : 'preferred')
  const keysOf = (userId: number) => store.all<Credential>('SELECT * FROM webauthn_credentials WHERE user_id = ? ORDER BY created_at, id', [userId])

  /** Takes the session's challenge for `purpose` (once), or fails if there is none or it expired. */
  function take(sessionId: string, purpose: Challenge['purpose'], userId: number): string {
    const c = challenges.get(sessionId)
    challenges.delete(sessionId)
    if (!c || c.purpose !== purpose || c.userId !== userId || c.expiresAt < clock.now()) throw new DomainError('INVALID_CODE', message('signInRefusals.securityKeyPromptExpired'))
    return c.challenge
  }

  function remember(sessionId: string, purpose: Challenge['purpose'], userId: number, challenge: string): void {
    for (const [id, c] of challenges) if (c.expiresAt < clock.now()) challenges.delete(id)
    challenges.set(sessionId, { challenge, purpose, userId, expiresAt: clock.now() + CHALLENGE_MS })
  }

  return {
    available: () => deps.rp !== null,

    async list(userId: number): Promise<SecurityKeyView[]> {
      return (await keysOf(userId)).map((k) => ({ id: k.id, name: k.name, createdAt: k.created_at, lastUsedAt: k.last_used_at }))
    },

    /** How many keys the user has, their rows locked until the caller's transaction ends (removing the last one is decided on it). */
    count: async (userId: number) => (await store.all<{ id: string }>(`SELECT id FROM webauthn_credentials WHERE user_id = ?${store.forUpdate}`, [userId])).length,

    async registrationOptions(user: UserRow, sessionId: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
      const options = await generateRegistrationOptions({
        rpName: policy.get().issuer,
        rpID: rp().id,
        userName: user.username,
        userDisplayName: user.display_name,
        userID: Buffer.from(`tessera-user-${user.id}`),
        attestationType: 'none',
        excludeCredentials: (await keysOf(user.id)).map((k) => ({ id: k.id, transports: JSON.parse(k.transports) as AuthenticatorTransportFuture[] })),
        authenticatorSelection: { residentKey: 'discouraged', userVerification: userVerification() },
        preferredAuthenticatorType: 'securityKey'
      })
      remember(sessionId, 'register', user.id, options.challenge)
      return options
    },

    /** Verifies a new key and stores it under `name`; inside no transaction (the check is asynchronous). */
    async register(user: UserRow, sessionId: string, response: RegistrationResponseJSON, name: string, workstation: string): Promise<SecurityKeyView> {
      const expectedChallenge = take(sessionId, 'register', user.id)
      const { id, origins } = rp()
      let verified
      try {
        verified = await verifyRegistrationResponse({ response, expectedChallenge, expectedOrigin: origins, expectedRPID: id, requireUserVerification: userVerification() === 'required' })
      } catch (error) {
        throw new DomainError('INVALID_INPUT', message('signInRefusals.securityKeyNotRegisteredBecause', { reason: (error as Error).message }))
      }
      if (!verified.verified) throw new DomainError('INVALID_INPUT', message('signInRefusals.securityKeyNotRegistered'))
      const c = verified.registrationInfo.credential
      if ((await keysOf(user.id)).some((k) => k.name.toLowerCase() === name.toLowerCase())) throw new DomainError('INVALID_INPUT', message('signInRefusals.securityKeyNameTaken', { name }), 'name')
      const now = clock.now()
      await store.run('INSERT INTO webauthn_credentials (id, user_id, name, public_key, counter, transports, rp_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
        c.id, user.id, name, Buffer.from(c.publicKey), c.counter, JSON.stringify(c.transports ?? []), id, now])
      await audit.record({ event: 'security-key.added', subject: who(user), workstation, details: { name } })
      return { id: c.id, name, createdAt: now, lastUsedAt: null }
    },

    async authenticationOptions(user: UserRow, sessionId: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
      const keys = await keysOf(user.id)
      if (keys.length === 0) throw new DomainError('NOT_ENROLLED', message('signInRefusals.noSecurityKey'))
      const options = await generateAuthenticationOptions({
        rpID: rp().id,
        allowCredentials: keys.map((k) => ({ id: k.id, transports: JSON.parse(k.transports) as AuthenticatorTransportFuture[] })),
        userVerification: userVerification()
      })
      remember(sessionId, 'login', user.id, options.challenge)
      return options
    },

    /**
     * Checks a login assertion: the key must be one of this user's, signed over this session's
     * challenge, from our origin and RP ID, with a counter that moved forward.
     */
    async check(user: UserRow, sessionId: string, response: AuthenticationResponseJSON, workstation: string): Promise<KeyCheck> {
      const expectedChallenge = take(sessionId, 'login', user.id)
      const key = (await keysOf(user.id)).find((k) => k.id === response.id)
      if (!key) return { result: 'wrong', why: 'not one of this user’s keys' }
      const { id, origins } = rp()
      let info
      try {
        // The stored counter is checked below, so that a regression is told apart and audited.
        const verified = await verifyAuthenticationResponse({
          response, expectedChallenge, expectedOrigin: origins, expectedRPID: id, requireUserVerification: userVerification() === 'required',
          credential: { id: key.id, publicKey: new Uint8Array(key.public_key), counter: 0, transports: JSON.parse(key.transports) as AuthenticatorTransportFuture[] }
        })
        if (!verified.verified) return { result: 'wrong', why: 'signature not verified' }
        info = verified.authenticationInfo
      } catch (error) {
        return { result: 'wrong', why: (error as Error).message }
      }
      const regressed = (stored: number) => audit.record({ event: 'security-key.counter-regressed', subject: who(user), workstation, details: { name: key.name, stored, received: info.newCounter } })
      const why = 'signature counter went backwards (a cloned key?)'
      if ((info.newCounter !== 0 || key.counter !== 0) && info.newCounter <= key.counter) {
        await regressed(key.counter)
        return { result: 'wrong', why }
      }
      // The same test, made by the write: of two logins with one counter value only the first moves it on
      // (a key that keeps no counter, always 0, is held to once by its one-time challenge).
      const moved = await store.run(
        info.newCounter === 0
          ? 'UPDATE webauthn_credentials SET counter = ?, last_used_at = ? WHERE id = ? AND counter = 0'
          : 'UPDATE webauthn_credentials SET counter = ?, last_used_at = ? WHERE id = ? AND counter < ?',
        info.newCounter === 0 ? [info.newCounter, clock.now(), key.id] : [info.newCounter, clock.now(), key.id, info.newCounter]
      )
      if (moved.changes === 1) return { result: 'ok' }
      const now = await store.get<{ counter: number }>('SELECT counter FROM webauthn_credentials WHERE id = ?', [key.id])
      if (!now) return { result: 'wrong', why: 'not one of this user’s keys' }
      await regressed(now.counter)
      return { result: 'wrong', why }
    },

    /** Removes a key by id; the caller decides whether the user may lose it. */
    async remove(user: UserRow, keyId: string, actor: UserRow | null, workstation: string): Promise<void> {
      const key = (await keysOf(user.id)).find((k) => k.id === keyId)
      if (!key) throw new DomainError('NOT_FOUND', message('signInRefusals.noSuchSecurityKey'))
      await store.run('DELETE FROM webauthn_credentials WHERE id = ?', [key.id])
      await audit.record({ event: 'security-key.removed', actor: actor && who(actor), subject: who(user), workstation, details: { name: key.name } })
    },
  }
}

export type SecurityKeys = ReturnType<typeof createSecurityKeys>
