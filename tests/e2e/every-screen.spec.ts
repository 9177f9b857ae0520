/**
 * Every screen, in the pseudo-locale and in Japanese, Korean and Vietnamese. In the pseudo-locale (each message
 * accented and 40 % longer, between ⟦ and ⟧) a word of English left on a screen, or in a name a
 * screen reader reads (aria-label, placeholder, title, alt), is a text that does not come from the
 * catalogs, and fails here; the longer words must still fit at 1024 px. In each real language every
 * screen is axe-clean with no English left, and its screenshots at 1024 and 1440 px go to
 * docs/screenshots. The end user goes from the first run through setup, recovery codes, the second
 * step and a lost device; the administrator through every console screen.
 */
import type { Page } from '@playwright/test'
import { DEFAULT_POLICY } from '../../src/shared/policy'
import { LOCALE_TAGS, PSEUDO_LOCALE, type DisplayLocale } from '../../src/shared/i18n/locales'
import { translator, type Translator } from '../../src/shared/i18n/translate'
import { expect, expectAccessible, expectUnclippedAcrossWidths, screenshot, screenshotAtWidths, test } from './fixtures'
import { ADMIN_PASSWORD, appCode, englishLeft, enrolledInEngine, inEngine, PASSWORD, secretFromQr, seedUsers } from './helpers'

/** What is data, not words: the people seeded here, their addresses, names no language translates. */
const DATA = ['Grace Hopper', 'Ada Lovelace', 'Tessera', 'TESSERA', PSEUDO_LOCALE, 'English', 'Tiếng Việt', 'TOTP', 'HOTP', 'SMTP', 'LDAP', 'Active Directory', 'OpenLDAP', 'CSV', 'QR', 'JSON', 'harness', 'seed']

/** Intl's dates and times: the pseudo-locale formats them as English does ("Dec 4, 2026, 09:23 PM"); every real language its own way. */
const INTL_DATES = /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}\b|\b\d{1,2}:\d{2}( [AP]M)?/g

