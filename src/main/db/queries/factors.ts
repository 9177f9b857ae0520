import type { Queryable } from '../../store'
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

export function getFactor(q: Queryable, userId: number): Promise<FactorRow | undefined> {
  return q.get<FactorRow>('SELECT * FROM second_factors WHERE user_id = ?', [userId])
}

export function activeFactor(q: Queryable, userId: number): Promise<FactorRow | undefined> {
  return q.get<FactorRow>("SELECT * FROM second_factors WHERE user_id = ? AND state = 'active'", [userId])
}

export async function putFactor(q: Queryable, f: Omit<FactorRow, 'activated_at' | 'last_step'> & { last_step?: number | null }): Promise<void> {
  await q.run(
    `INSERT INTO second_factors (user_id, method, state, secret, last_step, started_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET method = excluded.method, state = excluded.state, secret = excluded.secret,
       last_step = excluded.last_step, started_at = excluded.started_at, activated_at = NULL`,
    [f.user_id, f.method, f.state, f.secret, f.last_step ?? null, f.started_at]
  )
}

export async function setFactorState(q: Queryable, userId: number, state: FactorState, now: number): Promise<void> {
  await q.run(`UPDATE second_factors SET state = ?, activated_at = CASE WHEN ? = 'active' THEN ? ELSE activated_at END WHERE user_id = ?`, [state, state, now, userId])
}

export async function setLastStep(q: Queryable, userId: number, step: number): Promise<void> {
  await q.run('UPDATE second_factors SET last_step = ? WHERE user_id = ?', [step, userId])
}

/**
 * Takes a TOTP step as used: only if no later-or-equal step was taken before, so one step is
 * accepted once even when two processes check the same code at the same moment.
 */
export async function takeStep(q: Queryable, userId: number, step: number): Promise<boolean> {
  const r = await q.run('UPDATE second_factors SET last_step = ? WHERE user_id = ? AND (last_step IS NULL OR last_step < ?)', [step, userId, step])
  return r.changes === 1
}

/** Removes the factor, its security keys, its recovery codes and any live login or setup code: the user has no 2FA afterwards. */
export async function removeFactor(q: Queryable, userId: number): Promise<void> {
  await q.run('DELETE FROM second_factors WHERE user_id = ?', [userId])
  await q.run('DELETE FROM webauthn_credentials WHERE user_id = ?', [userId])
  await q.run('DELETE FROM recovery_codes WHERE user_id = ?', [userId])
  await q.run("DELETE FROM email_codes WHERE user_id = ? AND purpose IN ('login', 'enrol')", [userId])
}

export async function replaceRecoveryCodes(q: Queryable, userId: number, hashes: string[], now: number): Promise<void> {
  await q.run('DELETE FROM recovery_codes WHERE user_id = ?', [userId])
  for (const h of hashes) await q.run('INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)', [userId, h, now])
}

export function unusedRecoveryCodes(q: Queryable, userId: number): Promise<{ id: number; code_hash: string }[]> {
  return q.all<{ id: number; code_hash: string }>('SELECT id, code_hash FROM recovery_codes WHERE user_id = ? AND used_at IS NULL', [userId])
}

/** Marks a recovery code used; false when another caller used it first (each code works once). */
export async function markRecoveryCodeUsed(q: Queryable, id: number, now: number): Promise<boolean> {
  return (await q.run('UPDATE recovery_codes SET used_at = ? WHERE id = ? AND used_at IS NULL', [now, id])).changes === 1
}
