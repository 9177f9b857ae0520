/**
 * End-user flows in Chromium against the real engine: mandatory setup with postponements, the QR
 * code read by an independent decoder, recovery codes, the second step with every alternative, the
 * lockout, e-mail codes over a real SMTP server, lost device, and the kiosk's idle logout.
 */
import { DEFAULT_POLICY } from '../../src/shared/policy'
import { findUserByIdentifier } from '../../src/main/db/queries/users'
import { sixDigits, startSmtp } from '../helpers/smtp'
import { expect, expectAccessible, screenshot, test } from './fixtures'
import { appCode, completeSetup, enterCode, failCode, logIn, seedUsers } from './helpers'

test.beforeEach(async ({ harness }) => {
  await seedUsers(harness, [{ username: 'grace', displayName: 'Grace Hopper' }, { username: 'hedy', role: 'helpdesk', displayName: 'Hedy Lamarr' }])
})

test('mandatory setup: postpone twice, then set up by QR code and save the recovery codes', async ({ app: page, harness, clock, context }) => {
  harness.engine.policy.save({ ...DEFAULT_POLICY, mandatory: true })
  for (const left of [2, 1]) {
    await logIn(page, 'grace')
    await expect(page.getByRole('heading', { name: 'Set up two-factor authentication' })).toBeVisible()
    if (left === 2) {
      await expectAccessible(page)
      await screenshot(page, '10-setup-required')
    }
    await page.getByRole('button', { name: `Postpone (${left} left)` }).click()
    await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()
    await page.getByRole('button', { name: 'Log out' }).click()
  }
  await logIn(page, 'grace')
  await expect(page.getByRole('button', { name: /Postpone/ })).toHaveCount(0)
  await expect(page.getByText('You have postponed the setup as many times as your organisation allows.')).toBeVisible()
  await page.getByRole('button', { name: 'Set up now' }).click()

  await expect(page.getByRole('heading', { name: 'Choose how you will confirm it is you' })).toBeVisible()
  await expectAccessible(page)
  await screenshot(page, '11-setup-method')
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByRole('heading', { name: 'Set up your authenticator app' })).toBeVisible()
  await expect(page.getByText('Google Authenticator, Microsoft Authenticator, Authy, 2FAS')).toBeVisible()
  await page.getByRole('button', { name: 'Unable to scan?' }).click()
  await expect(page.getByText('Time-based', { exact: true })).toBeVisible()
  await expect(page.locator('.key')).toHaveText(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/)
  await expectAccessible(page)
  await screenshot(page, '12-setup-scan')

  // A wrong code first, then the app's code.
  await page.getByLabel('6-digit code from the app').fill('000000')
  await page.getByRole('button', { name: 'Verify' }).click()
  await expect(page.getByText(/That code is not correct/)).toBeVisible()
  await expect(page.getByLabel('6-digit code from the app')).toBeFocused()
  const { secretFromQr } = await import('./helpers')
  const secret = await secretFromQr(page)
  await page.getByLabel('6-digit code from the app').fill(appCode(clock, secret))
  await page.keyboard.press('Enter')

  await expect(page.getByRole('heading', { name: 'Save your recovery codes' })).toBeVisible()
  const codes = await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allTextContents()
  expect(codes).toHaveLength(10)
  const complete = page.getByRole('button', { name: 'Complete' })
  await expect(complete).toBeDisabled()
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  await page.getByRole('button', { name: 'Copy' }).click()
  await expect(page.getByText('Copied to the clipboard.')).toBeVisible()
  const clip = await page.evaluate(() => navigator.clipboard.readText())
  expect(clip).toContain('Tessera recovery codes')
  expect(clip).toContain(codes[0]!.trim())
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Download (.txt)' }).click()
  const file = await download
  expect(file.suggestedFilename()).toBe('Tessera-recovery-codes.txt')
  const text = await (await file.createReadStream()).toArray()
  expect(Buffer.concat(text).toString()).toMatch(/Account: grace@example\.org[\s\S]*Created: [\s\S]*[0-9A-Z]{4}-[0-9A-Z]{4}/)
  await expectAccessible(page)
  await screenshot(page, '13-recovery-codes')
  await page.getByLabel('I have saved these codes').check()
  await expect(complete).toBeEnabled()
  await complete.click()
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()
  await expect(page.getByText('10 left')).toBeVisible()
  await screenshot(page, '15-my-account')
})

