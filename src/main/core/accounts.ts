import { DomainError } from './domain-error'
import type { Clock } from './clock'
import { hashPassword, verifyPassword, type ScryptParams } from './passwords'
import type { Store } from '../store'
import {
  anyUser,
  emailExists,
  findUserById,
  getPasswordHash,
  insertUser,
  setPasswordHash,
  usernameExists,
  type UserRow
} from '../db/queries/users'
import type { Role } from '../../shared/dto'

export type NewUser = {
  username: string
  email: string
  displayName: string
  password: string
  role: Role
  phone?: string | null
  /** A temporary password: it works until then and must be replaced at the first login. */
  temporaryUntil?: number
}

export function createAccounts(deps: { store: Store; clock: Clock; passwordParams: ScryptParams }) {
  const { store, clock, passwordParams } = deps
  // Verified against when the user does not exist, so an unknown name costs as much as a wrong
  // password and the answer's timing does not tell them apart.
  let dummyHash: Promise<string> | null = null
  const dummy = () => (dummyHash ??= hashPassword('tessera-dummy-password', passwordParams))

  /** Usernames and e-mail addresses are each one account's (`exceptId`: the account being edited). */
  async function assertFree(username: string, email: string, exceptId = 0): Promise<void> {
    if (await usernameExists(store, username, exceptId)) throw new DomainError('USERNAME_TAKEN', undefined, 'username')
    if (await emailExists(store, email, exceptId)) throw new DomainError('EMAIL_TAKEN', undefined, 'email')
  }

  async function markTemporary(userId: number, expiresAt: number): Promise<void> {
    await store.run('UPDATE password_credentials SET expires_at = ? WHERE user_id = ?', [expiresAt, userId])
    await store.run('UPDATE users SET must_change_password = 1 WHERE id = ?', [userId])
  }

  /** A username or e-mail taken by another seat between the check and the insert: the same refusal. */
  function takenError(error: unknown): unknown {
    const text = error instanceof Error ? error.message : ''
    if (/unique/i.test(text) && /username/i.test(text)) return new DomainError('USERNAME_TAKEN', undefined, 'username')
    if (/unique/i.test(text) && /email/i.test(text)) return new DomainError('EMAIL_TAKEN', undefined, 'email')
    return error
  }

  let initialized = false
  return {
    assertFree,

    /** Once true, true for good (the last administrator cannot be removed): not asked again. */
    async isInitialized(): Promise<boolean> {
      initialized ||= await anyUser(store)
      return initialized
    },

    /** Creates a user with a password; the hash is computed before the write transaction. */
    async createUser(u: NewUser): Promise<UserRow> {
      await assertFree(u.username, u.email)
      const phc = await hashPassword(u.password, passwordParams)
      return store
        .transaction(async () => {
          await assertFree(u.username, u.email)
          const now = clock.now()
          const id = await insertUser(store, { ...u, now })
          await setPasswordHash(store, id, phc, now)
          if (u.temporaryUntil !== undefined) await markTemporary(id, u.temporaryUntil)
          return (await findUserById(store, id))!
        })
        .catch((error: unknown) => Promise.reject(takenError(error)))
    },

    /** Only on an empty database: the first account is always an administrator. */
    async createFirstAdmin(u: Omit<NewUser, 'role'>): Promise<UserRow> {
      if (await anyUser(store)) throw new DomainError('ALREADY_INITIALIZED')
      const phc = await hashPassword(u.password, passwordParams)
      return store.transaction(async () => {
        // Two seats creating the first administrator at once: the second waits here, then sees the first.
        await store.lock('first-administrator')
        if (await anyUser(store)) throw new DomainError('ALREADY_INITIALIZED')
        const now = clock.now()
        const id = await insertUser(store, { ...u, role: 'admin', now })
        await setPasswordHash(store, id, phc, now)
        return (await findUserById(store, id))!
      })
    },

    /**
     * Whether `password` is the password of `user` (looked up by the caller; undefined when the name
     * matched nobody). An unknown user costs the same work as a wrong password. A hash with weaker
     * parameters than today's is upgraded on a match.
     */
    async passwordMatches(user: UserRow | undefined, password: string): Promise<boolean> {
      const phc = user ? await getPasswordHash(store, user.id) : undefined
      if (!user || !phc) {
        await verifyPassword(password, await dummy(), passwordParams)
        return false
      }
      const check = await verifyPassword(password, phc, passwordParams)
      if (check.needsRehash) {
        const upgraded = await hashPassword(password, passwordParams)
        await store.run('UPDATE password_credentials SET phc = ? WHERE user_id = ?', [upgraded, user.id])
      }
      return check.valid
    },

    /** The user's own new password: any temporary one and its expiry are gone. */
    async setPassword(userId: number, password: string): Promise<void> {
      const phc = await hashPassword(password, passwordParams)
      await store.transaction(async () => {
        await setPasswordHash(store, userId, phc, clock.now())
        await store.run('UPDATE users SET must_change_password = 0 WHERE id = ?', [userId])
      })
    },

    /** A password set by the help desk: it works until `expiresAt` and must be replaced at login. */
    async setTemporaryPassword(userId: number, password: string, expiresAt: number): Promise<void> {
      const phc = await hashPassword(password, passwordParams)
      await store.transaction(async () => {
        await setPasswordHash(store, userId, phc, clock.now())
        await markTemporary(userId, expiresAt)
      })
    },

    async temporaryPasswordExpired(userId: number): Promise<boolean> {
      const row = await store.get<{ expires_at: number | null }>('SELECT expires_at FROM password_credentials WHERE user_id = ?', [userId])
      return row?.expires_at != null && row.expires_at <= clock.now()
    }
  }
}

export type Accounts = ReturnType<typeof createAccounts>
