/**
 * A person's own language: chosen in My account, the screens turn to it at once and it stays
 * theirs at the next login, while the login screen, before anyone is known, speaks the
 * organisation's language.
 */
import type { Page } from '@playwright/test'
import { DEFAULT_POLICY } from '../../src/shared/policy'
import { translator } from '../../src/shared/i18n/translate'
import { expect, test } from './fixtures'
import { inEngine, PASSWORD, seedUsers } from './helpers'

const ja = translator('ja')
const ko = translator('ko')

/** The login form by its fields' names: its words are the organisation's language's. */
async function logInByName(page: Page, identifier: string): Promise<void> {
  await page.locator('input[name="identifier"]').fill(identifier)
  await page.locator('input[name="password"]').fill(PASSWORD)
  await page.locator('form[aria-labelledby="login-title"] button[type="submit"]').click()
}

test('a user reads Tessera in Japanese from My account, at once and at her next login; the login screen stays in the organisation\'s language', async ({ app: page, harness }) => {
  await seedUsers(harness, [{ username: 'grace' }])
  await inEngine(harness, 'policy.save', { ...DEFAULT_POLICY, defaultLanguage: 'ko' })
  await page.reload()
  const html = page.locator('html')
  await expect(html).toHaveAttribute('lang', 'ko-KR')

  await logInByName(page, 'grace')
  await expect(page.getByRole('heading', { name: ko.t('account.title') })).toBeVisible()
  await expect(html).toHaveAttribute('lang', 'ko-KR')
  const language = page.getByLabel(ko.t('account.language.label'))
  await expect(language).toHaveValue('')
  await expect(language.locator('option[value="ja"]')).toHaveAttribute('lang', 'ja-JP')

  await language.selectOption({ label: '日本語' })
  await expect(html).toHaveAttribute('lang', 'ja-JP')
  await expect(page.getByRole('heading', { name: ja.t('account.title') })).toBeVisible()
  await expect(page.getByRole('navigation', { name: ja.t('account.shell.nav.label') })).toContainText(ja.t('account.shell.nav.account'))
  await expect(page.getByRole('status').filter({ hasText: ja.t('account.done.language') })).toBeVisible()
  await expect(page.getByLabel(ja.t('account.language.label'))).toHaveValue('ja')

  // Logged out, the kiosk speaks the organisation's language again; logged in, hers.
  await page.getByRole('button', { name: ja.t('account.shell.logOut'), exact: true }).click()
  await expect(page.locator('input[name="identifier"]')).toBeVisible()
  await expect(html).toHaveAttribute('lang', 'ko-KR')
  await logInByName(page, 'grace')
  await expect(page.getByRole('heading', { name: ja.t('account.title') })).toBeVisible()
  await expect(html).toHaveAttribute('lang', 'ja-JP')
  await expect(page.getByLabel(ja.t('account.language.label'))).toHaveValue('ja')

  // "Organisation default" gives the choice back to the organisation.
  await page.getByLabel(ja.t('account.language.label')).selectOption({ label: ja.t('account.language.organisationDefault') })
  await expect(html).toHaveAttribute('lang', 'ko-KR')
  await expect(page.getByRole('heading', { name: ko.t('account.title') })).toBeVisible()
})
