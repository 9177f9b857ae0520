/**
 * Tessera in Japanese and in Korean, in Chromium: the kiosk's login screen follows the
 * organisation's language (else the browser's), its menu changes it, and a person goes through
 * setup, recovery codes and the second step without an English word, typing the code in full-width
 * digits; the language picked goes back to the organisation's at logout. The Enter that confirms an
 * input method's composition submits nothing. Every screen's words are found through the catalogs,
 * so the test reads as the person does.
 */
import type { Page } from '@playwright/test'
import { DEFAULT_POLICY } from '../../src/shared/policy'
import { LOCALE_NAMES, LOCALE_TAGS, type Locale } from '../../src/shared/i18n/locales'
import { translator } from '../../src/shared/i18n/translate'
import { expect, expectAccessible, expectUnclippedAcrossWidths, screenshotAtWidths, test } from './fixtures'
import { ADMIN_PASSWORD, appCode, englishLeft, enrolledInEngine, inEngine, PASSWORD, secretFromQr, seedUsers } from './helpers'

test.beforeEach(async ({ harness }) => {
  await seedUsers(harness, [{ username: 'grace', displayName: 'Grace Hopper' }])
})

/** Full-width digits, as a Japanese or Korean input method types them. */
const fullWidth = (digits: string) => [...digits].map((d) => String.fromCharCode(0xff10 + Number(d))).join('')

async function logInAs(page: Page, words: ReturnType<typeof translator>, identifier: string, password = PASSWORD): Promise<void> {
  await page.getByLabel(words.t('signedOut.field.identifier')).fill(identifier)
  await page.getByLabel(words.t('signedOut.field.password'), { exact: true }).fill(password)
  await page.getByRole('button', { name: words.t('signedOut.login.submit') }).click()
}

/** The fonts the app ships draw this text (no CJK font on the machine is needed). */
async function expectShippedFont(page: Page, family: string, sample: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready)
  expect(await page.evaluate(([f, s]) => document.fonts.check(`16px "${f}"`, s), [family, sample])).toBe(true)
  const used = await page.evaluate(() => getComputedStyle(document.documentElement).fontFamily)
  expect(used).toContain(family)
}

for (const locale of ['ja', 'ko'] as const satisfies Locale[]) {
  const words = translator(locale)
  test(`${LOCALE_NAMES[locale]}: setup, recovery codes and the second step in the organisation's language, the code in full-width digits`, async ({ app: page, harness, clock }) => {
    await inEngine(harness, 'policy.save', { ...DEFAULT_POLICY, mandatory: true, defaultLanguage: locale })
    await page.reload()
    await expect(page.locator('html')).toHaveAttribute('lang', LOCALE_TAGS[locale])
    await expect(page.getByRole('heading', { name: words.t('signedOut.login.title') })).toBeVisible()
    await expectShippedFont(page, locale === 'ja' ? 'Noto Sans JP' : 'Noto Sans KR', words.t('signedOut.login.title'))
    await expectAccessible(page)
    await expectUnclippedAcrossWidths(page, 'button, label, h1')

    await logInAs(page, words, 'grace')
    await expect(page.getByRole('heading', { name: words.t('setup.required.title') })).toBeVisible()
    await page.getByRole('button', { name: words.t('setup.required.start') }).click()
    await expect(page.getByRole('heading', { name: words.t('setup.choose.title') })).toBeVisible()
    await page.getByRole('button', { name: words.t('setup.choose.continue') }).click()
    await expect(page.getByRole('heading', { name: words.t('setup.app.title') })).toBeVisible()
    const secret = await secretFromQr(page)
    await page.getByLabel(words.t('setup.app.codeLabel')).fill(fullWidth(appCode(clock, secret)))
    await page.getByRole('button', { name: words.t('secondStep.verify') }).click()

    await expect(page.getByRole('heading', { name: words.t('setup.codes.title') })).toBeVisible()
    await expectAccessible(page)
    await page.getByLabel(words.t('setup.recovery.saved')).check()
    await page.getByRole('button', { name: words.t('setup.codes.complete') }).click()
    await expect(page.getByRole('heading', { name: words.t('account.title') })).toBeVisible()
    await page.getByRole('banner').getByRole('button', { name: words.t('account.shell.logOut') }).click()

    // The second step, with the next step's code typed in full-width digits.
    await logInAs(page, words, 'grace')
    await expect(page.getByLabel(words.t('secondStep.totp.label'))).toBeVisible()
    clock.advance(30_000)
    await page.getByLabel(words.t('secondStep.totp.label')).fill(fullWidth(appCode(clock, secret)))
    await page.getByRole('button', { name: words.t('secondStep.verify') }).click()
    await expect(page.getByRole('heading', { name: words.t('account.title') })).toBeVisible()
  })
}

