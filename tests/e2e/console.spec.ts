/**
 * The help-desk and administrator console in Chromium against the real engine: a lost-device call
 * from start to finish, the one-time access code, unlocking, making 2FA mandatory, the directory,
 * CSV import, and the audit log.
 */
import { readFileSync } from 'node:fs'
import { expect, expectAccessible, expectUnclippedAcrossWidths, screenshot, test } from './fixtures'
import type { AuditPage, UserListRow } from '../../src/shared/admin-dto'
import { DEFAULT_POLICY } from '../../src/shared/policy'
import { ADMIN_PASSWORD, inEngine, appCode, completeSetup, enrolledInEngine, failCode, logIn, seedUsers, signIn } from './helpers'

test.beforeEach(async ({ harness }) => {
  await seedUsers(harness, [
    { username: 'grace', displayName: 'Grace Hopper' },
    { username: 'hedy', role: 'helpdesk', displayName: 'Hedy Lamarr' },
    { username: 'linus', displayName: 'Linus Torvalds' },
    { username: 'margaret', displayName: 'Margaret Hamilton' }
  ])
})

test('a help-desk worker takes a lost-device call from start to finish', async ({ app: page, harness, clock }) => {
  await enrolledInEngine(harness, clock, 'grace')
  // Grace cannot use her phone: she asks for help from the login screen.
  await logIn(page, 'grace')
  await page.getByRole('button', { name: 'Lost your device?' }).click()
  await page.getByRole('button', { name: 'Send to all' }).click()
  await expect(page.getByRole('heading', { name: 'Request sent' })).toBeVisible()
  await page.getByRole('button', { name: 'Log out' }).click()

  // Hedy, at the help desk, sees it in the queue.
  await signIn(page, harness, 'hedy')
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible()
  const queue = page.getByRole('button', { name: /Help requests\s*1 open/ })
  await expect(queue).toBeVisible()
  await expect(page.getByText('1 reset requested')).toBeVisible()
  await expectAccessible(page)
  await screenshot(page, '30-directory')
  // A call-back needs a number on file: Hedy adds Grace's from her profile first.
  await page.getByRole('button', { name: 'Grace Hopper: open details' }).click()
  const detail = page.getByRole('dialog', { name: 'Grace Hopper' })
  await detail.getByRole('button', { name: 'Edit profile' }).click()
  await detail.getByLabel('Phone (optional)').fill('+1 555 0100')
  await detail.getByRole('button', { name: 'Save profile' }).click()
  await expect(detail.getByText('Profile saved. The change is in the audit log.')).toBeVisible()
  await expect(detail.getByText('+1 555 0100')).toBeVisible()
  await detail.getByRole('button', { name: 'Close' }).click()
  await queue.click()
  await expect(page.getByRole('heading', { name: /Grace Hopper/ })).toBeVisible()
  await page.getByRole('button', { name: 'Handle the request of Grace Hopper' }).click()
  // Acting without recording the identity check is refused.
  await page.getByRole('button', { name: 'Reset 2FA' }).click()
  const check = page.getByRole('group', { name: '1. How did you verify who they are?' })
  await expect(check).toHaveAccessibleDescription('Record how you verified who they are first.')
  await expect(page.getByLabel('Call-back to the number on file: +1 555 0100')).toBeFocused()
  await page.getByLabel('Call-back to the number on file: +1 555 0100').check()
  await page.getByLabel('Note (what you checked)').fill('Called back on 555-0100, matched employee number')
  await expectAccessible(page)
  await screenshot(page, '31-request-handle')
  await page.getByRole('button', { name: 'Reset 2FA' }).click()
  await expect(page.getByText('Two-factor authentication of Grace Hopper was reset.')).toBeVisible()
  await page.getByRole('button', { name: 'Done' }).click()
  await expect(page.getByText('No open requests.')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Help requests' })).toBeVisible()
  await page.getByRole('button', { name: 'Log out' }).click()

  // Grace sets up her new phone at her next login.
  await logIn(page, 'grace')
  await expect(page.getByText('Your two-factor authentication was reset.')).toBeVisible()
  await expect(page.getByRole('button', { name: /Postpone/ })).toHaveCount(0)
  await page.getByRole('button', { name: 'Set up now' }).click()
  await completeSetup(page, clock)
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()

  const audit = await inEngine<AuditPage>(harness, 'administration.auditPage', { event: 'two-factor.reset', actor: '', subject: '', from: null, to: null, beforeId: null, limit: 5 })
  expect(audit.rows[0]).toMatchObject({ actor: 'hedy', subject: 'grace', details: { identityCheck: 'call-back', note: 'Called back on 555-0100, matched employee number' } })
})

test('the help desk can issue a one-time access code instead, and unlock', async ({ app: page, harness, clock }) => {
  const secret = await enrolledInEngine(harness, clock, 'linus')
  // Linus locks himself out.
  await logIn(page, 'linus')
  for (let i = 0; i < 5; i++) await failCode(page)
  await expect(page.getByText(/Too many wrong codes/)).toBeVisible()
  await page.getByRole('button', { name: 'Cancel and log out' }).click()

  await signIn(page, harness, 'hedy')
  await page.getByLabel('Status').selectOption('locked')
  await expect(page.locator('.badge--locked')).toHaveText(/^Locked until \d/)
  await expectUnclippedAcrossWidths(page, '.grid__head .grid__cell, .badge--status, .topbar, .counts')
  await page.getByRole('button', { name: 'Linus Torvalds: open details' }).click()
  const detail = page.getByRole('dialog', { name: 'Linus Torvalds' })
  await expect(detail.getByText(/^Locked until \d/)).toBeVisible()
  await expect(detail.getByRole('row', { name: /This account Second factor 0/ })).toBeVisible()
  await expect(detail.getByRole('row', { name: /Workstation harness Second factor 5/ })).toBeVisible()
  await expectAccessible(page)
  await screenshot(page, '32-user-detail')
  await detail.getByRole('button', { name: 'Unlock' }).click()
  await expect(detail.getByText('Unlocked.')).toBeVisible()
  await detail.getByRole('button', { name: 'Issue one-time access code' }).click()
  const code = (await detail.locator('.key').textContent())!.trim()
  expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
  await page.getByRole('button', { name: 'Log out' }).click()

  await logIn(page, 'linus')
  await page.getByRole('button', { name: 'Use a one-time access code' }).click()
  await page.getByLabel('One-time access code', { exact: true }).fill(code)
  await page.getByRole('button', { name: 'Verify' }).click()
  await expect(page.getByRole('heading', { name: 'Set up two-factor authentication' })).toBeVisible()
  expect(appCode(clock, secret)).toHaveLength(6)
})

test('an administrator makes 2FA mandatory, seeing first whom it sends to setup', async ({ app: page, harness }) => {
  await signIn(page, harness, 'ada', ADMIN_PASSWORD)
  await page.getByRole('button', { name: 'Policy' }).click()
  await expect(page.getByRole('heading', { name: 'Policy' })).toBeVisible()
  await expect(page.getByText(/could try 80 codes a year/)).toBeVisible()
  await page.getByLabel('Make two-factor authentication mandatory').check()
  await page.getByLabel('Each further lock lasts').fill('1')
  await expect(page.getByText(/raise the lock duration or its growth/)).toBeVisible()
  await page.getByLabel('Each further lock lasts').fill('2')
  await expect(page.getByText(/could try 80 codes a year/)).toBeVisible()
  // Staff have a second factor already (they cannot reach the console without one).
  await expect(page.getByText('3 users would be sent to setup at their next login; 3 of them can still postpone.')).toBeVisible()
  await expectAccessible(page)
  await screenshot(page, '35-policy')
  await page.getByRole('button', { name: 'Save policy' }).click()
  await expect(page.getByText('Policy saved. The change is in the audit log.')).toBeVisible()
  await page.getByRole('button', { name: 'Log out' }).click()

  await logIn(page, 'grace')
  await expect(page.getByRole('button', { name: 'Postpone (2 left)' })).toBeVisible()
})

test('the policy form shows every problem at once, beside its setting, in plain words; nothing is saved', async ({ app: page, harness }) => {
  await signIn(page, harness, 'ada', ADMIN_PASSWORD)
  await page.getByRole('button', { name: 'Policy' }).click()
  await page.getByLabel('Postponements allowed').fill('-5')
  await page.getByLabel('First lock lasts').fill('')
  await page.getByLabel('Issuer name shown in authenticator apps').fill('Acme: IT')
  for (const m of ['Authenticator app', 'E-mail code']) await page.getByRole('checkbox', { name: m, exact: true }).uncheck()
  await page.getByRole('button', { name: 'Save policy' }).click()
  await expect(page.getByRole('alert').filter({ hasText: 'Nothing was saved: 4 settings need correcting' })).toBeVisible()
  const postponements = page.getByLabel('Postponements allowed')
  await expect(postponements).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByRole('checkbox', { name: 'Authenticator app', exact: true })).toBeFocused() // the first problem, in screen order
  await expect(postponements).toHaveAccessibleDescription(/Postponements allowed: enter a whole number from 0 to 10\./)
  await expect(page.getByLabel('First lock lasts')).toHaveAccessibleDescription('First lock lasts (minutes): enter a whole number from 1 to 1440.')
  await expect(page.getByLabel('Issuer name shown in authenticator apps')).toHaveAccessibleDescription(/Issuer name: no colons/)
  await expect(page.getByText('Allowed methods: allow at least one.')).toBeVisible()
  await expect(page.getByText(/expected number|Too small|Invalid input/)).toHaveCount(0)
  await expect(page.getByText('Correct the settings marked above to see their effect.')).toBeVisible()
  await screenshot(page, '35b-policy-errors')
  expect(await inEngine(harness, 'policy.get')).toMatchObject({ postponements: 2, issuer: 'Tessera' })
})

