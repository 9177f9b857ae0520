/**
 * Renderer responsiveness: drives the login and second-step screens in Chromium against the
 * harness and reports every long task (> 50 ms, the RAIL budget) the main thread ran on them.
 *   npm run bench:ui
 */
import { chromium } from 'playwright-core'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHarness } from '../src/harness/server'
import { createEngine } from '../src/main/core/engine'
import { databaseFile } from '../src/main/data-dir'
import { totpAt } from '../src/main/core/two-factor/totp'
import { observeLongTasks } from './long-task-observer'

const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-ui-'))
// Seeded in-process, then served by the harness's worker.
const engine = await createEngine({ databaseFile: databaseFile(dir), dataDir: dir, passwordParams: { log2N: 10, r: 8, p: 1 } })
let secret: string
{
  await engine.accounts.createFirstAdmin({ username: 'ada', email: 'ada@example.org', displayName: 'Ada', password: 'analytical engine notes' })
  const grace = await engine.accounts.createUser({ username: 'grace', email: 'grace@example.org', displayName: 'Grace', role: 'user', password: 'correct horse battery staple' })
  const step = await engine.twoFactor.startEnrolment(grace, 'totp', 'bench')
  secret = new URL((step as { uri: string }).uri).searchParams.get('secret')!
  await engine.twoFactor.confirmEnrolment(grace, totpAt(secret, Date.now() - 30_000), 'bench')
  await engine.twoFactor.completeEnrolment(grace, 'bench')
  await engine.close()
}
const harness = await startHarness({ dataDir: dir, passwordParams: { log2N: 10, r: 8, p: 1 } })
const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
try {

  const page = await browser.newPage()
  const longTasks = await observeLongTasks(page)

  await page.goto(harness.url)
  await page.getByLabel('Username or e-mail').waitFor()
  const onLoad = await longTasks()
  await page.getByLabel('Username or e-mail').pressSequentially('grace', { delay: 20 })
  await page.getByLabel('Password').pressSequentially('correct horse battery staple', { delay: 10 })
  await page.getByRole('button', { name: 'Log in' }).click()
  const field = page.getByLabel('Enter the 6-digit code from your authenticator app')
  await field.waitFor()
  const onLogin = await longTasks()
  await field.pressSequentially(totpAt(secret, Date.now()), { delay: 30 })
  await page.waitForTimeout(2_000) // let the countdown tick
  await page.getByRole('button', { name: 'Verify' }).click()
  await page.getByRole('heading', { name: 'My account' }).waitFor()
  const onCode = await longTasks()

  const show = (label: string, xs: number[]) =>
    console.log(`${label.padEnd(36)} long tasks: ${String(xs.length).padStart(2)}   longest: ${xs.length ? Math.max(...xs).toFixed(0) : 0} ms`)
  show('first load (bundle parse)', onLoad)
  show('login screen: typing, submit', onLogin)
  show('code screen: typing, countdown, verify', onCode)
} finally {
  await browser.close()
  await harness.close()
  rmSync(dir, { recursive: true, force: true })
}
