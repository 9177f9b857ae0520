/**
 * Several methods per person in Chromium: a second authenticator app added from My account after a
 * current code, renamed, chosen to be asked first; and "I lost my phone": the help desk removes only
 * that app from the request, and the other still lets her in.
 */
import { DEFAULT_POLICY } from '../../src/shared/policy'
import { expect, expectAccessible, screenshot, test } from './fixtures'
import { ADMIN_PASSWORD, appCode, enrolledInEngine, enterCode, inEngine, logIn, secretFromQr, seedUsers, signIn } from './helpers'

test.beforeEach(async ({ harness }) => {
  await seedUsers(harness, [{ username: 'grace', displayName: 'Grace Hopper' }])
  await inEngine(harness, 'policy.save', { ...DEFAULT_POLICY, mandatory: true })
})

test('a second app from My account, renamed and asked first; the lost one removed from the help desk queue', async ({ app: page, harness, clock }) => {
  const phone = await enrolledInEngine(harness, clock, 'grace')
  await signIn(page, harness, 'grace')
  await page.getByRole('button', { name: 'Add a method' }).click()
  await page.getByLabel('Code', { exact: true }).fill(appCode(clock, phone))
  await page.getByRole('button', { name: 'Confirm' }).click()
  // She holds an app already: the new one needs a name to tell them apart.
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByLabel('Name of this app')).toHaveAccessibleDescription(/Give the app a name/)
  await page.getByLabel('Name of this app').fill('tablet')
  await page.getByRole('button', { name: 'Continue' }).click()
  clock.advance(30_000)
  const tablet = await secretFromQr(page)
  await page.getByLabel('6-digit code from the app').fill(appCode(clock, tablet))
  await page.getByRole('button', { name: 'Verify' }).click()
  await expect(page.getByRole('heading', { name: 'Authenticator app added' })).toBeVisible()
  await page.getByRole('button', { name: 'Done' }).click()

  const methods = page.getByRole('region', { name: 'Your methods' })
  await methods.getByRole('button', { name: 'Rename Authenticator app “tablet”' }).click()
  await page.getByLabel('New name').fill('work tablet')
  await page.getByRole('button', { name: 'Rename', exact: true }).click()
  await expect(page.getByText('The app is now called “work tablet”.')).toBeVisible()
  // The tablet, set up last, is asked first; she chooses her phone instead.
  await expect(methods.getByRole('listitem').first()).toContainText('work tablet')
  await methods.getByRole('button', { name: 'Ask first: Authenticator app', exact: true }).click()
  await expect(page.getByText('Authenticator app is asked first from now on.')).toBeVisible()
  await expect(methods.getByRole('listitem').first()).toContainText('Asked first')
  await expect(methods.getByRole('listitem').first()).not.toContainText('work tablet')
  await expectAccessible(page)
  await page.getByRole('button', { name: 'Log out' }).click()

  // She loses the tablet and asks the help desk (her phone is at home today).
  clock.advance(30_000)
  await logIn(page, 'grace')
  await page.getByRole('button', { name: 'Lost your device?' }).click()
  await page.getByRole('button', { name: 'Send to all' }).click()
  await expect(page.getByRole('heading', { name: 'Request sent' })).toBeVisible()
  await page.getByRole('button', { name: 'Log out' }).click()

  await signIn(page, harness, 'ada', ADMIN_PASSWORD)
  await page.getByRole('button', { name: /Help requests\s*1 open/ }).click()
  await page.getByRole('button', { name: 'Handle the request of Grace Hopper' }).click()
  await page.getByLabel('In person with photo ID').check()
  await page.getByLabel('Or remove only what they lost').selectOption({ label: 'Authenticator app “work tablet”' })
  await expectAccessible(page)
  await screenshot(page, '31b-request-remove-lost-method')
  await page.getByRole('button', { name: 'Remove only this' }).click()
  await expect(page.getByText('The method Grace Hopper lost was removed: they log in with the others they hold.')).toBeVisible()
  await page.getByRole('button', { name: 'Done' }).click()
  await page.getByRole('button', { name: 'Log out' }).click()

  // The tablet no longer works; her phone does.
  clock.advance(30_000)
  await logIn(page, 'grace')
  await enterCode(page, appCode(clock, tablet))
  await expect(page.getByText('That code is not correct.')).toBeVisible()
  await enterCode(page, appCode(clock, phone))
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()
  await expect(page.getByRole('region', { name: 'Your methods' }).getByRole('listitem')).toHaveCount(1)
})
