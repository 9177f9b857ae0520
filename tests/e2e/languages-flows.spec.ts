/**
 * A security key in Japanese and in Korean, in Chromium: registered at setup and used at the next
 * login (the DevTools Protocol's virtual authenticator). Each screen axe-clean, with no English
 * left, looked at in docs/screenshots (every other screen: every-screen.spec.ts).
 */
import type { Page } from '@playwright/test'
import { DEFAULT_POLICY } from '../../src/shared/policy'
import { LOCALE_NAMES, LOCALE_TAGS, type Locale } from '../../src/shared/i18n/locales'
import { translator, type Translator } from '../../src/shared/i18n/translate'
import { expect, expectAccessible, expectUnclippedAcrossWidths, screenshotAtWidths, test } from './fixtures'
import { englishLeft, inEngine, PASSWORD, seedUsers } from './helpers'

/** The screen under `title`: axe-clean, nothing cut off, no English left; then its screenshot. */
async function looked(page: Page, locale: Locale, title: string, shot: string): Promise<void> {
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible()
  await expectAccessible(page)
  await expectUnclippedAcrossWidths(page, 'button, label, h1')
  expect(await englishLeft(page, locale), `${locale} ${shot}`).toEqual([])
  await screenshotAtWidths(page, `${locale}-${shot}`)
}

async function logInAs(page: Page, words: Translator, identifier: string): Promise<void> {
  await page.getByLabel(words.t('signedOut.field.identifier')).fill(identifier)
  await page.getByLabel(words.t('signedOut.field.password'), { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: words.t('signedOut.login.submit') }).click()
}

for (const locale of ['ja', 'ko'] as const satisfies Locale[]) {
  const words = translator(locale)
  test.describe(LOCALE_NAMES[locale], () => {
    test.use({ locale: LOCALE_TAGS[locale] })

    test('a security key registered at setup, then used to log in', async ({ app: page, harness }) => {
      await seedUsers(harness, [{ username: 'grace', displayName: 'Grace Hopper' }])
      await inEngine(harness, 'policy.save', { ...DEFAULT_POLICY, mandatory: true, allowedMethods: ['totp', 'webauthn'], defaultLanguage: locale })
      const cdp = await page.context().newCDPSession(page)
      await cdp.send('WebAuthn.enable')
      await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: { protocol: 'ctap2', transport: 'usb', hasResidentKey: false, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true }
      })
      await page.reload()
      await logInAs(page, words, 'grace')
      await page.getByRole('button', { name: words.t('setup.required.start') }).click()
      await page.getByLabel(new RegExp(words.t('labels.method.webauthn'))).check()
      await page.getByRole('button', { name: words.t('setup.choose.continue') }).click()
      await looked(page, locale, words.t('secondStep.register.title'), '44-register-key')
      await page.getByLabel(words.t('secondStep.register.name')).fill('YubiKey')
      await page.getByRole('button', { name: words.t('secondStep.register.submit') }).click()
      await expect(page.getByRole('heading', { name: words.t('setup.codes.title') })).toBeVisible()
      await page.getByLabel(words.t('setup.recovery.saved')).check()
      await page.getByRole('button', { name: words.t('setup.codes.complete') }).click()
      await looked(page, locale, words.t('account.title'), '46-my-account-key')
      await page.getByRole('banner').getByRole('button', { name: words.t('account.shell.logOut') }).click()

      await logInAs(page, words, 'grace')
      await looked(page, locale, words.t('secondStep.key.title'), '45-login-key')
      await page.getByRole('button', { name: words.t('secondStep.key.use') }).click()
      await expect(page.getByRole('heading', { name: words.t('account.title') })).toBeVisible()
    })
  })
}
