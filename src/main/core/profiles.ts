/**
 * Staff edit an account's profile (name, e-mail, username, phone) and delete accounts. The audit
 * keeps history readable: rows name people by the username they had then, an edit records what
 * changed (a rename, from and to), and a deletion records who the account was.
 */
import type { Accounts } from './accounts'
import { type Audit, who } from './audit'
import type { Clock } from './clock'
import { DomainError } from './domain-error'
import { message } from '../../shared/i18n/translate'
import type { SessionStore } from './sessions'
import { createStaffRules } from './staff-rules'
import type { Store } from '../store'
import type { UserRow } from '../db/queries/users'

export type Profile = { username: string; email: string; displayName: string; phone: string | null }

const COLUMNS: Record<keyof Profile, keyof UserRow> = { username: 'username', email: 'email', displayName: 'display_name', phone: 'phone' }

/**
 * `fromDirectory`: whether the organisation's directory manages this account's profile (it is
 * linked to an entry and a directory is set up): then it is changed there, and the next sync
 * brings it here.
 */
export function createProfiles(deps: { store: Store; clock: Clock; accounts: Accounts; audit: Audit; sessions: SessionStore; fromDirectory: (user: UserRow) => Promise<boolean> }) {
  const { store, clock, accounts, audit, sessions } = deps
  const rules = createStaffRules(store)

  return {
    /** Saves the profile; returns the fields that changed (none: nothing written, nothing audited). */
    async update(actor: UserRow | null, targetId: number, p: Profile, workstation: string): Promise<(keyof Profile)[]> {
      const target = await rules.user(targetId)
      rules.assertMayActOn(actor, target)
      const changed = (Object.keys(COLUMNS) as (keyof Profile)[]).filter((k) => (target[COLUMNS[k]] ?? null) !== p[k])
      if (changed.length === 0) return []
      if (await deps.fromDirectory(target)) {
        throw new DomainError('FORBIDDEN', message('staffRefusals.profileFromDirectory'))
      }
      await store.transaction(async () => {
        await accounts.assertFree(p.username, p.email, target.id)
        await store.run('UPDATE users SET username = ?, email = ?, display_name = ?, phone = ?, updated_at = ? WHERE id = ?', [p.username, p.email, p.displayName, p.phone, clock.now(), target.id])
        const renamed = changed.includes('username') ? { username: { from: target.username, to: p.username } } : {}
        await audit.record({ event: 'user.updated', actor: actor && who(actor), subject: { id: target.id, username: p.username }, workstation, details: { changed, ...renamed } })
      })
      return changed
    },

    /** Ends every session of the account, wherever it is signed in; returns how many ended. */
    async signOutEverywhere(actor: UserRow | null, targetId: number): Promise<number> {
      const target = await rules.user(targetId)
      rules.assertMayActOn(actor, target)
      return await sessions.endAllFor(target.id, 'signed-out-everywhere', null, actor && who(actor))
    },

    /**
     * Deletes the account and everything that is only theirs (factors, codes, keys, requests); a
     * hardware token they held is available again (trigger `user_removed_token`). `confirm` is their username, typed by the staff
     * member. Rows that name them as the one who handled something keep the fact, not the link.
     */
    async delete(actor: UserRow | null, targetId: number, confirm: string, workstation: string): Promise<void> {
      const target = await rules.user(targetId)
      rules.assertMayActOn(actor, target)
      if (confirm.trim().toLowerCase() !== target.username.toLowerCase()) throw new DomainError('INVALID_INPUT', message('staffRefusals.typeUsernameToConfirm', { username: target.username }), 'confirm')
      await store.transaction(async () => {
        const admins = await rules.activeAdmins(target.id)
        if (admins.target.role === 'admin' && !admins.target.disabled && admins.n <= 1) throw new DomainError('LAST_ADMIN')
        for (const [table, column] of [['access_codes', 'issued_by'], ['enrolment_tokens', 'created_by'], ['reset_requests', 'handled_by'], ['reset_requests', 'approved_by']] as const) {
          await store.run(`UPDATE ${table} SET ${column} = NULL WHERE ${column} = ?`, [target.id])
        }
        await store.run('DELETE FROM users WHERE id = ?', [target.id])
        await audit.record({ event: 'user.deleted', actor: actor && who(actor), subject: who(target), workstation, details: { displayName: target.display_name, email: target.email, role: target.role } })
      })
      await sessions.endAllFor(target.id, 'deleted')
    }
  }
}

export type Profiles = ReturnType<typeof createProfiles>