test('the login screen\'s menu changes the language, and logging out goes back to the organisation\'s', async ({ app: page, harness }) => {
  await inEngine(harness, 'policy.save', { ...DEFAULT_POLICY, defaultLanguage: 'ja' })
  await page.reload()
  const ja = translator('ja')
  const ko = translator('ko')
  // Keyboard only: the menu comes just before the first field.
  await page.getByLabel(ja.t('signedOut.field.identifier')).focus()
  await page.keyboard.press('Shift+Tab')
  await expect(page.getByLabel(ja.t('common.language'))).toBeFocused()
  await page.getByLabel(ja.t('common.language')).selectOption('ko')
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko-KR')
  await expect(page.getByRole('heading', { name: ko.t('signedOut.login.title') })).toBeVisible()
  await expect(page.getByRole('option', { name: '日本語' })).toHaveAttribute('lang', 'ja-JP')
  await screenshotAtWidths(page, 'ko-01-login-menu')
  // Grace reads Korean through her session, and the kiosk forgets it once she is gone.
  await logInAs(page, ko, 'grace')
  await expect(page.getByRole('heading', { name: ko.t('account.title') })).toBeVisible()
  await page.getByRole('banner').getByRole('button', { name: ko.t('account.shell.logOut') }).click()
  await expect(page.getByRole('heading', { name: ja.t('signedOut.login.title') })).toBeVisible()
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja-JP')
})

test('the Enter that confirms an input method\'s composition submits nothing; the next Enter does', async ({ app: page, browserName }) => {
  test.skip(browserName !== 'chromium', 'composition through the DevTools Protocol') // skipped elsewhere: the input method's composition is driven through Chromium's DevTools Protocol, which only Chromium has
  const cdp = await page.context().newCDPSession(page)
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  const field = page.getByLabel('Username or e-mail')
  await field.click()
  // Typing ぐれーす and choosing it: the composition's own Enter (key code 229) comes first.
  await cdp.send('Input.imeSetComposition', { text: 'ぐれーす', selectionStart: 4, selectionEnd: 4 })
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229 })
  await cdp.send('Input.insertText', { text: 'ぐれーす' })
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229 })
  await expect(field).toHaveValue('ぐれーす')
  // Nothing was sent: a login would have been refused (nobody is called ぐれーす) and said so.
  await page.waitForTimeout(300)
  await expect(page.getByText('The username, e-mail or password is incorrect.')).toHaveCount(0)
  await page.keyboard.press('Enter')
  await expect(page.getByText('The username, e-mail or password is incorrect.')).toBeVisible()
})

/** At 1024 px the navigation is one line that ends before the signed-in person's name begins. */
async function expectNavBesideName(page: Page): Promise<void> {
  const before = page.viewportSize()!
  await page.setViewportSize({ width: 1024, height: 800 })
  const first = (await page.locator('.nav__item').first().boundingBox())!
  const last = (await page.locator('.nav__item').last().boundingBox())!
  const name = (await page.locator('.topbar__user').boundingBox())!
  expect(last.y, 'the navigation is on one line').toBe(first.y)
  expect(last.x + last.width, 'the navigation ends before the name').toBeLessThanOrEqual(name.x)
  await page.setViewportSize(before)
}

