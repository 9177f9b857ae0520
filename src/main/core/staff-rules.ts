/** Who may act on which account from the console: shared by the help-desk and profile services. */
import { DomainError } from './domain-error'
import { message } from '../../shared/i18n/translate'
import type { Store } from '../store'
import { findUserById, type UserRow } from '../db/queries/users'


export function createStaffRules(store: Store) {
  return {
    async user(id: number): Promise<UserRow> {
      const u = await findUserById(store, id)
      if (!u) throw new DomainError('NOT_FOUND', message('staffRefusals.noSuchUser'))
      return u
    },

    /** Help desk acts on plain users only; nobody acts on their own account from the console. */
    assertMayActOn(actor: UserRow | null, target: UserRow): void {
      if (!actor) return
      if (actor.id === target.id) throw new DomainError('OWN_ACCOUNT')
      if (actor.role === 'helpdesk' && target.role !== 'user') throw new DomainError('ROLE_NOT_ALLOWED', message('staffRefusals.helpDeskActsOnUsersOnly'))
    },

    /**
     * Inside the write transaction that would disable, demote or delete `targetId`: that account's
     * role and state as they are now, and how many administrators can log in (never fewer than
     * one). The rows are read `FOR UPDATE` in id order, so a second seat removing another
     * administrator at the same time waits for this transaction, then counts what it left (and the
     * two cannot deadlock).
     */
    async activeAdmins(targetId: number): Promise<{ target: Pick<UserRow, 'role' | 'disabled'>; n: number }> {
      const rows = await store.all<{ id: number; role: UserRow['role']; disabled: 0 | 1 }>(
        `SELECT id, role, disabled FROM users WHERE id = ? OR (role = 'admin' AND disabled = 0) ORDER BY id${store.forUpdate}`,
        [targetId]
      )
      const target = rows.find((r) => r.id === targetId)
      if (!target) throw new DomainError('NOT_FOUND', message('staffRefusals.noSuchUser'))
      return { target, n: rows.filter((r) => r.role === 'admin' && !r.disabled).length }
    }
  }
}

export type StaffRules = ReturnType<typeof createStaffRules>
