import { DomainError } from './domain-error'
import type { Clock } from './clock'
import { hashPassword, verifyPassword, type ScryptParams } from './passwords'
import type { Db } from '../db/open'
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

export function createAccounts(deps: { db: Db; clock: Clock; passwordParams: ScryptParams }) {
  const { db, clock, passwordParams } = deps
  // Verified against when the user does not exist, so an unknown name costs as much as a wrong
  // password and the answer's timing does not tell them apart.
  let dummyHash: Promise<string> | null = null
  const dummy = () => (dummyHash ??= hashPassword('tessera-dummy-password', passwordParams))

  /** Usernames and e-mail addresses are each one account's (`exceptId`: the account being edited). */
  function assertFree(username: string, email: string, exceptId = 0): void {
    if (usernameExists(db, username, exceptId)) throw new DomainError('USERNAME_TAKEN', undefined, 'username')
    if (emailExists(db, email, exceptId)) throw new DomainError('EMAIL_TAKEN', undefined, 'email')
  }

  function markTemporary(userId: number, expiresAt: number): void {
    db.prepare('UPDATE password_credentials SET expires_at = ? WHERE user_id = ?').run(expiresAt, userId)
    db.prepare('UPDATE users SET must_change_password = 1 WHERE id = ?').run(userId)
  }

  return {
    assertFree,

    isInitialized(): boolean {
      return anyUser(db)
    },

    /** Creates a user with a password; the hash is computed before the write transaction. */
    async createUser(u: NewUser): Promise<UserRow> {
      assertFree(u.username, u.email)
      const phc = await hashPassword(u.password, passwordParams)
      return db.transaction(() => {
        assertFree(u.username, u.email)
        const now = clock.now()
        const id = insertUser(db, { ...u, now })
        setPasswordHash(db, id, phc, now)
        if (u.temporaryUntil !== undefined) markTemporary(id, u.temporaryUntil)
        return findUserById(db, id)!
      }).immediate()
    },

    /** Only on an empty database: the first account is always an administrator. */
    async createFirstAdmin(u: Omit<NewUser, 'role'>): Promise<UserRow> {
      if (anyUser(db)) throw new DomainError('ALREADY_INITIALIZED')
      const phc = await hashPassword(u.password, passwordParams)
      return db.transaction(() => {
        if (anyUser(db)) throw new DomainError('ALREADY_INITIALIZED')
        const now = clock.now()
        const id = insertUser(db, { ...u, role: 'admin', now })
        setPasswordHash(db, id, phc, now)
        return findUserById(db, id)!
      }).immediate()
    },

    /**
     * Whether `password` is the password of `user` (looked up by the caller; undefined when the name
     * matched nobody). An unknown user costs the same work as a wrong password. A hash with weaker
     * parameters than today's is upgraded on a match.
     */
    async passwordMatches(user: UserRow | undefined, password: string): Promise<boolean> {
      const phc = user ? getPasswordHash(db, user.id) : undefined
      if (!user || !phc) {
        await verifyPassword(password, await dummy(), passwordParams)
        return false
      }
      const check = await verifyPassword(password, phc, passwordParams)
      if (check.needsRehash) {
        const upgraded = await hashPassword(password, passwordParams)
        db.prepare('UPDATE password_credentials SET phc = ? WHERE user_id = ?').run(upgraded, user.id)
      }
      return check.valid
    },

    /** The user's own new password: any temporary one and its expiry are gone. */
    async setPassword(userId: number, password: string): Promise<void> {
      const phc = await hashPassword(password, passwordParams)
      db.transaction(() => {
        setPasswordHash(db, userId, phc, clock.now())
        db.prepare('UPDATE users SET must_change_password = 0 WHERE id = ?').run(userId)
      }).immediate()
    },

    /** A password set by the help desk: it works until `expiresAt` and must be replaced at login. */
    async setTemporaryPassword(userId: number, password: string, expiresAt: number): Promise<void> {
      const phc = await hashPassword(password, passwordParams)
      db.transaction(() => {
        setPasswordHash(db, userId, phc, clock.now())
        markTemporary(userId, expiresAt)
      }).immediate()
    },

    temporaryPasswordExpired(userId: number): boolean {
      const row = db.prepare('SELECT expires_at FROM password_credentials WHERE user_id = ?').get(userId) as { expires_at: number | null } | undefined
      return row?.expires_at != null && row.expires_at <= clock.now()
    }
  }
}

export type Accounts = ReturnType<typeof createAccounts>
