/**
 * A first-run machine joins an organisation that already exists on a shared PostgreSQL database,
 * from its first screen, in Chromium: the organisation is a seat (a harness) on the database with
 * its administrator; a fresh harness with an empty data directory shows the first run, the person
 * chooses "Join an existing organisation" with the keyboard, picks the key bundle file, types a
 * wrong passphrase (told beside the field, nothing written), then the right one, and lands on the
 * organisation's login without restarting anything, where the administrator logs in.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test as base } from '@playwright/test'
import { sealKeyBundle } from '../../src/main/core/key-bundle'
import { startHarness, type Harness } from '../../src/harness/server'
import { TEST_SCRYPT, tempDir, testClock, type TestClock } from '../helpers/engine'
import { freshDatabase } from '../helpers/postgres'
import { expect, expectAccessible, screenshot } from './fixtures'
import { ADMIN_PASSWORD, appCode, enrolledInEngine, enterCode, inEngine, logIn, seedUsers } from './helpers'

const PASSPHRASE = 'purple staple orbit lantern'
const DB_PASSWORD = 'kiosk database secret'

type Fixtures = { clock: TestClock; database: { url: string }; organisation: Harness; bundleFile: string; kiosk: Harness }

/** A harness in a data directory of its own, removed with it. */
async function harness(name: string, clock: TestClock, database?: { url: string }): Promise<{ harness: Harness; remove(): void }> {
  const dir = tempDir(`tessera-${name}-`)
  const h = await startHarness({ dataDir: dir.dir, clock, passwordParams: TEST_SCRYPT, testHooks: true, workstationId: name, ...(database ? { database } : {}) })
  return { harness: h, remove: dir.remove }
}

const test = base.extend<Fixtures>({
  clock: async ({}, use) => use(testClock(Date.now())),
  database: async ({}, use) => {
    const db = await freshDatabase(process.env.TESSERA_TEST_DATABASE_URL!)
    await use({ url: db.url })
    await db.drop()
  },
  organisation: async ({ clock, database }, use) => {
    const s = await harness('desk-1', clock, database)
    await seedUsers(s.harness) // the organisation: its administrator (with an authenticator) and its data key
    await use(s.harness)
    await s.harness.close()
    s.remove()
  },
  bundleFile: async ({ organisation }, use) => {
    // As `tessera seat export-key` writes it (at a cheaper scrypt cost, for the test's time).
    const key = Buffer.from(readFileSync(join(organisation.dataDir, 'data.key'), 'utf8').trim(), 'base64')
    const dir = tempDir('tessera-bundle-')
    const file = join(dir.dir, 'org.tessera-key')
    writeFileSync(file, await sealKeyBundle(key, PASSPHRASE, { organisation: 'Example Org', createdAt: Date.now(), createdBy: 'cli:ada@desk-1' }, { kdf: { log2N: 14, r: 8, p: 1 } }))
    await use(file)
    dir.remove()
  },
  kiosk: async ({ clock }, use) => {
    const s = await harness('kiosk-9', clock) // a first run: nothing in its data directory, its own SQLite file
    await use(s.harness)
    await s.harness.close()
    s.remove()
  }
})

test('a first-run machine joins the organisation on its shared database and shows its login', async ({ page, organisation, kiosk, database, bundleFile, clock }) => {
  const secret = await enrolledInEngine(organisation, clock, 'ada')
  await page.goto(kiosk.url)
  await expect(page.getByRole('heading', { name: 'Create the first administrator' })).toBeVisible()

  // Keyboard only: from the focused first field back to the offer, and into the join form.
  await expect(page.getByLabel('Username')).toBeFocused()
  await page.keyboard.press('Shift+Tab')
  await expect(page.getByRole('button', { name: 'Join an existing organisation' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { name: 'Join an existing organisation' })).toBeVisible()
  await expect(page.getByLabel('Database address')).toBeFocused()
  await expectAccessible(page)

  await page.keyboard.type(database.url)
  await page.getByLabel('Database password').fill(DB_PASSWORD)
  await page.getByLabel('Bundle file').setInputFiles(bundleFile)
  await expect(page.getByLabel('Or paste its text')).toHaveValue(/"format": "tessera-key-bundle"/)
  const before = readdirSync(kiosk.dataDir).sort()

  // A wrong passphrase: told beside its field, which is emptied and focused; nothing is written.
  const passphrase = page.getByLabel('Bundle passphrase')
  await passphrase.fill('not the passphrase at all')
  await page.getByRole('button', { name: 'Join the organisation' }).click()
  await expect(passphrase).toHaveAccessibleDescription(/That passphrase does not open this key bundle\.$/)
  await expect(passphrase).toHaveAttribute('aria-invalid', 'true')
  await expect(passphrase).toBeFocused()
  await expect(passphrase).toHaveValue('')
  expect(readdirSync(kiosk.dataDir).sort()).toEqual(before)
  expect(existsSync(join(kiosk.dataDir, 'seat.json'))).toBe(false)
  await expectAccessible(page)
  await screenshot(page, '01d-join-organisation')

  // The right one, sent with Enter: the organisation's login, without a restart.
  await page.keyboard.type(PASSPHRASE)
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible({ timeout: 15_000 })
  await expect(page.getByText(/This workstation joined the organisation at postgres:\/\/tessera@127\.0\.0\.1:\d+\/t_/)).toBeVisible()
  await expect(page.getByLabel('Username or e-mail')).toBeFocused()
  const seat = JSON.parse(readFileSync(join(kiosk.dataDir, 'seat.json'), 'utf8')) as Record<string, string>
  expect(seat).toEqual({ databaseUrl: database.url, passwordFile: join(kiosk.dataDir, 'database-password') })
  expect((statSync(seat['passwordFile']!).mode & 0o777).toString(8)).toBe('600')

  // The organisation's administrator, who was never set up on this machine, logs in here.
  await logIn(page, 'ada', ADMIN_PASSWORD)
  await enterCode(page, appCode(clock, secret))
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible()
  const joined = await inEngine<{ workstation: string }>(kiosk, 'sql.get', "SELECT workstation FROM audit_log WHERE event = 'seat.joined'")
  expect(joined).toEqual({ workstation: 'kiosk-9' })
})