test('the idle warning says the policy has unsaved changes, and staying keeps them', async ({ app: page, harness }) => {
  await inEngine(harness, 'policy.save', { ...DEFAULT_POLICY, idleTimeoutMinutes: 2 })
  await page.clock.install()
  await page.reload()
  await signIn(page, harness, 'ada', ADMIN_PASSWORD)
  await page.getByRole('button', { name: 'Policy' }).click()
  await page.getByLabel('Recovery codes per set').fill('12')
  await expect(page.getByText('Unsaved changes')).toBeVisible()
  await page.clock.fastForward(85_000) // the warning shows for the last third of a 2-minute timeout
  const warning = page.getByRole('alertdialog', { name: 'Are you still there?' })
  await expect(warning).toContainText('You have unsaved changes to the policy: choose “Stay logged in” to keep them, then save.')
  await screenshot(page, '36b-idle-unsaved-policy')
  await page.getByRole('button', { name: 'Stay logged in' }).click()
  await expect(warning).toBeHidden()
  await expect(page.getByLabel('Recovery codes per set')).toHaveValue('12')
  await page.getByRole('button', { name: 'Save policy' }).click()
  await expect(page.getByText('Policy saved. The change is in the audit log.')).toBeVisible()
  expect(await inEngine(harness, 'policy.get')).toMatchObject({ recoveryCodeCount: 12 })
})

