/**
 * The directory source in Chromium against a real OpenLDAP server the test starts: the
 * administrator fills in the settings on the Policy screen, tests the connection (a wrong service
 * password is said in one line, then the right one finds the people), saves, syncs, and the people
 * are in the directory of users, their roles from the groups.
 */
import { expect, expectAccessible, expectUnclippedAcrossWidths, screenshot, test } from './fixtures'
import { ADMIN_PASSWORD, inEngine, seedUsers, signIn } from './helpers'
import { PRESETS } from '../../src/shared/directory-source'
import { seedDirectory, startSlapd, type TestSlapd } from '../helpers/slapd'

let server: TestSlapd
test.beforeAll(async () => {
  server = await startSlapd()
  await seedDirectory(
    server,
    [
      { uid: 'alice', cn: 'Alice Martin', mail: 'alice@example.org' },
      { uid: 'bob', cn: 'Bob Lukas', mail: 'bob@example.org' },
      { uid: 'carol', cn: 'Carol Dupont', mail: 'carol@example.org' }
    ],
    [{ cn: 'desk', members: ['alice'] }]
  )
})
test.afterAll(() => server?.stop())
test.beforeEach(async ({ harness }) => seedUsers(harness))

test('an administrator connects the directory, tests it, saves and syncs, and the people arrive', async ({ app: page, harness }) => {
  await signIn(page, harness, 'ada', ADMIN_PASSWORD)
  await page.getByRole('button', { name: 'Policy' }).click()
  const panel = page.getByRole('region', { name: 'Directory source' })
  await panel.getByLabel('Kind of server').selectOption('openldap')
  await panel.getByLabel(/^Servers/).fill(server.url)
  await panel.getByLabel(/^CA certificate file/).fill(server.caFile)
  await panel.getByLabel('Service account (DN)').fill(server.serviceDn)
  await panel.getByLabel('Base DN').fill(`ou=people,${server.baseDn}`)
  await panel.getByLabel('Help-desk group (DN, empty: roles stay Tessera\'s)').fill(`cn=desk,ou=groups,${server.baseDn}`)
  await panel.getByLabel('Where people change their directory password (text)').fill('Change it at the IT portal, or call extension 4000.')
  await panel.getByLabel('… and its link').fill('https://it.example.org/password')
  await panel.getByLabel('Service account password').fill('not the password')
  await panel.getByRole('button', { name: 'Test connection' }).click()
  await expect(panel.getByText(`${server.url} refused the service account: check its DN and password.`)).toBeVisible()
  await panel.getByLabel('Service account password').fill(server.servicePassword)
  await panel.getByRole('button', { name: 'Test connection' }).click()
  await expect(panel.getByRole('status').filter({ hasText: 'Connected to' })).toContainText('the filter matches 3 entries. The first: alice (alice@example.org)')
  await panel.getByRole('button', { name: 'Save directory settings' }).click()
  await expect(panel.getByText('Directory settings saved. The change is in the audit log.')).toBeVisible()
  await panel.getByRole('button', { name: 'Sync changes now' }).click()
  await expect(panel.getByText('Synced: 3 entries: 3 created, 0 updated, 0 disabled, 0 enabled, 0 other role, 0 refused.')).toBeVisible()
  await expect(panel.getByRole('table', { name: /Last syncs/ }).getByRole('row')).toHaveCount(2)
  await expectAccessible(page)
  await expectUnclippedAcrossWidths(page, '#directory-title, .panel .actions button')
  await panel.scrollIntoViewIfNeeded()
  await screenshot(page, '35c-directory-source')
  await page.getByRole('button', { name: 'Users' }).click()
  // The people the sync keeps and the accounts made here, apart, with how many of each.
  const source = page.getByLabel('Source')
  await expect(source.getByRole('option')).toHaveText(['All sources', 'From the directory (3)', /^Local only \(\d+\)$/])
  await source.selectOption('directory')
  await expect(page.locator('.toolbar__total')).toHaveText('3 users shown')
  await expect(page.getByRole('row', { name: /open details/ })).toHaveCount(3)
  await expectUnclippedAcrossWidths(page, '.toolbar select, .toolbar__total')
  await screenshot(page, '35e-users-from-the-directory')
  await source.selectOption('all')
  await page.getByLabel('Search').fill('alice')
  await expect(page.getByRole('row', { name: /Alice Martin: open details alice alice@example\.org Help desk/ })).toBeVisible()

  // The help desk sees where the account comes from, and its profile as the directory's.
  await page.getByRole('button', { name: 'Alice Martin: open details' }).click()
  const detail = page.getByRole('dialog', { name: 'Alice Martin' })
  await expect(detail.getByText('The organisation\'s directory (its profile is changed there)')).toBeVisible()
  await detail.getByRole('button', { name: 'Edit profile' }).click()
  const form = detail.getByRole('form', { name: 'Edit the profile of Alice Martin' })
  await expect(form.getByText('This account comes from the organisation\'s directory')).toBeVisible()
  for (const label of ['Full name', 'Username', 'E-mail', 'Phone (optional)']) await expect(form.getByLabel(label)).toHaveAttribute('readonly', '')
  await expect(form.getByRole('button', { name: 'Save profile' })).toHaveCount(0)
  await expectAccessible(page)
  await screenshot(page, '35d-directory-user-profile')
  await form.getByRole('button', { name: 'Close' }).click()
})

test('Forgot password names the organisation\'s own way when the directory checks passwords', async ({ app: page, harness }) => {
  const source = { ...PRESETS.openldap, urls: [server.url], caFile: server.caFile, bindDn: server.serviceDn, baseDn: `ou=people,${server.baseDn}`, passwordHelp: { text: 'Change it at the IT portal.', url: 'https://it.example.org/password' } }
  await inEngine(harness, 'directorySource.settings.save', source, server.servicePassword)
  await page.getByRole('button', { name: 'Forgot password?' }).click()
  const notice = page.getByRole('status').filter({ hasText: 'Tessera cannot change it' })
  await expect(notice).toContainText('Change it at the IT portal. https://it.example.org/password')
  await expectAccessible(page)
  await expectUnclippedAcrossWidths(page, '.notice')
  await screenshot(page, '04c-forgot-password-directory')
})
