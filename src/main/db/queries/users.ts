import type { Locale } from '../../../shared/i18n/locales'
import type { Queryable } from '../../store'
import type { Role } from '../../../shared/dto'

export type UserRow = {
  id: number
  username: string
  email: string
  display_name: string
  role: Role
  disabled: 0 | 1
  created_at: number
  updated_at: number
  postponements_used: number
  must_enrol: 0 | 1
  must_change_password: 0 | 1
  last_login_at: number | null
  phone: string | null
  /** The directory's stable id for this account (objectGUID, entryUUID); null for a local account. */
  external_id: string | null
  /** The language they chose to read Tessera in (null: the organisation's default). */
  language: Locale | null
}

/** Whether any account exists (an EXISTS, not a count: it costs the same at a million users). */
export async function anyUser(q: Queryable): Promise<boolean> {
  return (await q.get('SELECT 1 AS e FROM users LIMIT 1')) !== undefined
}

export function findUserById(q: Queryable, id: number): Promise<UserRow | undefined> {
  return q.get<UserRow>('SELECT * FROM users WHERE id = ?', [id])
}

/** By username or e-mail, case-insensitively (both columns are case-insensitive in each schema). */
export function findUserByIdentifier(q: Queryable, identifier: string): Promise<UserRow | undefined> {
  return q.get<UserRow>(
    'SELECT * FROM users WHERE username = ? OR email = ? ORDER BY CASE WHEN username = ? THEN 0 ELSE 1 END LIMIT 1',
    [identifier, identifier, identifier]
  )
}

/** Whether an account (other than `exceptId`) has this username, case-insensitively. */
export async function usernameExists(q: Queryable, username: string, exceptId = 0): Promise<boolean> {
  return (await q.get('SELECT 1 AS e FROM users WHERE username = ? AND id <> ?', [username, exceptId])) !== undefined
}

/** Whether an account (other than `exceptId`) has this e-mail address, case-insensitively. */
export async function emailExists(q: Queryable, email: string, exceptId = 0): Promise<boolean> {
  return (await q.get('SELECT 1 AS e FROM users WHERE email = ? AND id <> ?', [email, exceptId])) !== undefined
}

export async function insertUser(
  q: Queryable,
  u: { username: string; email: string; displayName: string; role: Role; phone?: string | null; now: number }
): Promise<number> {
  const row = await q.get<{ id: number }>(
    `INSERT INTO users (username, email, display_name, role, phone, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    [u.username, u.email, u.displayName, u.role, u.phone ?? null, u.now, u.now]
  )
  return row!.id
}

export async function getPasswordHash(q: Queryable, userId: number): Promise<string | undefined> {
  return (await q.get<{ phc: string }>('SELECT phc FROM password_credentials WHERE user_id = ?', [userId]))?.phc
}

export async function setPasswordHash(q: Queryable, userId: number, phc: string, now: number): Promise<void> {
  await q.run(
    `INSERT INTO password_credentials (user_id, phc, changed_at) VALUES (?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET phc = excluded.phc, changed_at = excluded.changed_at, expires_at = NULL`,
    [userId, phc, now]
  )
}
