/**
 * A page of the directory's people applied to Tessera's accounts in one transaction, keyed on the
 * directory's stable id (never the DN, never the username: a rename or a move keeps the account
 * and its second factor):
 * - a person Tessera has not linked yet is linked to the local account of the same username and
 *   e-mail (an organisation moving to its directory keeps everyone's 2FA), else created; one whose
 *   username or e-mail another account holds is refused, with why;
 * - a linked account takes the directory's username, e-mail, name and phone, and its role from the
 *   groups (when groups are set);
 * - one the directory disables is only noted here (`directory_seen.disable`): disabling waits for
 *   the whole read, so that the safety rule can count them first (sync.ts); one the directory
 *   enables again is enabled, if it was the directory that disabled it.
 * A dry run decides the same and writes only the scratch rows.
 */
import type { Role } from '../../../shared/dto'
import type { SyncCounts, SyncRefusal } from '../../../shared/directory-source'
import type { Audit, AuditEntry } from '../audit'
import type { Store } from '../../store'
import type { Person } from './ldap/people'
import { problem } from '../../../shared/validation'

type Linked = { id: number; username: string; email: string; display_name: string; phone: string | null; role: Role; disabled: number; disabled_by_directory: number; external_id: string | null; external_dn: string | null }

const COLUMNS = 'id, username, email, display_name, phone, role, disabled, disabled_by_directory, external_id, external_dn'
const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ')

/** Accounts are scanned this many ids at a time, the thread given back between slices (SQLite runs each statement to its end). */
export const SCAN_SLICE = 20_000
const lower = (s: string) => s.toLowerCase()

/** What applying a page left to do after its commit: sessions to end (disabled, another role). */
export type Applied = { signOut: { id: number; reason: 'disabled' | 'role-changed' }[] }

