import type { Db } from '../open'
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
}

/** Whether any account exists (an EXISTS, not a count: it costs the same at a million users). */
export function anyUser(db: Db): boolean {
  return (db.prepare('SELECT EXISTS (SELECT 1 FROM users) AS e').get() as { e: number }).e === 1
}

export function findUserById(db: Db, id: number): UserRow | undefined {
  return db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined
}

/** By username or e-mail, case-insensitively (both columns are COLLATE NOCASE). */
export function findUserByIdentifier(db: Db, identifier: string): UserRow | undefined {
  return db
    .prepare('SELECT * FROM users WHERE username = @id OR email = @id ORDER BY username = @id DESC LIMIT 1')
    .get({ id: identifier }) as UserRow | undefined
}

/** Whether an account (other than `exceptId`) has this username, case-insensitively. */
export function usernameExists(db: Db, username: string, exceptId = 0): boolean {
  return db.prepare('SELECT 1 FROM users WHERE username = ? AND id <> ?').get(username, exceptId) !== undefined
}

/** Whether an account (other than `exceptId`) has this e-mail address, case-insensitively. */
export function emailExists(db: Db, email: string, exceptId = 0): boolean {
  return db.prepare('SELECT 1 FROM users WHERE email = ? AND id <> ?').get(email, exceptId) !== undefined
}

export function insertUser(
  db: Db,
  u: { username: string; email: string; displayName: string; role: Role; phone?: string | null; now: number }
): number {
  const info = db
    .prepare(
      `INSERT INTO users (username, email, display_name, role, phone, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`
    )
    .run(u.username, u.email, u.displayName, u.role, u.phone ?? null, u.now, u.now)
  return Number(info.lastInsertRowid)
}

export function getPasswordHash(db: Db, userId: number): string | undefined {
  const row = db.prepare('SELECT phc FROM password_credentials WHERE user_id = ?').get(userId) as
    | { phc: string }
    | undefined
  return row?.phc
}

export function setPasswordHash(db: Db, userId: number, phc: string, now: number): void {
  db.prepare(
    `INSERT INTO password_credentials (user_id, phc, changed_at) VALUES (?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET phc = excluded.phc, changed_at = excluded.changed_at, expires_at = NULL`
  ).run(userId, phc, now)
}