/** Latin words on the page outside the pseudo-locale's ⟦ ⟧ and outside DATA (and the window's title). */
async function untranslated(page: Page, data: string[] = []): Promise<string[]> {
  const seen = await page.evaluate(() => {
    const attributes = ['aria-label', 'placeholder', 'title', 'alt', 'aria-description']
    const named = [...document.querySelectorAll(attributes.map((a) => `[${a}]`).join(','))].flatMap((el) => attributes.map((a) => el.getAttribute(a) ?? ''))
    const options = [...document.querySelectorAll('option')].map((o) => o.textContent ?? '')
    // What <code> shows is read or typed by a machine as it is: a CSV's header, a command, an event id.
    const code = [...document.querySelectorAll('code, kbd, samp')].map((e) => e.textContent ?? '')
    return { texts: [document.title, document.body.innerText, ...named, ...options], code }
  })
  const known = [...DATA, ...data, ...seen.code].filter(Boolean).sort((a, b) => b.length - a.length)
  return seen.texts.flatMap((text) => {
    let rest = text
    // Innermost first: a message's parameter may be a message (a method's name in "{method} since {date}").
    while (/⟦[^⟦⟧]*⟧/.test(rest)) rest = rest.replace(/⟦[^⟦⟧]*⟧/gs, ' ')
    rest = rest.replace(/[\w.+-]+@[\w.-]+/g, ' ').replace(INTL_DATES, ' ')
    for (const d of known) rest = rest.split(d).join(' ')
    return [...rest.matchAll(/[A-Za-z][A-Za-z'’]+/g)].map((m) => `${m[0]} (in "${rest.slice(Math.max(0, m.index - 30), m.index + 30).replace(/\s+/g, ' ')}")`)
  })
}

/** The screen under `title`: no English left, nothing cut off at 1024 or 1920 px; in a real language axe-clean, and looked at. */
async function check(page: Page, locale: DisplayLocale, title: string | RegExp, shot: string, data: string[] = []): Promise<void> {
  await expect(page.getByRole('heading', { name: title }).first()).toBeVisible()
  if (locale === PSEUDO_LOCALE) expect(await untranslated(page, data), shot).toEqual([])
  else expect(await englishLeft(page, locale), `${locale} ${shot}`).toEqual([])
  await expectUnclippedAcrossWidths(page, 'button, label, h1, h2, th')
  await expectNavClearOfName(page)
  if (locale === PSEUDO_LOCALE) return screenshot(page, `pseudo-${shot}`, { docs: false })
  await expectAccessible(page)
  await screenshotAtWidths(page, `${locale}-${shot}`)
}

/** At 1024 px no navigation item lies under the signed-in person's name (longer words wrap the navigation instead). */
async function expectNavClearOfName(page: Page): Promise<void> {
  if ((await page.locator('.topbar__user').count()) === 0) return
  const before = page.viewportSize()!
  await page.setViewportSize({ width: 1024, height: 800 })
  const name = (await page.locator('.topbar__user').boundingBox())!
  for (const item of await page.locator('.nav__item').all()) {
    const box = (await item.boundingBox())!
    const apart = box.x + box.width <= name.x || box.y >= name.y + name.height || box.y + box.height <= name.y
    expect(apart, `${await item.textContent()} lies under the name`).toBe(true)
  }
  await page.setViewportSize(before)
}

async function logInAs(page: Page, words: Translator, identifier: string, password = PASSWORD): Promise<void> {
  await page.getByLabel(words.t('signedOut.field.identifier')).fill(identifier)
  await page.getByLabel(words.t('signedOut.field.password'), { exact: true }).fill(password)
  await page.getByRole('button', { name: words.t('signedOut.login.submit') }).click()
}

const RUNS = [
  { locale: PSEUDO_LOCALE, options: { pseudoLocale: true } },
  { locale: 'ja', options: { locale: LOCALE_TAGS.ja } },
  { locale: 'ko', options: { locale: LOCALE_TAGS.ko } },
  { locale: 'vi', options: { locale: LOCALE_TAGS.vi } }
] as const satisfies { locale: DisplayLocale; options: object }[]

for (const { locale, options } of RUNS) {
  const words = translator(locale)
  test.describe(locale, () => {
    test.use(options)

    test('the first run and joining an organisation', async ({ app: page }) => {
      await check(page, locale, words.t('signedOut.firstRun.title'), '01-first-run')
      await page.getByRole('button', { name: words.t('signedOut.firstRun.join') }).click()
      await check(page, locale, words.t('signedOut.join.title'), '02-join')
      await page.getByRole('button', { name: words.t('signedOut.join.submit') }).click()
      await expect(page.locator('[aria-invalid="true"]').first()).toBeVisible()
      await check(page, locale, words.t('signedOut.join.title'), '02b-join-problems')
    })

    test('an end user: login, forgot password, setup, recovery codes, the second step and a lost device', async ({ app: page, harness, clock }) => {
      test.setTimeout(90_000)
      await seedUsers(harness, [{ username: 'grace', displayName: 'Grace Hopper' }])
      await inEngine(harness, 'policy.save', { ...DEFAULT_POLICY, mandatory: true })
      await page.reload()
      await check(page, locale, words.t('signedOut.login.title'), '10-login')
      await page.getByRole('button', { name: words.t('signedOut.login.forgot') }).click()
      await check(page, locale, words.t('signedOut.forgot.title'), '11-forgot-password')
      await page.getByRole('button', { name: words.t('signedOut.backToLogin') }).click()

      await logInAs(page, words, 'grace', 'not the password')
      await expect(page.getByRole('alert')).toBeVisible()
      await check(page, locale, words.t('signedOut.login.title'), '12-login-refused')
      await logInAs(page, words, 'grace')
      await check(page, locale, words.t('setup.required.title'), '13-setup-required')
      await page.getByRole('button', { name: words.t('setup.required.start') }).click()
      await check(page, locale, words.t('setup.choose.title'), '14-setup-choose')
      await page.getByRole('button', { name: words.t('setup.choose.continue') }).click()
      await expect(page.getByRole('heading', { name: words.t('setup.app.title') })).toBeVisible()
      const secret = await secretFromQr(page)
      await check(page, locale, words.t('setup.app.title'), '15-setup-app', [secret, secret.replace(/(.{4})/g, '$1 ').trim()])
      await page.getByLabel(words.t('setup.app.codeLabel')).fill(appCode(clock, secret))
      await page.getByRole('button', { name: words.t('secondStep.verify') }).click()
      await expect(page.getByRole('heading', { name: words.t('setup.codes.title') })).toBeVisible()
      const codes = (await page.locator('ol li, ul li').allTextContents()).map((c) => c.trim())
      await check(page, locale, words.t('setup.codes.title'), '16-recovery-codes', codes)
      await page.getByLabel(words.t('setup.recovery.saved')).check()
      await page.getByRole('button', { name: words.t('setup.codes.complete') }).click()
      await check(page, locale, words.t('account.title'), '17-my-account', ['grace'])
      await page.getByRole('banner').getByRole('button', { name: words.t('account.shell.logOut') }).click()

      await logInAs(page, words, 'grace')
      await check(page, locale, words.t('secondStep.code.title'), '18-second-step')
      await page.getByRole('button', { name: words.t('secondStep.others.lostDevice') }).click()
      await check(page, locale, words.t('secondStep.lost.title'), '19-lost-device')
      await page.getByRole('button', { name: words.t('secondStep.lost.sendAll') }).click()
      await check(page, locale, words.t('secondStep.lost.sent.title'), '20-lost-device-sent')
    })

    test('an administrator: every console screen', async ({ app: page, harness, clock }) => {
      test.setTimeout(120_000)
      await seedUsers(harness, [{ username: 'grace', displayName: 'Grace Hopper' }])
      await enrolledInEngine(harness, clock, 'grace')
      await page.reload()
      await logInAs(page, words, 'grace')
      await page.getByRole('button', { name: words.t('secondStep.others.lostDevice') }).click()
      await page.getByRole('button', { name: words.t('secondStep.lost.sendAll') }).click()
      await page.getByRole('button', { name: words.t('secondStep.lost.logout') }).click()

      const secret = await enrolledInEngine(harness, clock, 'ada')
      await logInAs(page, words, 'ada', ADMIN_PASSWORD)
      await page.getByLabel(words.t('secondStep.totp.label')).fill(appCode(clock, secret))
      await page.getByRole('button', { name: words.t('secondStep.verify') }).click()
      const people = ['ada', 'grace', 'kiosk', 'cli']
      const nav = page.getByRole('navigation', { name: words.t('account.shell.nav.label') })
      // A nav item's name starts with its words (a badge may follow).
      const open = (item: `account.shell.nav.${'requests' | 'tokens' | 'policy' | 'audit' | 'account'}`) => nav.getByRole('button', { name: new RegExp(`^${words.t(item).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).click()

      await check(page, locale, words.t('users.title'), '30-users', people)
      await page.getByRole('button', { name: words.t('users.grid.open', { name: 'Grace Hopper' }) }).click()
      await check(page, locale, 'Grace Hopper', '31-user-detail', people)
      await page.keyboard.press('Escape')
      await page.getByRole('button', { name: words.t('users.importCsv') }).click()
      await check(page, locale, words.t('users.import.title'), '32-import', people)
      await page.getByRole('button', { name: words.t('users.add') }).click()
      await check(page, locale, words.t('users.add.title'), '33-add-user', people)
      await page.getByRole('button', { name: words.t('users.close') }).first().click()

      await open('account.shell.nav.requests')
      await check(page, locale, words.t('console.requests.title'), '34-requests', people)
      await page.getByRole('button', { name: words.t('console.requests.handleLabel', { name: 'Grace Hopper' }) }).click()
      await check(page, locale, words.t('console.requests.title'), '35-request-handle', people)

      await open('account.shell.nav.tokens')
      await check(page, locale, words.t('console.tokens.title'), '36-tokens', people)
      await open('account.shell.nav.policy')
      await check(page, locale, words.t('console.policy.title'), '37-policy', people)
      await open('account.shell.nav.audit')
      await check(page, locale, words.t('audit.screen.title'), '38-audit', people)
      await page.locator('details summary', { hasText: words.t('audit.screen.details') }).first().click()
      await check(page, locale, words.t('audit.screen.title'), '39-audit-details', people)
      await open('account.shell.nav.account')
      await check(page, locale, words.t('account.title'), '40-my-account', people)
    })
  })
}
