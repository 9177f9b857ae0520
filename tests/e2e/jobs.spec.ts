/**
 * A long job a crash interrupted, as its owner meets it in Chromium: a bulk "send a registration
 * link" run in a child process on the seat's database is killed with SIGKILL part-way; the next
 * start (here `tessera job list`) settles it; the administrator who started it then sees, in the
 * console, which accounts it had done, until they dismiss it.
 */
import { ADMIN_PASSWORD, inEngine, seedUsers, signIn } from './helpers'
import { expect, expectAccessible, expectUnclippedAcrossWidths, screenshot, test } from './fixtures'
import { cli, countOf, runKilled, storeOf, usersFile, type Organisation } from '../helpers/kill-jobs'

// The organisation exists before the page opens (else it shows the first run).
test.beforeEach(async ({ harness }) => seedUsers(harness))

test('an interrupted bulk action is reported to its owner at the next start, until dismissed', async ({ app: page, harness }) => {
  test.setTimeout(90_000) // child processes: an import, a bulk action killed part-way, a CLI start
  const org: Organisation = { kind: 'sqlite', dir: harness.dataDir, url: null, remove: async () => undefined }
  expect((await cli(org, ['user', 'import', usersFile(org, 'bk', 200)])).code).toBe(0)
  const watcher = await storeOf(org)
  const since = Date.now()
  const linked = () => countOf(watcher, "SELECT count(*) AS n FROM enrolment_tokens t JOIN users u ON u.id = t.user_id WHERE u.username LIKE 'bk%' AND t.created_at >= ?", [since])
  const killed = await runKilled(org, { bulk: 'bk' }, async () => (await linked()) >= 60)
  const done = await linked()
  await watcher.close()
  expect(killed.killed).toBe(true)
  // The next start of any process on the database settles the job, and says so.
  expect((await cli(org, ['job', 'list'])).err).toMatch(/^notice: The bulk registration-link sending started by ada at kill-test on .* was interrupted\./)

  await signIn(page, harness, 'ada', ADMIN_PASSWORD)
  const notice = page.getByRole('status').filter({ hasText: 'Interrupted:' })
  await expect(notice).toContainText(new RegExp(`The bulk registration-link sending started by ada at kill-test on .+ was interrupted\\. It was done for ${done} of 200 accounts: bk00000, bk00001, .+, bk00009 and ${done - 10} others; the others were not done\\.`))
  await expectAccessible(page)
  await expectUnclippedAcrossWidths(page, '.notice')
  await screenshot(page, '30d-interrupted-job')
  await notice.getByRole('button', { name: 'Dismiss' }).click()
  await expect(notice).toHaveCount(0)
  expect(await inEngine(harness, 'journal.notices', { id: 1, role: 'admin' })).toEqual([])
})
