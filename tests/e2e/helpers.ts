/**
 * What the browser tests share: seeding the real engine behind the harness, logging in through
 * the screens, and an authenticator that reads the secret from the QR code the app draws.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import type { Harness } from '../../src/harness/server'
import type { EnrolStep, Role } from '../../src/shared/dto'
import type { Locale } from '../../src/shared/i18n/locales'
import { totpAt } from '../../src/main/core/two-factor/totp'
import { expect } from './fixtures'
import type { TestClock } from '../helpers/engine'

export const PASSWORD = 'correct horse battery staple'
export const ADMIN_PASSWORD = 'analytical engine notes'

/** Authenticator secrets set up in each harness's engine, by username. */
const secrets = new WeakMap<Harness, Map<string, string>>()
const secretsOf = (h: Harness) => secrets.get(h) ?? secrets.set(h, new Map()).get(h)!

/** Users as an administrator would have created them; staff (who always need 2FA) have an authenticator set up. */
export async function seedUsers(h: Harness, users: { username: string; role?: Role; displayName?: string }[] = []): Promise<void> {
  if (!(await inEngine(h, 'accounts.isInitialized'))) {
    await inEngine(h, 'accounts.createFirstAdmin', { username: 'ada', email: 'ada@example.org', displayName: 'Ada Lovelace', password: ADMIN_PASSWORD })
    await enrolledInEngine(h, clockOf(h), 'ada')
  }
  for (const u of users) {
    const displayName = u.displayName ?? u.username[0]!.toUpperCase() + u.username.slice(1)
    await inEngine(h, 'accounts.createUser', { username: u.username, email: `${u.username}@example.org`, displayName, role: u.role ?? 'user', password: PASSWORD })
    if (u.role === 'admin' || u.role === 'helpdesk') await enrolledInEngine(h, clockOf(h), u.username)
  }
}

/** Calls an engine function in the harness's worker (a test hook): "policy.save", "sql.get"... */
export async function inEngine<T = unknown>(h: Harness, path: string, ...args: unknown[]): Promise<T> {
  return (await h.host.inspect(path, ...args)) as T
}

const clockOf = (h: Harness) => h.clock as TestClock

/** Logs in through the screens with the password and the authenticator's current code. */
export async function signIn(page: Page, h: Harness, identifier: string, password = PASSWORD): Promise<void> {
  const secret = secretsOf(h).get(identifier)
  if (!secret) throw new Error(`no authenticator set up for ${identifier}`)
  await logIn(page, identifier, password)
  const clock = clockOf(h)
  await enterCode(page, appCode(clock, secret))
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible()
  clock.advance(30_000) // the code's step is spent
}

/** Reads the QR code on the page with zbarimg (an independent decoder) and returns the TOTP secret. */
export async function secretFromQr(page: Page): Promise<string> {
  const src = await page.locator('img.qr').getAttribute('src')
  const dir = mkdtempSync(join(tmpdir(), 'tessera-qr-'))
  try {
    const file = join(dir, 'qr.png')
    writeFileSync(file, Buffer.from(src!.split(',')[1]!, 'base64'))
    const uri = execFileSync('zbarimg', ['--raw', '-q', file], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()
    return new URL(uri).searchParams.get('secret')!
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The code an authenticator app would show now, by the engine's clock. */
export function appCode(clock: TestClock, secret: string): string {
  return totpAt(secret, clock.now())
}

export async function logIn(page: Page, identifier: string, password = PASSWORD): Promise<void> {
  await page.getByLabel('Username or e-mail').fill(identifier)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Log in' }).click()
}

export async function enterCode(page: Page, code: string): Promise<void> {
  await page.getByLabel('Enter the 6-digit code from your authenticator app').fill(code)
  await page.getByRole('button', { name: 'Verify' }).click()
}

/** A wrong code, waiting for the refusal before going on. */
export async function failCode(page: Page, code = '000000'): Promise<void> {
  await enterCode(page, code)
  await expect(page.getByLabel('Enter the 6-digit code from your authenticator app')).toHaveValue('')
  await expect(page.getByRole('button', { name: 'Verify' })).toHaveText('Verify')
}

/** The setup wizard from "Set up now" (or My account) to the end; returns the secret and codes. */
export async function completeSetup(page: Page, clock: TestClock, opts: { chooseApp?: boolean } = {}): Promise<{ secret: string; codes: string[] }> {
  if (opts.chooseApp !== false) {
    await expect(page.getByRole('heading', { name: 'Choose how you will confirm it is you' })).toBeVisible()
    await page.getByRole('button', { name: 'Continue' }).click()
  }
  await expect(page.getByRole('heading', { name: 'Set up your authenticator app' })).toBeVisible()
  const secret = await secretFromQr(page)
  await page.getByLabel('6-digit code from the app').fill(appCode(clock, secret))
  await page.getByRole('button', { name: 'Verify' }).click()
  await expect(page.getByRole('heading', { name: 'Save your recovery codes' })).toBeVisible()
  const codes = (await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allTextContents()).map((c) => c.trim())
  await page.getByLabel('I have saved these codes').check()
  await page.getByRole('button', { name: 'Complete' }).click()
  clock.advance(30_000) // the confirming code's step is spent
  return { secret, codes }
}

/** Sets up TOTP for a user directly in the engine (as if done earlier); returns the secret. */
export async function enrolledInEngine(h: Harness, clock: TestClock, username: string): Promise<string> {
  const known = secretsOf(h).get(username)
  if (known) return known
  const user = await inEngine(h, 'sql.get', 'SELECT * FROM users WHERE username = ?', username)
  const step = await inEngine<EnrolStep>(h, 'twoFactor.startEnrolment', user, 'totp', 'seed')
  if (step.step !== 'scan') throw new Error('expected the scan step')
  const secret = new URL(step.uri).searchParams.get('secret')!
  await inEngine(h, 'twoFactor.confirmEnrolment', user, totpAt(secret, clock.now()), 'seed')
  await inEngine(h, 'twoFactor.completeEnrolment', user, 'seed')
  clock.advance(30_000)
  secretsOf(h).set(username, secret)
  return secret
}

/**
 * English left on a screen: English's small words (in any language), and for Japanese and Korean
 * any two Latin words in a row, outside what is data: the names and addresses seeded here, and
 * what <code> shows (a command, an event id: typed or read by a machine as it is).
 */
export async function englishLeft(page: Page, locale: Locale): Promise<string[]> {
  const shown = await page.locator('main').evaluate((m) => ({ text: (m as HTMLElement).innerText, code: [...m.querySelectorAll('code, kbd, samp')].map((e) => e.textContent ?? '') }))
  const text = shown.code.reduce((t, c) => (c ? t.split(c).join(' ') : t), shown.text).replace(/Grace Hopper|Ada Lovelace|[\w.]+@example\.org/g, '')
  const small = [...text.matchAll(/\b(the|and|with|your|you|this|that|for|from|are|not|will|has|have|was|been|their|they|can|when|which|who)\b/gi)]
  const pairs = locale === 'vi' ? [] : [...text.matchAll(/\b[A-Za-z]{3,} [a-z]{3,}\b/g)]
  return [...small, ...pairs].map((m) => m[0])
}