test.describe('with an authenticator set up', () => {
  let secret = ''
  let codes: string[] = []
  test.beforeEach(async ({ app: page, clock }) => {
    await logIn(page, 'grace')
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click()
    ;({ secret, codes } = await completeSetup(page, clock))
    await page.getByRole('button', { name: 'Log out' }).click()
    await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible()
  })

  test('the second step: wrong code, pasted code with a space, replayed code', async ({ app: page, clock }) => {
    await logIn(page, 'grace')
    await expect(page.getByRole('heading', { name: 'Enter your code' })).toBeVisible()
    await expect(page.getByLabel('Enter the 6-digit code from your authenticator app')).toBeFocused()
    await expect(page.getByText('Codes change every 30 seconds.')).toBeVisible()
    await expectAccessible(page)
    await screenshot(page, '20-second-step')
    await enterCode(page, '000000')
    await expect(page.getByText('That code is not correct.')).toBeVisible()
    await expect(page.getByLabel('Enter the 6-digit code from your authenticator app')).toBeFocused()
    await screenshot(page, '21-second-step-wrong')
    const code = appCode(clock, secret)
    await enterCode(page, `${code.slice(0, 3)} ${code.slice(3)}`)
    await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()
    await page.getByRole('button', { name: 'Log out' }).click()

    await logIn(page, 'grace')
    await enterCode(page, code)
    await expect(page.getByText('That code was already used. Wait for the next code in your app.')).toBeVisible()
  })

  test('works with the keyboard alone, in a logical order', async ({ app: page, clock }) => {
    await expect(page.getByLabel('Username or e-mail')).toBeFocused()
    await page.keyboard.type('grace')
    await page.keyboard.press('Tab')
    await expect(page.getByLabel('Password')).toBeFocused()
    await page.keyboard.type('correct horse battery staple')
    await page.keyboard.press('Enter')
    const field = page.getByLabel('Enter the 6-digit code from your authenticator app')
    await expect(field).toBeFocused()
    await page.keyboard.press('Tab')
    await expect(page.getByRole('button', { name: 'Verify' })).toBeFocused()
    await page.keyboard.press('Tab')
    // An authenticator user is not offered e-mail codes (falling back is a policy switch, off by default).
    await expect(page.getByRole('button', { name: 'Use a recovery code' })).toBeFocused()
    await expect(page.getByRole('button', { name: 'Send a code by e-mail' })).toHaveCount(0)
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('Shift+Tab')
    await expect(field).toBeFocused()
    await page.keyboard.type('000000')
    await page.keyboard.press('Enter')
    await expect(field).toBeFocused()
    await expect(field).toHaveAttribute('aria-invalid', 'true')
    await page.keyboard.type(appCode(clock, secret))
    await page.keyboard.press('Enter')
    await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()
  })

  test('a recovery code works once; a used one is refused', async ({ app: page }) => {
    await logIn(page, 'grace')
    await page.getByRole('button', { name: 'Use a recovery code' }).click()
    await expect(page.getByRole('heading', { name: 'Use a recovery code' })).toBeVisible()
    await screenshot(page, '22-recovery-code')
    await page.getByLabel('Recovery code', { exact: true }).fill(codes[0]!.toLowerCase())
    await page.getByRole('button', { name: 'Verify' }).click()
    await expect(page.getByText('9 left')).toBeVisible()
    await page.getByRole('button', { name: 'Log out' }).click()
    await logIn(page, 'grace')
    await page.getByRole('button', { name: 'Use a recovery code' }).click()
    await page.getByLabel('Recovery code', { exact: true }).fill(codes[0]!)
    await page.getByRole('button', { name: 'Verify' }).click()
    await expect(page.getByText('That code is not correct.')).toBeVisible()
  })

  test('five wrong codes lock the account; the field is disabled and says until when', async ({ app: page }) => {
    await logIn(page, 'grace')
    for (let i = 0; i < 5; i++) await failCode(page)
    await expect(page.getByText(/Too many wrong codes\. You can try again after/)).toBeVisible()
    await expect(page.getByLabel('Enter the 6-digit code from your authenticator app')).toBeDisabled()
    await expect(page.getByRole('button', { name: 'Verify' })).toBeDisabled()
    await screenshot(page, '23-locked')
  })

  test('lost device: the request goes to the chosen help-desk member', async ({ app: page, harness }) => {
    await logIn(page, 'grace')
    await page.getByRole('button', { name: 'Lost your device?' }).click()
    await expect(page.getByRole('heading', { name: 'Lost your device?' })).toBeVisible()
    await page.getByLabel(/Hedy Lamarr/).check()
    await page.getByLabel('Message (optional)').fill('Phone stolen on the train')
    await expectAccessible(page)
    await screenshot(page, '24-lost-device')
    await page.getByRole('button', { name: 'Send to selected' }).click()
    await expect(page.getByRole('heading', { name: 'Request sent' })).toBeVisible()
    await expect(page.getByText('Your request was sent to Hedy Lamarr.')).toBeVisible()
    await screenshot(page, '25-lost-device-sent')
    const requests = harness.engine.directory.requests(true)
    expect(requests).toMatchObject([{ user: { username: 'grace' }, recipients: [{ displayName: 'Hedy Lamarr' }], message: 'Phone stolen on the train' }])
  })

  test('reissue recovery codes: the old ones stop working', async ({ app: page, clock }) => {
    await logIn(page, 'grace')
    await enterCode(page, appCode(clock, secret))
    await page.getByRole('button', { name: 'Reissue recovery codes' }).click()
    await page.getByLabel('Password').fill('correct horse battery staple')
    await page.getByRole('button', { name: 'Make new codes' }).click()
    await expect(page.getByRole('list', { name: 'Recovery codes' })).toBeVisible()
    await page.getByLabel('I have saved these codes').check()
    await page.getByRole('button', { name: 'Done' }).click()
    await expect(page.getByText('New recovery codes are ready. The old ones no longer work.')).toBeVisible()
    await page.getByRole('button', { name: 'Log out' }).click()
    await logIn(page, 'grace')
    await page.getByRole('button', { name: 'Use a recovery code' }).click()
    await page.getByLabel('Recovery code', { exact: true }).fill(codes[1]!)
    await page.getByRole('button', { name: 'Verify' }).click()
    await expect(page.getByText('That code is not correct.')).toBeVisible()
  })

  test('disable 2FA needs the password and a code, and is not offered while mandatory', async ({ app: page, clock, harness }) => {
    await logIn(page, 'grace')
    await enterCode(page, appCode(clock, secret))
    await page.getByRole('button', { name: 'Disable 2FA' }).click()
    await page.getByLabel('Password').fill('correct horse battery staple')
    clock.advance(30_000)
    await page.getByLabel('6-digit code').fill(appCode(clock, secret))
    await page.getByRole('button', { name: 'Disable 2FA' }).last().click()
    await expect(page.getByText('Two-factor authentication is off.')).toBeVisible()
    harness.engine.policy.save({ ...DEFAULT_POLICY, mandatory: true })
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click()
    await completeSetup(page, clock)
    await expect(page.getByText('cannot be turned off')).toBeVisible()
    await expect(page.getByRole('button', { name: 'Disable 2FA' })).toHaveCount(0)
  })
})