test('the directory searches, filters and sorts; CSV import is all or nothing', async ({ app: page, harness }, testInfo) => {
  await signIn(page, harness, 'ada', ADMIN_PASSWORD)
  await page.getByLabel('Search').fill('HAM')
  await expect(page.getByRole('button', { name: 'Margaret Hamilton: open details' })).toBeVisible()
  await expect(page.getByText('1 user shown')).toBeVisible()
  await page.getByLabel('Search').fill('')
  await page.getByLabel('Role').selectOption('helpdesk')
  await expect(page.getByText('1 user shown')).toBeVisible()
  await page.getByLabel('Role').selectOption('all')
  // One name per status: the filter's options, the counts, the badges and the export say the same words.
  const options = await page.getByLabel('Status').locator('option').allTextContents()
  expect(options).toEqual(['All statuses', 'Disabled', 'Locked', 'Reset requested', 'Set up', 'Setup required', 'Postponed', 'Not set up'])
  await page.locator('.counts').getByRole('button', { name: /not set up$/ }).click()
  await expect(page.getByLabel('Status')).toHaveValue('not-enrolled')
  await expect.poll(async () => [...new Set(await page.locator('.badge--status').allTextContents())]).toEqual(['Not set up'])
  await page.getByLabel('Status').selectOption('all')
  await expect(page.getByRole('row', { name: /Ada Lovelace/ })).toContainText('Set up: app')
  await page.getByRole('button', { name: 'Username' }).click()
  await page.getByRole('button', { name: 'Username' }).click()
  await expect(page.getByRole('columnheader', { name: /Username/ })).toHaveAttribute('aria-sort', 'descending')
  await expect(page.getByRole('row').nth(1)).toContainText('Margaret Hamilton')

  await page.getByRole('button', { name: 'Import CSV' }).click()
  // The file field is ours (the browser's button speaks the browser's language): the input keeps the
  // focus, its ring shows on our button, and the chosen file's name appears beside it.
  await expect(page.getByLabel('CSV file')).toBeFocused()
  await page.keyboard.press('Shift+Tab')
  await page.keyboard.press('Tab')
  await expect(page.locator('.file-field__button')).toHaveCSS('outline-style', 'solid')
  await expect(page.getByText('No file chosen')).toBeVisible()
  const bad = testInfo.outputPath('bad.csv')
  const good = testInfo.outputPath('good.csv')
  const { writeFileSync } = await import('node:fs')
  writeFileSync(bad, 'username,email,display_name,role\nalan,alan@example.org,Alan Turing,user\ngrace,g2@example.org,Dup,user\n')
  writeFileSync(good, 'username,email,display_name,role\nalan,alan@example.org,Alan Turing,user\nbarbara,barbara@example.org,Barbara Liskov,helpdesk\n')
  await page.getByLabel('CSV file').setInputFiles(bad)
  await expect(page.getByRole('alert')).toContainText('Nothing was imported. 1 row was refused')
  await expect(page.getByRole('cell', { name: 'username already in use' })).toBeVisible()
  await expect(page.getByText('bad.csv', { exact: true })).toBeVisible()
  await expectAccessible(page)
  await screenshot(page, '33-import-refused')
  await page.getByLabel('CSV file').setInputFiles(good)
  // Checked first, nothing written: the first rows as they will be created.
  await expect(page.getByText('The file is ready: 2 users would be created.')).toBeVisible()
  await expect(page.getByRole('row', { name: /3 barbara barbara@example.org Barbara Liskov Help desk/ })).toBeVisible()
  expect(await inEngine(harness, 'sql.get', "SELECT count(*) AS n FROM users WHERE username IN ('alan', 'barbara')")).toEqual({ n: 0 })
  await screenshot(page, '33b-import-preview')
  await page.getByRole('button', { name: 'Import 2 users' }).click()
  await expect(page.getByText('2 users imported.')).toBeVisible()
  const template = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Download a template' }).click()
  expect(readFileSync((await (await template).path())!, 'utf8').split('\r\n')[0]).toBe('username,email,display_name,role,phone')
  await expect(page.getByText('7 users:')).toBeVisible()
})

