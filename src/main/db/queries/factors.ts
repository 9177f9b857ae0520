import type { Queryable } from '../../store'
import type { HeldMethod } from '../../../shared/dto'
import type { Method } from '../../../shared/policy'

export type FactorState = 'verify-email' | 'scan' | 'confirmed' | 'active'

/**
 * One method a person holds (state 'active'), or the one setup under way (any other state): an
 * authenticator app each (named), their security keys as one row (the keys: webauthn_credentials),
 * a hardware token, e-mail.
 */
export type FactorRow = {
  id: number
  user_id: number
  method: Method
  name: string | null
  state: FactorState
  secret: Buffer | null
  last_step: number | null
  started_at: number
  activated_at: number | null
  last_used_at: number | null
  preferred: number
}

/** The default first: the one chosen, else the one used last, else the newest (as `users.method` mirrors it). */
export const DEFAULT_FIRST = 'preferred DESC, last_used_at DESC NULLS LAST, id DESC'

/** A method held as its person and the help desk see it; `i`: its place among them, the default first. */
export function heldMethod(f: FactorRow, i: number): HeldMethod {
  return { id: f.id, method: f.method, name: f.name, activatedAt: f.activated_at ?? f.started_at, lastUsedAt: f.last_used_at, isDefault: i === 0, chosen: f.preferred === 1 }
}

/** The methods the person holds, their default first. */
export function activeFactors(q: Queryable, userId: number): Promise<FactorRow[]> {
  return q.all<FactorRow>(`SELECT * FROM second_factors WHERE user_id = ? AND state = 'active' ORDER BY ${DEFAULT_FIRST}`, [userId])
}

export async function defaultFactor(q: Queryable, userId: number): Promise<FactorRow | undefined> {
  return (await activeFactors(q, userId))[0]
}

/** The setup under way, if any (at most one). */
export function pendingFactor(q: Queryable, userId: number): Promise<FactorRow | undefined> {
  return q.get<FactorRow>("SELECT * FROM second_factors WHERE user_id = ? AND state <> 'active'", [userId])
}

/** Whether the person holds a method or has a setup under way. */
export async function hasAnyFactor(q: Queryable, userId: number): Promise<boolean> {
  return (await q.get('SELECT 1 AS e FROM second_factors WHERE user_id = ? LIMIT 1', [userId])) !== undefined
}

/** Starts a setup, replacing any other setup under way (the methods already held stay); returns its row's id. */
export async function startFactor(
  q: Queryable,
  f: Pick<FactorRow, 'user_id' | 'method' | 'state' | 'secret' | 'started_at'> & { name?: string | null }
): Promise<number> {
  await q.run("DELETE FROM second_factors WHERE user_id = ? AND state <> 'active'", [f.user_id])
  const row = await q.get<{ id: number }>(
    'INSERT INTO second_factors (user_id, method, name, state, secret, started_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
    [f.user_id, f.method, f.name ?? null, f.state, f.secret, f.started_at]
  )
  return row!.id
}

/** Moves a setup on; 'active' makes it a method held, used now (so the default, until another is used or chosen). */
export async function setFactorState(q: Queryable, id: number, state: FactorState, now: number): Promise<void> {
  const active = state === 'active' ? now : null
  await q.run('UPDATE second_factors SET state = ?, activated_at = coalesce(?, activated_at), last_used_at = coalesce(?, last_used_at) WHERE id = ?', [state, active, active, id])
}

export async function setLastStep(q: Queryable, id: number, step: number): Promise<void> {
  await q.run('UPDATE second_factors SET last_step = ? WHERE id = ?', [step, id])
}

/** A method that just let its person in becomes their default (unless they chose one). */
export async function markFactorUsed(q: Queryable, id: number, now: number): Promise<void> {
  await q.run('UPDATE second_factors SET last_used_at = ? WHERE id = ?', [now, id])
}

/**
 * Takes a TOTP step of one app as used: only if no later-or-equal step was taken before, so one step
 * is accepted once even when two processes check the same code at the same moment.
 */
export async function takeStep(q: Queryable, id: number, step: number): Promise<boolean> {
  const r = await q.run('UPDATE second_factors SET last_step = ? WHERE id = ? AND (last_step IS NULL OR last_step < ?)', [step, id, step])
  return r.changes === 1
}

/** Removes every method and setup, the security keys, the recovery codes and any live login or setup code: the user has no 2FA afterwards. */
export async function removeFactor(q: Queryable, userId: number): Promise<void> {
  await q.run('DELETE FROM second_factors WHERE user_id = ?', [userId])
  await q.run('DELETE FROM webauthn_credentials WHERE user_id = ?', [userId])
  await q.run('DELETE FROM recovery_codes WHERE user_id = ?', [userId])
  await q.run("DELETE FROM email_codes WHERE user_id = ? AND purpose IN ('login', 'enrol')", [userId])
}

/**
 * Removes one method (a security keys row takes the keys with it); when it was the last one held,
 * everything goes as with removeFactor.
 */
export async function removeOneFactor(q: Queryable, f: FactorRow): Promise<void> {
  await q.run('DELETE FROM second_factors WHERE id = ?', [f.id])
  if (f.method === 'webauthn') await q.run('DELETE FROM webauthn_credentials WHERE user_id = ?', [f.user_id])
  if (!(await q.get("SELECT 1 AS e FROM second_factors WHERE user_id = ? AND state = 'active' LIMIT 1", [f.user_id]))) await removeFactor(q, f.user_id)
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