export function createApplier(deps: { store: Store; audit: Audit; now: () => number }) {
  const { store, audit, now } = deps
  const via = { via: 'directory' }

  async function known(people: Person[]): Promise<{ linked: Map<string, Linked>; byName: Map<string, Linked>; byEmail: Map<string, Linked> }> {
    const ids = people.map((p) => p.stableId)
    const names = people.map((p) => p.username)
    const emails = people.map((p) => p.email)
    const linked = await store.all<Linked>(`SELECT ${COLUMNS} FROM users WHERE external_id IN (${marks(ids.length)})`, ids)
    const others = await store.all<Linked>(`SELECT ${COLUMNS} FROM users WHERE username IN (${marks(names.length)}) OR email IN (${marks(emails.length)})`, [...names, ...emails])
    return {
      linked: new Map(linked.map((u) => [u.external_id!, u])),
      byName: new Map(others.map((u) => [lower(u.username), u])),
      byEmail: new Map(others.map((u) => [lower(u.email), u]))
    }
  }

  /** Why `p` cannot have these fields on account `self` (null: it can). */
  function clash(p: Person, self: number | null, k: Awaited<ReturnType<typeof known>>): string | null {
    if (!p.email) return problem('staffRefusals.syncNoEmail')
    const named = k.byName.get(lower(p.username))
    if (named && named.id !== self) return named.external_id ? problem('staffRefusals.syncUsernameOtherDirectory') : problem('staffRefusals.syncUsernameLocal')
    const mailed = k.byEmail.get(lower(p.email))
    if (mailed && mailed.id !== self) return problem('staffRefusals.syncEmailTaken')
    return null
  }

  /** A page's new accounts in one statement (one round trip on PostgreSQL), each logged. */
  async function createAll(made: { p: Person; role: Role }[], entries: AuditEntry[]): Promise<void> {
    if (made.length === 0) return
    const t = now()
    const rows = await store.all<{ id: number; external_id: string }>(
      `INSERT INTO users (username, email, display_name, role, phone, external_id, external_dn, disabled, disabled_by_directory, created_at, updated_at)
       VALUES ${made.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} RETURNING id, external_id`,
      made.flatMap(({ p, role }) => [p.username, p.email, p.displayName, role, p.phone, p.stableId, p.dn, p.disabled ? 1 : 0, p.disabled ? 1 : 0, t, t])
    )
    const ids = new Map(rows.map((r) => [r.external_id, r.id]))
    for (const { p, role } of made) entries.push({ event: 'user.created', subject: { id: ids.get(p.stableId)!, username: p.username }, details: { role, ...via, ...(p.disabled ? { disabled: true } : {}) } })
  }

  /** The page's stable ids as read (and whether the directory disables each linked, active account), in one statement. */
  async function markSeen(seen: [string, number][]): Promise<void> {
    if (seen.length === 0) return
    await store.run(`INSERT INTO directory_seen (external_id, disable) VALUES ${seen.map(() => '(?, ?)').join(', ')} ON CONFLICT (external_id) DO UPDATE SET disable = excluded.disable`, seen.flat())
  }

  /** The linked account brought in line with the directory; what changed is counted and logged. */
  async function update(u: Linked, p: Person, role: Role | null, counts: SyncCounts, entries: AuditEntry[], after: Applied, dryRun: boolean): Promise<void> {
    const changed = (['username', 'email', 'display_name', 'phone'] as const).filter((f) => (f === 'display_name' ? p.displayName : f === 'phone' ? p.phone : p[f]) !== u[f])
    const subject = { id: u.id, username: p.username }
    if (changed.length || p.dn !== u.external_dn || u.external_id === null) {
      if (!dryRun) {
        await store.run('UPDATE users SET username = ?, email = ?, display_name = ?, phone = ?, external_id = ?, external_dn = ?, updated_at = ? WHERE id = ?', [
          p.username, p.email, p.displayName, p.phone, p.stableId, p.dn, now(), u.id
        ])
      }
      if (changed.includes('username')) counts.renamed += 1
      else if (changed.length || u.external_id === null) counts.updated += 1
      if (changed.length || u.external_id === null) {
        const linked = u.external_id === null ? { linked: true } : {}
        entries.push({ event: 'user.updated', subject, details: { changed, ...(changed.includes('username') ? { username: { from: u.username } } : {}), ...linked, ...via } })
      }
    }
    if (!p.disabled && u.disabled && u.disabled_by_directory) {
      if (!dryRun) await store.run('UPDATE users SET disabled = 0, disabled_by_directory = 0, updated_at = ? WHERE id = ?', [now(), u.id])
      counts.enabled += 1
      entries.push({ event: 'user.enabled', subject, details: via })
    }
    if (role !== null && role !== u.role) {
      if (!dryRun) await store.run('UPDATE users SET role = ?, updated_at = ? WHERE id = ?', [role, now(), u.id])
      counts.roleChanged += 1
      entries.push({ event: 'user.role-changed', subject, details: { from: u.role, to: role, ...via } })
      if (!dryRun) after.signOut.push({ id: u.id, reason: 'role-changed' })
    }
  }

  return {
    /**
     * One page: people as read (and entries that could not be people), each account's role from
     * the groups (`roleOf` null: roles are not the directory's), in one transaction.
     */
    async page(people: Person[], roleOf: ((p: Person) => Role) | null, counts: SyncCounts, refusals: SyncRefusal[], dryRun: boolean): Promise<Applied> {
      const after: Applied = { signOut: [] }
      if (people.length === 0) return after
      return store.transaction(async () => {
        const k = await known(people)
        const entries: AuditEntry[] = []
        const seen: [string, number][] = []
        const made: { p: Person; role: Role }[] = []
        for (const p of people) {
          counts.seen += 1
          const u = k.linked.get(p.stableId) ?? (() => {
            const local = k.byName.get(lower(p.username))
            return local && local.external_id === null && lower(local.email) === lower(p.email) ? local : undefined
          })()
          const problem = clash(p, u?.id ?? null, k)
          seen.push([p.stableId, p.disabled && u !== undefined && !u.disabled ? 1 : 0])
          if (problem) {
            counts.refused += 1
            refusals.push({ stableId: p.stableId, username: p.username, reason: problem })
            continue
          }
          if (u) await update(u, p, roleOf?.(p) ?? null, counts, entries, after, dryRun)
          else {
            counts.created += 1
            made.push({ p, role: roleOf?.(p) ?? 'user' })
          }
          // Taken from now on, for the rest of the page.
          const taken = { ...(u ?? ({} as Linked)), id: u?.id ?? -counts.seen, username: p.username, email: p.email, external_id: p.stableId }
          k.byName.set(lower(p.username), taken)
          k.byEmail.set(lower(p.email), taken)
        }
        await markSeen(seen)
        if (!dryRun) await createAll(made, entries)
        if (!dryRun && entries.length) await audit.recordMany(entries)
        return after
      })
    },

    /**
     * The groups' roles for linked accounts this read did not bring: a group changed while their
     * own entry did not (AD and OpenLDAP leave a member's change stamp alone), so an incremental
     * read would miss it. Only those holding a role now or a member of a group are looked at.
     */
    async roles(roleOf: (stableId: string) => Role, members: string[], counts: SyncCounts, dryRun: boolean): Promise<Applied> {
      return store.transaction(async () => {
        // Each half by an index (role; stable id), not a scan of every account.
        const unseen = 'NOT EXISTS (SELECT 1 FROM directory_seen s WHERE s.external_id = u.external_id)'
        const rows = await store.all<{ id: number; username: string; role: Role; external_id: string }>(
          `SELECT id, username, role, external_id FROM users u WHERE role IN ('helpdesk', 'admin') AND external_id IS NOT NULL AND ${unseen}` +
            (members.length ? ` UNION SELECT id, username, role, external_id FROM users u WHERE external_id IN (${marks(members.length)}) AND ${unseen}` : ''),
          members
        )
        const entries: AuditEntry[] = []
        const after: Applied = { signOut: [] }
        for (const r of rows) {
          const role = roleOf(r.external_id)
          if (role === r.role) continue
          counts.roleChanged += 1
          entries.push({ event: 'user.role-changed', subject: { id: r.id, username: r.username }, details: { from: r.role, to: role, ...via } })
          if (dryRun) continue
          await store.run('UPDATE users SET role = ?, updated_at = ? WHERE id = ?', [role, now(), r.id])
          after.signOut.push({ id: r.id, reason: 'role-changed' })
        }
        if (!dryRun && entries.length) await audit.recordMany(entries)
        return after
      })
    },

    /**
     * Accounts whose directory entry said "disabled" (`directory_seen`), and on a full read those gone
     * from it: their ids; and how many directory accounts are enabled (what the safety rule weighs them
     * against). Read SCAN_SLICE ids at a time, `pause` between slices.
     */
    async toDisable(full: boolean, pause: () => Promise<void>): Promise<{ ids: number[]; enabled: number }> {
      const ids: number[] = []
      let enabled = 0
      const range = (await store.get<{ lo: number | null; hi: number | null }>('SELECT min(id) AS lo, max(id) AS hi FROM users'))!
      const why = full ? 's.external_id IS NULL OR s.disable = 1' : 's.disable = 1'
      for (let lo = Number(range.lo ?? 1) - 1; range.hi !== null && lo < Number(range.hi); lo += SCAN_SLICE) {
        const slice = [lo, lo + SCAN_SLICE]
        const rows = await store.all<{ id: number }>(
          `SELECT u.id FROM users u LEFT JOIN directory_seen s ON s.external_id = u.external_id
            WHERE u.id > ? AND u.id <= ? AND u.external_id IS NOT NULL AND u.disabled = 0 AND (${why}) ORDER BY u.id`,
          slice
        )
        ids.push(...rows.map((r) => Number(r.id)))
        enabled += Number((await store.get<{ n: number }>('SELECT count(*) AS n FROM users WHERE id > ? AND id <= ? AND external_id IS NOT NULL AND disabled = 0', slice))!.n)
        await pause()
      }
      return { ids, enabled }
    },

    /** Disables these accounts for the directory, in one transaction (the caller slices), and logs each with why. */
    async disable(ids: number[]): Promise<Applied> {
      return store.transaction(async () => {
        const rows = await store.all<{ id: number; username: string; seen: unknown }>(
          `SELECT u.id, u.username, EXISTS (SELECT 1 FROM directory_seen s WHERE s.external_id = u.external_id) AS seen FROM users u WHERE u.id IN (${marks(ids.length)}) AND u.disabled = 0`,
          ids
        )
        const entries: AuditEntry[] = []
        for (const r of rows) {
          await store.run('UPDATE users SET disabled = 1, disabled_by_directory = 1, updated_at = ? WHERE id = ?', [now(), r.id])
          entries.push({ event: 'user.disabled', subject: { id: r.id, username: r.username }, details: { ...via, reason: r.seen ? 'disabled in the directory' : 'gone from the directory' } })
        }
        if (entries.length) await audit.recordMany(entries)
        return { signOut: rows.map((r) => ({ id: r.id, reason: 'disabled' as const })) }
      })
    }
  }
}

export type Applier = ReturnType<typeof createApplier>
