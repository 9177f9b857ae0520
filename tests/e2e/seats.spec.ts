/**
 * Several seats on one PostgreSQL database, in Chromium: a kiosk and a help-desk seat, each a
 * harness with its own engine, data directory and workstation name, sharing one database and the
 * organisation's data key. A lost-device request made at the kiosk reaches the help desk's badge
 * within two seconds, is handled there, and the user sets up again back at the kiosk.
 */
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { test as base, type Page } from '@playwright/test'
import { startHarness, type Harness } from '../../src/harness/server'
import { TEST_SCRYPT, tempDir, testClock, type TestClock } from '../helpers/engine'
import { freshDatabase, startPostgres, stopAndRemove } from '../helpers/postgres'
import { expect, expectAccessible, screenshot } from './fixtures'
import { completeSetup, enrolledInEngine, logIn, seedUsers, signIn } from './helpers'
import { translator } from '../../src/shared/i18n/translate'

type Seats = { clock: TestClock; database: { url: string }; kiosk: Harness; desk: Harness; deskPage: Page }

/** A seat's harness on the shared database, in a data directory of its own. */
async function seat(name: string, clock: TestClock, database: { url: string }, key?: string): Promise<{ harness: Harness; remove(): void }> {
  const dir = tempDir(`tessera-${name}-`)
  if (key) copyFileSync(key, join(dir.dir, 'data.key')) // as `tessera seat join` leaves it
  const harness = await startHarness({ dataDir: dir.dir, clock, passwordParams: TEST_SCRYPT, testHooks: true, workstationId: name, database })
  return { harness, remove: dir.remove }
}

const test = base.extend<Seats>({
  clock: async ({}, use) => use(testClock(Date.now())),
  database: async ({}, use) => {
    const db = await freshDatabase(process.env.TESSERA_TEST_DATABASE_URL!)
    await use({ url: db.url })
    await db.drop()
  },
  kiosk: async ({ clock, database }, use) => {
    const s = await seat('kiosk-1', clock, database)
    await seedUsers(s.harness, [{ username: 'grace', displayName: 'Grace Hopper' }]) // the organisation, and its key, come first
    await use(s.harness)
    await s.harness.close()
    s.remove()
  },
  desk: async ({ clock, database, kiosk }, use) => {
    const s = await seat('desk-1', clock, database, join(kiosk.dataDir, 'data.key'))
    await seedUsers(s.harness, [{ username: 'hedy', role: 'helpdesk', displayName: 'Hedy Lamarr' }])
    await use(s.harness)
    await s.harness.close()
    s.remove()
  },
  deskPage: async ({ browser, desk }, use) => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 760 } })
    const page = await context.newPage()
    await page.goto(desk.url)
    await use(page)
    await context.close()
  }
})

test('a help desk at one seat handles a lost-device request made at another seat, on one PostgreSQL database', async ({ page, kiosk, desk, deskPage, clock }) => {
  await enrolledInEngine(kiosk, clock, 'grace')
  await signIn(deskPage, desk, 'hedy')
  await expect(deskPage.getByRole('button', { name: 'Help requests', exact: true })).toBeVisible()

  // At the kiosk, Grace cannot use her phone: she asks the help desk.
  await page.goto(kiosk.url)
  await logIn(page, 'grace')
  await page.getByRole('button', { name: 'Lost your device?' }).click()
  await page.getByRole('button', { name: 'Send to all' }).click()
  await expect(page.getByRole('heading', { name: 'Request sent' })).toBeVisible()
  const sent = Date.now()

  // At the help desk, the badge shows it within two seconds, with nobody touching the screen.
  const queue = deskPage.getByRole('button', { name: /Help requests\s*1 open/ })
  await expect(queue).toBeVisible({ timeout: 2_000 })
  expect(Date.now() - sent).toBeLessThan(2_000)
  await queue.click()
  await expect(deskPage.getByRole('heading', { name: /Grace Hopper/ })).toBeVisible()
  await expect(deskPage.getByText('kiosk-1')).toBeVisible()
  await screenshot(deskPage, '50-seat-request')
  await deskPage.getByRole('button', { name: 'Handle the request of Grace Hopper' }).click()
  await deskPage.getByLabel('In person with photo ID').check()
  await deskPage.getByLabel('Note (what you checked)').fill('Badge 4471 checked at the desk')
  await expectAccessible(deskPage)
  await deskPage.getByRole('button', { name: 'Reset 2FA' }).click()
  await expect(deskPage.getByText('Two-factor authentication of Grace Hopper was reset.')).toBeVisible()
  await deskPage.getByRole('button', { name: 'Done' }).click()
  await expect(deskPage.getByText('No open requests.')).toBeVisible()

  // Back at the kiosk, Grace sets up her new phone.
  await page.getByRole('button', { name: 'Log out' }).click()
  await logIn(page, 'grace')
  await expect(page.getByText('Your two-factor authentication was reset.')).toBeVisible()
  await page.getByRole('button', { name: 'Set up now' }).click()
  await completeSetup(page, clock)
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()
})

test('a kiosk whose database server is down says so and carries on by itself when it is back', async ({ page }) => {
  const server = await startPostgres()
  server.stop()
  const dir = tempDir('tessera-kiosk-')
  const clock = testClock(Date.now())
  const kiosk = await startHarness({ dataDir: dir.dir, clock, passwordParams: TEST_SCRYPT, testHooks: true, workstationId: 'kiosk-2', database: { url: server.url } })
  try {
    expect(kiosk.warnings.map((w) => translator('en').sayText(w)).join('\n')).toMatch(/database server cannot be reached/)
    await page.goto(kiosk.url)
    await expect(page.getByRole('heading', { name: 'The database server cannot be reached' })).toBeVisible()
    await screenshot(page, '51-server-unreachable')
    server.start()
    // No reload: the screen asks again by itself, and the first-run form appears once the engine opens.
    await expect(page.getByRole('heading', { name: 'Create the first administrator' })).toBeVisible({ timeout: 15_000 })
  } finally {
    await kiosk.close()
    stopAndRemove(server)
    dir.remove()
  }
})
