/**
 * A user without a phone gets a hardware token: the administrator imports the vendor's encrypted
 * PSKC file, the help desk gives the user a token by its serial number, the user confirms its first
 * code at their next login and logs in with it from then on. Codes come from oathtool.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { DEFAULT_POLICY } from '../../src/shared/policy'
import { pskc } from '../helpers/pskc'
import { expect, expectAccessible, screenshot, test } from './fixtures'
import { ADMIN_PASSWORD, inEngine, logIn, seedUsers, signIn } from './helpers'

const seed = randomBytes(20)
const code = (counter: number) => execFileSync('oathtool', ['--hotp', '-c', String(counter), seed.toString('hex')], { encoding: 'utf8' }).trim()

// Before the page opens (the app fixture), so it starts at the login screen.
test.beforeEach(async ({ harness }) => {
  await seedUsers(harness, [{ username: 'grace', displayName: 'Grace Hopper' }])
  await inEngine(harness, 'policy.save', { ...DEFAULT_POLICY, allowedMethods: ['totp', 'email', 'token'] })
})

test('a kiosk user without a phone logs in with a hardware token imported from a PSKC file', async ({ app: page, harness }, testInfo) => {
  const psk = randomBytes(16)
  const file = testInfo.outputPath('tokens.xml')
  writeFileSync(file, pskc([{ serial: 'HW-2026-0001', kind: 'hotp', secret: seed }, { serial: 'HW-2026-0002', kind: 'totp', secret: randomBytes(20), period: 30 }], psk))

  // The administrator imports the vendor's file; without the key it is refused, naming the entry.
  await signIn(page, harness, 'ada', ADMIN_PASSWORD)
  await page.getByRole('button', { name: 'Tokens' }).click()
  await page.getByLabel('Seed file').setInputFiles(file)
  await page.getByRole('button', { name: 'Import' }).click()
  await expect(page.getByText(/entry 1 \(serial HW-2026-0001\): the secret is encrypted/)).toBeVisible()
  await page.getByLabel('Pre-shared key (encrypted PSKC only)').fill(psk.toString('hex'))
  await page.getByRole('button', { name: 'Import' }).click()
  await expect(page.getByText('2 tokens imported.')).toBeVisible()
  await expect(page.getByRole('row', { name: /HW-2026-0001 Counter \(HOTP\), 6 digits Available/ })).toBeVisible()
  await expectAccessible(page)
  await screenshot(page, '40-tokens')

  // The help desk (here the administrator) gives Grace the token by its serial number.
  await page.getByRole('button', { name: 'Users' }).click()
  await page.getByRole('button', { name: 'Grace Hopper: open details' }).click()
  await page.getByLabel('Serial number on the token').fill('hw-2026-0001')
  await page.getByRole('button', { name: 'Assign token' }).click()
  await expect(page.getByText('Token HW-2026-0001 assigned: Grace Hopper confirms its first code at their next login.')).toBeVisible()
  await screenshot(page, '41-token-assigned')
  await page.getByRole('button', { name: 'Log out' }).click()

  // Grace confirms it with its first code, saves her recovery codes, and is in.
  await logIn(page, 'grace')
  await expect(page.getByText('The help desk gave you a hardware token.')).toBeVisible()
  await page.getByRole('button', { name: 'Set up now' }).click()
  await expect(page.getByRole('heading', { name: 'Confirm your hardware token' })).toBeVisible()
  await expectAccessible(page)
  await screenshot(page, '42-token-confirm')
  await page.getByLabel('6-digit code from the token').fill(code(0))
  await page.getByRole('button', { name: 'Verify' }).click()
  await page.getByLabel('I have saved these codes').check()
  await page.getByRole('button', { name: 'Complete' }).click()
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()
  await expect(page.getByText('Hardware token, since')).toBeVisible()
  await page.getByRole('button', { name: 'Log out' }).click()

  // The next time, the token's next code; a code already used is refused.
  await logIn(page, 'grace')
  const field = page.getByLabel('Enter the code shown on your hardware token')
  await field.fill(code(0))
  await page.getByRole('button', { name: 'Verify' }).click()
  await expect(page.getByText('That code is not correct.')).toBeVisible()
  await screenshot(page, '43-token-second-step')
  await field.fill(code(1))
  await page.getByRole('button', { name: 'Verify' }).click()
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()
})
