/** Who may act on which account from the console: shared by the help-desk and profile services. */
import { DomainError } from './domain-error'
import type { Db } from '../db/open'
import { findUserById, type UserRow } from '../db/queries/users'


export function createStaffRules(db: Db) {
  return {
    user(id: number): UserRow {
      const u = findUserById(db, id)
      if (!u) throw new DomainError('NOT_FOUND', 'No such user.')
      return u
    },

    /** Help desk acts on plain users only; nobody acts on their own account from the console. */
    assertMayActOn(actor: UserRow | null, target: UserRow): void {
      if (!actor) return
      if (actor.id === target.id) throw new DomainError('OWN_ACCOUNT')
      if (actor.role === 'helpdesk' && target.role !== 'user') throw new DomainError('ROLE_NOT_ALLOWED', 'Help-desk staff can act on user accounts only; ask an administrator.')
    },

    /** Administrators who can log in: never fewer than one. */
    activeAdmins(): number {
      return (db.prepare("SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0").get() as { n: number }).n
    }
  }
}

export type StaffRules = ReturnType<typeof createStaffRules>