test('e-mail codes over SMTP, including an expired one', async ({ app: page, harness, clock }) => {
  const smtp = await startSmtp()
  try {
    harness.engine.policy.save({ ...DEFAULT_POLICY, smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', username: '', from: 'tessera@example.org' } })
    await logIn(page, 'grace')
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click()
    await page.getByLabel(/E-mail code/).check()
    await page.getByRole('button', { name: 'Continue' }).click()
    await expect(page.getByRole('heading', { name: 'Enter the code from your e-mail' })).toBeVisible()
    // The first code expires unused; a new one works.
    const expired = sixDigits(await smtp.next(0))
    clock.advance(5 * 60_000 + 1)
    await page.getByLabel('Code from the e-mail').fill(expired)
    await page.getByRole('button', { name: 'Verify' }).click()
    await expect(page.getByText('That code has expired. Ask for a new one.')).toBeVisible()
    await page.getByRole('button', { name: 'Send a new code' }).click()
    await page.getByLabel('Code from the e-mail').fill(sixDigits(await smtp.next(1)))
    await page.getByRole('button', { name: 'Verify' }).click()
    await page.getByLabel('I have saved these codes').check()
    await page.getByRole('button', { name: 'Complete' }).click()
    await page.getByRole('button', { name: 'Log out' }).click()

    // At login the code is sent at once.
    await logIn(page, 'grace')
    await expect(page.getByRole('heading', { name: 'Check your e-mail' })).toBeVisible()
    await expect(page.getByText(/We sent a code to g•+@example\.org/)).toBeVisible()
    await expectAccessible(page)
    await screenshot(page, '26-email-code')
    await page.getByLabel('Enter the 6-digit code from the e-mail').fill(sixDigits(await smtp.next(2)))
    await page.getByRole('button', { name: 'Verify' }).click()
    await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()
  } finally {
    await smtp.close()
  }
})

test('an abandoned setup saves nothing', async ({ app: page, harness }) => {
  await logIn(page, 'grace')
  await page.getByRole('button', { name: 'Set up two-factor authentication' }).click()
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible()
  await page.getByRole('button', { name: 'Cancel setup' }).click()
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()
  expect(harness.engine.db.prepare("SELECT count(*) AS n FROM second_factors f JOIN users u ON u.id = f.user_id WHERE u.username = 'grace'").get()).toEqual({ n: 0 })
  await page.getByRole('button', { name: 'Set up two-factor authentication' }).click()
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible()
  await page.getByRole('button', { name: 'Log out' }).click()
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible()
  expect(harness.engine.db.prepare("SELECT count(*) AS n FROM second_factors f JOIN users u ON u.id = f.user_id WHERE u.username = 'grace'").get()).toEqual({ n: 0 })
})

test('kiosk: an idle session warns, then ends, leaving a clean login screen', async ({ app: page, harness }) => {
  harness.engine.policy.save({ ...DEFAULT_POLICY, idleTimeoutMinutes: 1 })
  await page.clock.install()
  await page.reload()
  await logIn(page, 'grace')
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()
  await page.clock.fastForward(45_000)
  const warning = page.getByRole('alertdialog', { name: 'Are you still there?' })
  await expect(warning).toBeVisible()
  await expect(page.getByRole('button', { name: 'Stay logged in' })).toBeFocused()
  await screenshot(page, '27-idle-warning')
  await page.clock.fastForward(20_000)
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible()
  const html = await page.content()
  expect(html).not.toContain('Grace')
  expect(html).not.toContain('grace@example.org')
  await expect(page.getByLabel('Username or e-mail')).toHaveValue('')
  expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0)
})

test('forgot password without SMTP files a help-desk request', async ({ app: page, harness }) => {
  await page.getByRole('button', { name: 'Forgot password?' }).click()
  await page.getByLabel('Username or e-mail').fill('grace')
  await screenshot(page, '05-forgot-password')
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByRole('heading', { name: 'Request sent to the help desk' })).toBeVisible()
  expect(harness.engine.directory.requests(true)).toHaveLength(1)
})