test('the directory scrolls to the middle and the end of a long list at once, by scrollbar and by keys', async ({ app: page, harness }) => {
  await inEngine(
    harness,
    'sql.run',
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
     INSERT INTO users (username, email, display_name, role, created_at, updated_at)
     SELECT printf('bulk%04d', i), printf('bulk%04d@example.org', i), printf('Bulk Person %04d', i), 'user', 0, 0 FROM n`
  )
  await signIn(page, harness, 'ada', ADMIN_PASSWORD)
  await expect(page.getByText('3,005 users shown')).toBeVisible()
  const body = page.getByRole('rowgroup', { name: /^Users:/ })
  // The scrollbar dragged to the end: the last rows, without loading what lies between.
  await body.evaluate((el) => (el.scrollTop = el.scrollHeight))
  await expect(page.getByRole('button', { name: 'Margaret Hamilton: open details' })).toBeVisible()
  await expect(page.getByText('3,005 users shown')).toBeVisible()
  // To the middle: rows about 1,500 (sorted by name: Ada, then the bulk users).
  await body.evaluate((el) => (el.scrollTop = (el.scrollHeight - el.clientHeight) / 2))
  await expect(page.getByRole('button', { name: /Bulk Person 150\d: open details/ }).first()).toBeVisible()
  await expect(page.getByRole('row', { name: 'Loading…' })).toHaveCount(0)
  // Home and End on the list itself.
  await body.focus()
  await page.keyboard.press('Home')
  await expect(page.getByRole('button', { name: 'Ada Lovelace: open details' })).toBeVisible()
  await page.keyboard.press('End')
  await expect(page.getByRole('button', { name: 'Margaret Hamilton: open details' })).toBeVisible()
  await page.keyboard.press('PageUp')
  await expect(page.getByRole('button', { name: 'Margaret Hamilton: open details' })).toBeHidden()
  // Typed slowly, letter by letter: the list ends on what was typed last.
  await page.getByLabel('Search').pressSequentially('person 2999', { delay: 160 })
  await expect(page.getByText('1 user shown')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Bulk Person 2999: open details' })).toBeVisible()
})

test('the audit log filters, verifies its chain and exports', async ({ app: page, harness }) => {
  await logIn(page, 'grace', 'a wrong password here')
  await expect(page.getByRole('alert')).toHaveText('The username, e-mail or password is incorrect.')
  await signIn(page, harness, 'ada', ADMIN_PASSWORD)
  await page.getByRole('button', { name: 'Audit log' }).click()
  await page.getByLabel('Event').selectOption('login.')
  // Events read as sentences; the raw id is in the row's details.
  const row = page.getByRole('row').filter({ hasText: 'grace entered a wrong password at harness' })
  await expect(row).toHaveCount(1)
  await expect(page.getByText('login.password-failed')).toBeHidden()
  await row.getByText('Details').click()
  await expect(row.getByText('login.password-failed')).toBeVisible()
  await expect(page.getByRole('cell', { name: /^\d+ [A-Z][a-z]{2} \d{4}|\w{3} \d+, \d{4}/ }).first()).toBeVisible()
  await page.getByRole('button', { name: 'Verify integrity' }).click()
  await expect(page.getByText(/The log is intact: all \d+ rows are chained as written\./)).toBeVisible()
  await expectAccessible(page)
  await screenshot(page, '36-audit')
  // The second verification starts where the first ended; a full one walks every row, as a job.
  await page.getByRole('button', { name: 'Verify integrity' }).click()
  await expect(page.getByText(/since the last verification/)).toBeVisible()
  await page.getByRole('button', { name: 'Full verification' }).click()
  await expect(page.getByText(/The log is intact: all \d+ rows are chained as written\./)).toBeVisible()
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export CSV' }).click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^tessera-audit-\d{4}-\d{2}-\d{2}-\d+\.csv$/)
  const lines = readFileSync((await file.path())!, 'utf8').trim().split('\r\n')
  expect(lines[0]).toBe('id,time,event,actor,subject,workstation,details,hash,sentence')
  // The sentence column is in the screen's language, after the columns that stay the same in every language.
  expect(lines.some((l) => l.includes(',login.password-failed,') && l.endsWith(',grace entered a wrong password at harness'))).toBe(true)
  await expect(page.getByText(`${(lines.length - 1).toLocaleString('en')} rows exported.`)).toBeVisible()
})

test('a new user gets a temporary password to read out; staff edit and delete accounts', async ({ app: page, harness }) => {
  await signIn(page, harness, 'hedy')
  await page.getByRole('button', { name: 'Add user' }).click()
  const form = page.getByRole('form', { name: 'Add a user' })
  await form.getByLabel('Username').fill('alan')
  await form.getByLabel('E-mail').fill('alan@example')
  await form.getByLabel('Phone (optional)').fill('call me')
  await form.getByRole('button', { name: 'Create user' }).click()
  await expect(form.getByLabel('E-mail')).toHaveAccessibleDescription(/Enter a valid e-mail address/)
  await expect(form.getByLabel('Full name')).toHaveAccessibleDescription('Enter a name.')
  await expect(form.getByLabel('Phone (optional)')).toHaveAccessibleDescription(/Enter a phone number/)
  await form.getByLabel('E-mail').fill('alan@example.org')
  await form.getByLabel('Full name').fill('Alan Turing')
  await form.getByLabel('Phone (optional)').fill('+44 161 496 0000')
  await form.getByRole('button', { name: 'Create user' }).click()
  await expect(form.getByRole('status')).toContainText('Alan Turing was created. Read them this temporary password:')
  const temporary = (await form.locator('code.key').textContent())!.trim()
  await screenshot(page, '38-add-user')

  // The help desk corrects his name; an administrator deletes an old account.
  await page.getByLabel('Search').fill('alan')
  await page.getByRole('button', { name: 'Alan Turing: open details' }).click()
  let detail = page.getByRole('dialog', { name: 'Alan Turing' })
  await detail.getByRole('button', { name: 'Edit profile' }).click()
  await detail.getByLabel('Full name').fill('Alan M. Turing')
  await detail.getByLabel('E-mail').fill('hedy@example.org')
  await detail.getByRole('button', { name: 'Save profile' }).click()
  await expect(detail.getByLabel('E-mail')).toHaveAccessibleDescription('This e-mail address is already in use.')
  await detail.getByLabel('E-mail').fill('alan@example.org')
  await detail.getByRole('button', { name: 'Save profile' }).click()
  await expect(page.getByRole('heading', { name: 'Alan M. Turing' })).toBeVisible()
  await page.getByRole('button', { name: 'Log out' }).click()

  await logIn(page, 'alan', temporary)
  await expect(page.getByRole('heading', { name: 'Choose your own password' })).toBeVisible()
  await page.getByRole('button', { name: 'Log out' }).click()

  await signIn(page, harness, 'ada', ADMIN_PASSWORD)
  await page.getByRole('button', { name: 'Margaret Hamilton: open details' }).click()
  detail = page.getByRole('dialog', { name: 'Margaret Hamilton' })
  await detail.getByRole('button', { name: 'Delete account…' }).click()
  const remove = detail.getByRole('form', { name: 'Delete the account of Margaret Hamilton' })
  await expect(remove.getByRole('button', { name: 'Delete account' })).toBeDisabled()
  await remove.getByLabel('Type the username, margaret, to confirm').fill('margaret')
  await expectAccessible(page)
  await screenshot(page, '39-delete-user')
  await remove.getByRole('button', { name: 'Delete account' }).click()
  await expect(detail).toBeHidden()
  await expect(page.getByRole('button', { name: 'Margaret Hamilton: open details' })).toHaveCount(0)
  await page.getByRole('button', { name: 'Audit log' }).click()
  await expect(page.getByRole('cell', { name: 'ada deleted the account margaret (Margaret Hamilton) at harness' })).toBeVisible()
  await expect(page.getByRole('cell', { name: "hedy changed alan's name at harness" })).toBeVisible()
})

test('an administrator sees where she is signed in and signs out her other windows; staff see a user\'s sessions', async ({ app: page, harness, browser, clock }) => {
  await signIn(page, harness, 'ada', ADMIN_PASSWORD)
  const other = await (await browser.newContext()).newPage() // another window, with its own session
  await other.goto(harness.url)
  clock.advance(30_000) // the next code: each is accepted once
  await signIn(other, harness, 'ada', ADMIN_PASSWORD)
  await page.getByRole('button', { name: 'Users' }).click()
  await page.getByRole('button', { name: 'Ada Lovelace: open details' }).click()
  await expect(page.getByRole('dialog', { name: 'Ada Lovelace' }).getByRole('listitem').filter({ hasText: /^harness: signed in since/ })).toHaveCount(2)
  await page.getByRole('dialog', { name: 'Ada Lovelace' }).getByRole('button', { name: 'Close' }).click()
  await page.getByRole('button', { name: 'My account' }).click()
  const panel = page.locator('.panel').filter({ has: page.getByRole('heading', { name: 'Where you are signed in' }) })
  await expect(panel.getByRole('listitem')).toHaveCount(2)
  await expect(panel.getByRole('listitem').filter({ hasText: '(this window)' })).toContainText('last active just now')
  await screenshot(page, '15b-my-sessions')
  await panel.getByRole('button', { name: 'Sign out everywhere else' }).click()
  await expect(panel.getByRole('status')).toHaveText('Signed out everywhere else: 1 session ended.')
  await expect(panel.getByRole('listitem')).toHaveCount(1)
  await other.reload()
  await expect(other.getByRole('heading', { name: 'Log in' })).toBeVisible()
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()
})

test('bulk actions: registration links to the ticked rows, then an unlock of everyone a filter matches', async ({ app: page, harness }) => {
  await signIn(page, harness, 'hedy')
  await page.getByRole('checkbox', { name: 'Select Linus Torvalds' }).check()
  await page.getByRole('checkbox', { name: 'Select Margaret Hamilton' }).check()
  const bulk = page.getByRole('group', { name: 'Act on several users' })
  await expect(bulk.getByRole('radio', { name: '2 selected users' })).toBeChecked()
  await bulk.getByRole('button', { name: 'Apply…' }).click()
  await expect(bulk.getByRole('alertdialog')).toContainText('Send a registration link to 2 users?')
  await screenshot(page, '30b-bulk-confirm')
  await bulk.getByRole('button', { name: 'Yes, send registration links' }).click()
  await expect(bulk.getByRole('status')).toHaveText('Send registration links: 2 users done.')
  await expect(page.getByRole('checkbox', { name: 'Select Linus Torvalds' })).not.toBeChecked()

  await page.getByLabel('Status').selectOption('not-enrolled')
  await expect(bulk.getByRole('radio', { name: 'all 3 users matching the filter' })).toBeChecked() // nothing ticked any more
  await bulk.getByLabel('Action').selectOption('unlock')
  await bulk.getByRole('button', { name: 'Apply…' }).click()
  await bulk.getByRole('button', { name: 'Yes, unlock' }).click()
  await expect(bulk.getByRole('status')).toContainText('Unlock: 0 users done, 3 users skipped.')
  await expect(bulk.getByRole('listitem').first()).toHaveText(/: This account is not locked\.$/)
  await expectAccessible(page)
  await screenshot(page, '30c-bulk-report')
})

test('a plain user sees no console', async ({ app: page }) => {
  await logIn(page, 'grace')
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('button')).toHaveText(['My account'])
})

test('resetting an administrator needs a second administrator; roles and accounts change from the panel', async ({ app: page, harness, clock }) => {
  await seedUsers(harness, [{ username: 'barbara', role: 'admin', displayName: 'Barbara Liskov' }, { username: 'frances', role: 'admin', displayName: 'Frances Allen' }])
  await enrolledInEngine(harness, clock, 'barbara')
  await signIn(page, harness, 'ada', ADMIN_PASSWORD)
  await page.getByLabel('Search').fill('liskov')
  await page.getByRole('button', { name: 'Barbara Liskov: open details' }).click()
  const detail = page.getByRole('dialog', { name: 'Barbara Liskov' })
  await detail.getByRole('button', { name: 'Reset 2FA' }).click()
  await detail.getByLabel('Reason (recorded in the audit log)').fill('Lost phone, seen in person')
  await detail.getByRole('button', { name: 'Reset 2FA' }).last().click()
  await expect(detail.getByText('Reset proposed: a second administrator must approve it in Help requests.')).toBeVisible()
  await detail.getByRole('button', { name: 'Close' }).click()
  await expect(page.getByRole('button', { name: 'Barbara Liskov: open details' })).toBeFocused()

  // Ada cannot approve her own proposal.
  await page.getByRole('button', { name: /Help requests/ }).click()
  await page.getByRole('button', { name: 'Handle the request of Barbara Liskov' }).click()
  await page.getByLabel('In person with photo ID').check()
  await page.getByRole('button', { name: 'Approve reset' }).click()
  await expect(page.getByRole('alert')).toHaveText('A different administrator must approve this reset.')

  // Ada makes Linus help desk and disables Margaret.
  await page.getByRole('button', { name: 'Users' }).click()
  await page.getByRole('button', { name: 'Linus Torvalds: open details' }).click()
  await page.getByRole('dialog', { name: 'Linus Torvalds' }).getByLabel('Role').selectOption('helpdesk')
  await expect(page.getByText('Role changed.')).toBeVisible()
  await page.getByRole('button', { name: 'Margaret Hamilton: open details' }).click()
  await page.getByRole('dialog', { name: 'Margaret Hamilton' }).getByRole('button', { name: 'Disable account' }).click()
  await expect(page.getByText('Account disabled.')).toBeVisible()
  await page.getByRole('button', { name: 'Log out' }).click()

  // Frances, a second administrator, approves.
  await signIn(page, harness, 'frances')
  await page.getByRole('button', { name: /Help requests/ }).click()
  await expect(page.getByText('Awaiting a second administrator')).toBeVisible()
  await page.getByRole('button', { name: 'Handle the request of Barbara Liskov' }).click()
  await page.getByLabel('In person with photo ID').check()
  await page.getByRole('button', { name: 'Approve reset' }).click()
  await expect(page.getByText('Two-factor authentication of Barbara Liskov was reset.')).toBeVisible()
  expect(await inEngine(harness, 'twoFactor.isActive', 6)).toBe(false)
  expect((await inEngine<UserListRow>(harness, 'directory.row', 4)).role).toBe('helpdesk')
  expect((await inEngine<UserListRow>(harness, 'directory.row', 5)).disabled).toBe(true)
})

test('SMTP settings are tested from the policy screen', async ({ app: page, harness }) => {
  const { startSmtp } = await import('../helpers/smtp')
  const smtp = await startSmtp()
  try {
    await signIn(page, harness, 'ada', ADMIN_PASSWORD)
    await page.getByRole('button', { name: 'Policy' }).click()
    await page.getByLabel('Send e-mail through an SMTP server').check()
    await page.getByLabel('Server', { exact: true }).fill('127.0.0.1')
    await page.getByLabel('Port').fill(String(smtp.port))
    await page.getByLabel('Security', { exact: true }).selectOption('none')
    await page.getByLabel('Sender address').fill('tessera@example.org')
    await page.getByLabel('Send a test to').fill('ops@example.org')
    await page.getByRole('button', { name: 'Send test e-mail' }).click()
    await expect(page.getByText('Test e-mail sent to ops@example.org.')).toBeVisible()
    expect((await smtp.next(0)).to).toEqual(['ops@example.org'])
    await page.getByRole('button', { name: 'Save policy' }).click()
    await expect(page.getByText('Policy saved. The change is in the audit log.')).toBeVisible()
  } finally {
    await smtp.close()
  }
})
