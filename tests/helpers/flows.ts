/**
 * Flows the engine tests share, all through the real handler table: the first administrator,
 * users created by them, logins, and a TOTP enrolment done the way an authenticator app would
 * (reading the secret from the otpauth:// URI and computing codes from it).
 */
import type { Role } from '../../src/shared/dto'
import { totpAt } from '../../src/main/core/two-factor/totp'
import { ADMIN, connect } from './caller'
import type { TestEngine } from './engine'

export type Conn = ReturnType<typeof connect>
export const PASSWORD = 'correct horse battery staple'

export function secretOf(uri: string): string {
  const secret = new URL(uri).searchParams.get('secret')
  if (!secret) throw new Error(`no secret in ${uri}`)
  return secret
}

export async function firstAdmin(t: TestEngine, ws = 'ws-test'): Promise<Conn> {
  const c = connect(t.engine, ws)
  await c.ok('setup:create-admin', ADMIN)
  return c
}

export async function addUser(admin: Conn, username: string, role: Role = 'user'): Promise<number> {
  const { userId } = await admin.ok('users:create', { username, email: `${username}@example.org`, displayName: username[0]!.toUpperCase() + username.slice(1), role, password: PASSWORD })
  return userId
}

export async function login(t: TestEngine, identifier: string, password = PASSWORD, ws = 'ws-test'): Promise<Conn> {
  const c = connect(t.engine, ws)
  await c.ok('auth:login', { identifier, password })
  return c
}

/** Sets up TOTP on a signed-in (or enrol-stage) connection; returns the secret and recovery codes. */
export async function enrolTotp(t: TestEngine, c: Conn): Promise<{ secret: string; codes: string[] }> {
  const step = await c.ok('enrol:start', { method: 'totp' })
  if (step.step !== 'scan') throw new Error(`expected the scan step, got ${step.step}`)
  const secret = secretOf(step.uri)
  const done = await c.ok('enrol:confirm', { code: totpAt(secret, t.clock.now()) })
  if (done.step !== 'recovery-codes') throw new Error('expected recovery codes')
  await c.ok('enrol:complete', {})
  // The confirming code's time step is spent: move to the next one.
  t.clock.advance(30_000)
  return { secret, codes: done.codes }
}

export function code(t: TestEngine, secret: string): string {
  return totpAt(secret, t.clock.now())
}

/** A wrong 6-digit code for this moment (differs from the codes of the steps around now). */
export function wrongCode(t: TestEngine, secret: string): string {
  const near = [-30_000, 0, 30_000].map((d) => totpAt(secret, t.clock.now() + d))
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(6, '0')
    if (!near.includes(candidate)) return candidate
  }
}
