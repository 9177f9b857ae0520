import type { Db } from '../open'
import type { Method } from '../../../shared/policy'

export type FactorState = 'verify-email' | 'scan' | 'confirmed' | 'active'

export type FactorRow = {
  user_id: number
  method: Method
  state: FactorState
  secret: Buffer | null
  last_step: number | null
  started_at: number
  activated_at: number | null
}

export function getFactor(db: Db, userId: number): FactorRow | undefined {
  return db.prepare('SELECT * FROM second_factors WHERE user_id = ?').get(userId) as FactorRow | undefined
}

export function activeFactor(db: Db, userId: number): FactorRow | undefined {
  return db.prepare("SELECT * FROM second_factors WHERE user_id = ? AND state = 'active'").get(userId) as FactorRow | undefined
}

export function putFactor(db: Db, f: Omit<FactorRow, 'activated_at' | 'last_step'> & { last_step?: number | null }): void {
  db.prepare(
    `INSERT INTO second_factors (user_id, method, state, secret, last_step, started_at)
     VALUES (@user_id, @method, @state, @secret, @last_step, @started_at)
     ON CONFLICT (user_id) DO UPDATE SET method = excluded.method, state = excluded.state, secret = excluded.secret,
       last_step = excluded.last_step, started_at = excluded.started_at, activated_at = NULL`
  ).run({ last_step: null, ...f })
}

export function setFactorState(db: Db, userId: number, state: FactorState, now: number): void {
  db.prepare(
    `UPDATE second_factors SET state = @state, activated_at = CASE WHEN @state = 'active' THEN @now ELSE activated_at END
     WHERE user_id = @userId`
  ).run({ state, now, userId })
}

export function setLastStep(db: Db, userId: number, step: number): void {
  db.prepare('UPDATE second_factors SET last_step = ? WHERE user_id = ?').run(step, userId)
}

/** Removes the factor, its security keys, its recovery codes and any live login or setup code: the user has no 2FA afterwards. */
export function removeFactor(db: Db, userId: number): void {
  db.prepare('DELETE FROM second_factors WHERE user_id = ?').run(userId)
  db.prepare('DELETE FROM webauthn_credentials WHERE user_id = ?').run(userId)
  db.prepare('DELETE FROM recovery_codes WHERE user_id = ?').run(userId)
  db.prepare("DELETE FROM email_codes WHERE user_id = ? AND purpose IN ('login', 'enrol')").run(userId)
}

export function replaceRecoveryCodes(db: Db, userId: number, hashes: string[], now: number): void {
  db.prepare('DELETE FROM recovery_codes WHERE user_id = ?').run(userId)
  const insert = db.prepare('INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)')
  for (const h of hashes) insert.run(userId, h, now)
}

export function unusedRecoveryCodes(db: Db, userId: number): { id: number; code_hash: string }[] {
  return db.prepare('SELECT id, code_hash FROM recovery_codes WHERE user_id = ? AND used_at IS NULL').all(userId) as {
    id: number
    code_hash: string
  }[]
}

export function markRecoveryCodeUsed(db: Db, id: number, now: number): void {
  db.prepare('UPDATE recovery_codes SET used_at = ? WHERE id = ?').run(now, id)
}
