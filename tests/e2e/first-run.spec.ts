/**
 * The walking skeleton end to end: first administrator, log out, a refused login, a good login.
 */
import { expect, expectAccessible, screenshot, test } from './fixtures'
import { appCode, completeSetup, enterCode } from './helpers'

const ADMIN = { username: 'ada', email: 'ada@example.org', name: 'Ada Lovelace', password: 'analytical engine notes' }

test('first run creates the administrator, who sets up a second factor, logs out and back in', async ({ app: page, clock }) => {
  await expect(page.getByRole('heading', { name: 'Create the first administrator' })).toBeVisible()
  await expectAccessible(page)
  await screenshot(page, '01-first-run')

  await page.getByLabel('Username').fill(ADMIN.username)
  await page.getByLabel('E-mail').fill(ADMIN.email)
  await page.getByLabel('Full name').fill(ADMIN.name)
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password)
  await page.getByLabel('Confirm password').fill(ADMIN.password)
  await page.getByRole('button', { name: 'Create administrator' }).click()

  // An administrator's account never opens the console on a password alone.
  await expect(page.getByText('it always needs two-factor authentication')).toBeVisible()
  await expect(page.getByRole('button', { name: /Postpone/ })).toHaveCount(0)
  await screenshot(page, '01b-first-run-setup')
  await page.getByRole('button', { name: 'Set up now' }).click()
  const { secret } = await completeSetup(page, clock)
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible()
  await expect(page.getByText(ADMIN.name, { exact: false }).first()).toBeVisible()
  await screenshot(page, '03-home')
  await page.getByRole('button', { name: 'Log out' }).click()

  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible()
  await expect(page.getByLabel('Username or e-mail')).toBeFocused()
  await expectAccessible(page)

  // Wrong password and unknown user: the same message, and the password field is emptied.
  for (const identifier of [ADMIN.username, 'nobody']) {
    await page.getByLabel('Username or e-mail').fill(identifier)
    await page.getByLabel('Password').fill('not the right password')
    await page.getByRole('button', { name: 'Log in' }).click()
    await expect(page.getByRole('alert')).toHaveText('The username, e-mail or password is incorrect.')
    await expect(page.getByLabel('Password')).toHaveValue('')
  }
  await screenshot(page, '02-login-error')

  await page.getByLabel('Username or e-mail').fill(ADMIN.email.toUpperCase())
  await page.getByLabel('Password').fill(ADMIN.password)
  await page.keyboard.press('Enter')
  await enterCode(page, appCode(clock, secret))
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible()
})

test('the first-run form shows errors next to the fields they concern', async ({ app: page }) => {
  await page.getByLabel('Username').fill('a')
  await page.getByLabel('E-mail').fill('not-an-address')
  await page.getByLabel('Full name').fill('Someone')
  await page.getByLabel('Password', { exact: true }).fill('short')
  await page.getByLabel('Confirm password').fill('shorter')
  await page.getByRole('button', { name: 'Create administrator' }).click()
  // Every problem at once, each beside its field; focus on the first.
  const username = page.getByLabel('Username')
  await expect(username).toHaveAttribute('aria-invalid', 'true')
  await expect(username).toBeFocused()
  await expect(username).toHaveAccessibleDescription('At least 3 characters.')
  await expect(page.getByLabel('E-mail')).toHaveAccessibleDescription('Enter a valid e-mail address, like grace@example.org.')
  await expect(page.getByLabel('Password', { exact: true })).toHaveAccessibleDescription(/At least 15 characters\.$/)
  await expect(page.getByLabel('Confirm password')).toHaveAccessibleDescription('The two passwords are not the same.')
  await expect(page.getByLabel('Full name')).not.toHaveAttribute('aria-invalid', 'true')
  await screenshot(page, '01c-first-run-errors')
})

test('the harness refuses a browser without the token', async ({ harness, browser }) => {
  const page = await browser.newPage()
  const res = await page.goto(harness.origin + '/')
  expect(res?.status()).toBe(401)
  await page.close()
})
