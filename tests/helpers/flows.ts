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

/** The first administrator, signed in with the authenticator app they had to set up at first run. */
export async function firstAdmin(t: TestEngine, ws = 'ws-test'): Promise<Conn & { secret: string }> {
  const c = connect(t.engine, ws)
  const status = await c.ok('setup:create-admin', ADMIN)
  if (status.stage !== 'enrol') throw new Error(`first run should lead to setup, not ${status.stage}`)
  const { secret } = await enrolTotp(t, c)
  return Object.assign(c, { secret })
}

/**
 * A user created from the console (with a temporary password) who has since chosen PASSWORD, as
 * the first login makes them do (that flow is tested on its own in helpdesk.test.ts).
 */
export async function addUser(admin: Conn, username: string, role: Role = 'user'): Promise<number> {
  const { userId } = await admin.ok('users:create', { username, email: `${username}@example.org`, displayName: username[0]!.toUpperCase() + username.slice(1), role })
  await admin.engine.accounts.setPassword(userId, PASSWORD)
  return userId
}

export async function login(t: TestEngine, identifier: string, password = PASSWORD, ws = 'ws-test'): Promise<Conn> {
  const c = connect(t.engine, ws)
  await c.ok('auth:login', { identifier, password })
  return c
}

/** The authenticator secrets set up in each test engine, by username, so later logins can answer. */
// By data directory, so two seats (engines) on one organisation's data share what the users' apps know.
const secrets = new Map<string, Map<string, string>>()
const secretsOf = (t: TestEngine) => secrets.get(t.dir) ?? secrets.set(t.dir, new Map()).get(t.dir)!

/**
 * Logs in the way a person would and ends signed in: the authenticator's code when one is set up,
 * or setting one up when the account needs it (staff always do).
 */
export async function signIn(t: TestEngine, identifier: string, ws = 'ws-test', password = PASSWORD): Promise<Conn> {
  const c = await login(t, identifier, password, ws)
  const status = await c.ok('app:status', {})
  if (status.stage === 'enrol') await enrolTotp(t, c)
  if (status.stage === 'second-factor') {
    const secret = secretsOf(t).get(status.session!.user.username)
    if (!secret) throw new Error(`no authenticator known for ${identifier}`)
    let r = await c.call('auth:verify', { method: 'totp', code: totpAt(secret, t.clock.now()) })
    if (!r.ok && r.code === 'CODE_ALREADY_USED') {
      t.clock.advance(30_000)
      r = await c.call('auth:verify', { method: 'totp', code: totpAt(secret, t.clock.now()) })
    }
    if (!r.ok) throw new Error(`second factor refused: ${r.code}`)
  }
  return c
}

/** Sets up TOTP on a signed-in (or enrol-stage) connection; returns the secret and recovery codes. */
export async function enrolTotp(t: TestEngine, c: Conn): Promise<{ secret: string; codes: string[] }> {
  const step = await c.ok('enrol:start', { method: 'totp' })
  if (step.step !== 'scan') throw new Error(`expected the scan step, got ${step.step}`)
  const secret = secretOf(step.uri)
  const done = await c.ok('enrol:confirm', { code: totpAt(secret, t.clock.now()) })
  if (done.step !== 'recovery-codes') throw new Error('expected recovery codes')
  const status = await c.ok('enrol:complete', {})
  if (status.session) secretsOf(t).set(status.session.user.username, secret)
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