test('a registration code opens setup', async ({ app: page, harness, clock }) => {
  const grace = findUserByIdentifier(harness.engine.db, 'grace')!
  const sent = await harness.engine.helpdesk.sendEnrolmentLink(null, grace.id, 'test')
  expect(sent.via).toBe('pickup')
  const { readdirSync, readFileSync } = await import('node:fs')
  const outbox = `${harness.engine.dataDir}/outbox`
  const eml = readFileSync(`${outbox}/${readdirSync(outbox)[0]}`, 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '=')
  const link = /tessera:\/\/enroll\?token=[A-Za-z0-9_-]+/.exec(eml)![0]
  await page.getByRole('button', { name: 'I have a registration code' }).click()
  await page.getByLabel('Registration link or code').fill(link)
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByRole('heading', { name: 'Welcome, Grace Hopper' })).toBeVisible()
  await page.getByLabel('Password').fill('correct horse battery staple')
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByRole('heading', { name: 'Set up two-factor authentication' })).toBeVisible()
  await page.getByRole('button', { name: 'Set up now' }).click()
  await completeSetup(page, clock)
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()
})

test('e-mail verification before setup, delivered to the outbox without SMTP', async ({ app: page, harness, clock }) => {
  harness.engine.policy.save({ ...DEFAULT_POLICY, emailVerificationBeforeSetup: true })
  await logIn(page, 'grace')
  await page.getByRole('button', { name: 'Set up two-factor authentication' }).click()
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByRole('heading', { name: 'First, confirm your e-mail address' })).toBeVisible()
  await expectAccessible(page)
  await screenshot(page, '14-verify-email')
  const { readdirSync, readFileSync } = await import('node:fs')
  const outbox = `${harness.engine.dataDir}/outbox`
  const eml = readFileSync(`${outbox}/${readdirSync(outbox)[0]}`, 'utf8')
  const code = /\b(\d{6})\b/.exec(eml.split(/\r?\n\r?\n/).slice(1).join('\n'))![1]!
  await page.getByLabel('Code from the e-mail').fill(code)
  await page.getByRole('button', { name: 'Verify' }).click()
  await completeSetup(page, clock, { chooseApp: false })
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()
})