/** Each console screen an administrator uses, in their language, at 1024 and 1440 px. */
async function tour(page: Page, words: ReturnType<typeof translator>, locale: Locale): Promise<void> {
  const nav = page.getByRole('navigation', { name: words.t('account.shell.nav.label') })
  const screens = [
    ['account.shell.nav.directory', 'users.title', 'console-30-directory'],
    ['account.shell.nav.requests', 'console.requests.title', 'console-31-requests'],
    ['account.shell.nav.tokens', 'console.tokens.title', 'console-40-tokens'],
    ['account.shell.nav.policy', 'console.policy.title', 'console-35-policy'],
    ['account.shell.nav.audit', 'audit.screen.title', 'console-36-audit']
  ] as const
  for (const [item, title, shot] of screens) {
    await nav.getByRole('button', { name: new RegExp(`^${words.t(item)}`) }).click()
    await expect(page.getByRole('heading', { name: words.t(title), level: 1 })).toBeVisible()
    await expectAccessible(page)
    await expectUnclippedAcrossWidths(page, 'button, label, h1, th')
    await expectNavBesideName(page)
    expect(await englishLeft(page, locale), `${locale} ${shot}`).toEqual([])
  }
  await expectDetailsWithin1024(page, words)
}

/** An audit row's opened details stay inside a 1024 px window (nothing past the viewport). */
async function expectDetailsWithin1024(page: Page, words: ReturnType<typeof translator>): Promise<void> {
  const before = page.viewportSize()!
  await page.setViewportSize({ width: 1024, height: 800 })
  await page.locator('details summary', { hasText: words.t('audit.screen.details') }).first().click()
  await expect(page.locator('details[open] dl')).toBeVisible()
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024)
  const box = (await page.locator('details[open] dl').boundingBox())!
  expect(box.x + box.width).toBeLessThanOrEqual(1024)
  await page.setViewportSize(before)
}

for (const locale of ['ja', 'ko', 'vi'] as const satisfies Locale[]) {
  const words = translator(locale)
  test(`${LOCALE_NAMES[locale]}: a lost-device request, and the console's screens, in the organisation's language`, async ({ app: page, harness, clock }) => {
    test.setTimeout(90_000) // six screens, each checked for accessibility at two widths
    await inEngine(harness, 'policy.save', { ...DEFAULT_POLICY, defaultLanguage: locale })
    await enrolledInEngine(harness, clock, 'grace')
    await page.reload()
    await logInAs(page, words, 'grace')
    await page.getByRole('button', { name: words.t('secondStep.others.lostDevice') }).click()
    await page.getByRole('button', { name: words.t('secondStep.lost.sendAll') }).click()
    await expect(page.getByRole('heading', { name: words.t('secondStep.lost.sent.title') })).toBeVisible()
    await page.getByRole('button', { name: words.t('secondStep.lost.logout') }).click()

    const secret = await enrolledInEngine(harness, clock, 'ada')
    await logInAs(page, words, 'ada', ADMIN_PASSWORD)
    await page.getByLabel(words.t('secondStep.totp.label')).fill(appCode(clock, secret))
    await page.getByRole('button', { name: words.t('secondStep.verify') }).click()
    await expect(page.getByRole('heading', { name: words.t('users.title'), level: 1 })).toBeVisible()
    await tour(page, words, locale)
    // The request, open: the identity check and the actions.
    await page.getByRole('navigation', { name: words.t('account.shell.nav.label') }).getByRole('button', { name: new RegExp(`^${words.t('account.shell.nav.requests')}`) }).click()
    await page.getByRole('button', { name: words.t('console.requests.handleLabel', { name: 'Grace Hopper' }) }).click()
    await expect(page.getByRole('group', { name: words.t('console.requests.check.legend') })).toBeVisible()
    await expectAccessible(page)
    expect(await englishLeft(page, locale)).toEqual([])
  })
}

test('English too: an audit row\'s opened details stay inside 1024 px', async ({ app: page, harness, clock }) => {
  const en = translator('en')
  const secret = await enrolledInEngine(harness, clock, 'ada')
  await logInAs(page, en, 'ada', ADMIN_PASSWORD)
  await page.getByLabel(en.t('secondStep.totp.label')).fill(appCode(clock, secret))
  await page.getByRole('button', { name: en.t('secondStep.verify') }).click()
  await page.getByRole('navigation', { name: en.t('account.shell.nav.label') }).getByRole('button', { name: en.t('account.shell.nav.audit') }).click()
  await expectDetailsWithin1024(page, en)
})
