import { DomainError } from './domain-error'
import type { Clock } from './clock'
import { hashPassword, verifyPassword, type ScryptParams } from './passwords'
import type { Db } from '../db/open'
import {
  countUsers,
  emailExists,
  findUserById,
  getPasswordHash,
  insertUser,
  setPasswordHash,
  usernameExists,
  type UserRow
} from '../db/queries/users'
import type { Role } from '../../shared/dto'

export type NewUser = { username: string; email: string; displayName: string; password: string; role: Role }

export function createAccounts(deps: { db: Db; clock: Clock; passwordParams: ScryptParams }) {
  const { db, clock, passwordParams } = deps
  // Verified against when the user does not exist, so an unknown name costs as much as a wrong
  // password and the answer's timing does not tell them apart.
  let dummyHash: Promise<string> | null = null
  const dummy = () => (dummyHash ??= hashPassword('tessera-dummy-password', passwordParams))

  function assertFree(username: string, email: string): void {
    if (usernameExists(db, username)) throw new DomainError('USERNAME_TAKEN', undefined, 'username')
    if (emailExists(db, email)) throw new DomainError('EMAIL_TAKEN', undefined, 'email')
  }

  return {
    isInitialized(): boolean {
      return countUsers(db) > 0
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
        return findUserById(db, id)!
      }).immediate()
    },

    /** Only on an empty database: the first account is always an administrator. */
    async createFirstAdmin(u: Omit<NewUser, 'role'>): Promise<UserRow> {
      if (countUsers(db) > 0) throw new DomainError('ALREADY_INITIALIZED')
      const phc = await hashPassword(u.password, passwordParams)
      return db.transaction(() => {
        if (countUsers(db) > 0) throw new DomainError('ALREADY_INITIALIZED')
        const now = clock.now()
        const id = insertUser(db, { ...u, role: 'admin', now })
        setPasswordHash(db, id, phc, now)
        return findUserById(db, id)!
      }).immediate()
    },

    /**
     * The password check for a user looked up by the caller (undefined when the name matched nobody).
     * Unknown user and wrong password give the same error after the same work.
     * A disabled account is only revealed once the password was right.
     */
    async checkPassword(user: UserRow | undefined, password: string): Promise<UserRow> {
      const phc = user ? getPasswordHash(db, user.id) : undefined
      if (!user || !phc) {
        await verifyPassword(password, await dummy(), passwordParams)
        throw new DomainError('INVALID_CREDENTIALS')
      }
      const check = await verifyPassword(password, phc, passwordParams)
      if (!check.valid) throw new DomainError('INVALID_CREDENTIALS')
      if (user.disabled) throw new DomainError('ACCOUNT_DISABLED')
      if (check.needsRehash) setPasswordHash(db, user.id, await hashPassword(password, passwordParams), clock.now())
      return user
    },

    async setPassword(userId: number, password: string): Promise<void> {
      setPasswordHash(db, userId, await hashPassword(password, passwordParams), clock.now())
    }
  }
}

export type Accounts = ReturnType<typeof createAccounts>
