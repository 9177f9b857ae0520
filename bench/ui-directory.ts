/**
 * The directory in Chromium on the benchmark's data directory (1,000,000 users by default; built
 * by `npm run bench`): how long until the first rows show, how long the scrollbar dragged to the
 * middle and to the end takes to show the rows there, typing a search letter by letter (alone and
 * while a users export runs), and every long task (> 50 ms) the renderer ran meanwhile.
 *   npm run bench:ui [-- USERS [AUDIT_ROWS]]
 */
import { chromium, type Page } from 'playwright-core'
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { startHarness } from '../src/harness/server'
import { createEngine } from '../src/main/core/engine'
import { findUserByIdentifier } from '../src/main/db/queries/users'
import { totpAt } from '../src/main/core/two-factor/totp'
import { observeLongTasks } from './long-task-observer'

const USERS = Number(process.argv[2] ?? 1_000_000)
const AUDIT = Number(process.argv[3] ?? 5_000_000)
const DIR = resolve('.bench-data', `scale-${USERS}-${AUDIT}`)
const ADMIN = { username: 'benchadmin', password: 'analytical engine notes' }

if (!existsSync(DIR)) {
  console.error(`no benchmark data in ${DIR}: run "npm run bench -- ${USERS} ${AUDIT}" first`)
  process.exit(2)
}
const work = `${DIR}.ui`
rmSync(work, { recursive: true, force: true })
mkdirSync(work)
for (const name of ['tessera.db', 'data.key', 'audit-anchor.json']) if (existsSync(join(DIR, name))) copyFileSync(join(DIR, name), join(work, name))

/** The administrator's authenticator, set up on the scratch copy. */
async function adminSecret(): Promise<string> {
  const engine = await createEngine({ databaseFile: join(work, 'tessera.db'), dataDir: work })
  try {
    const admin = (await findUserByIdentifier(engine.store, ADMIN.username))!
    const step = await engine.twoFactor.startEnrolment(admin, 'totp', 'bench')
    if (step.step !== 'scan') throw new Error(`unexpected enrolment step ${step.step}`)
    const secret = new URL(step.uri).searchParams.get('secret')!
    await engine.twoFactor.confirmEnrolment(admin, totpAt(secret, Date.now()), 'bench')
    await engine.twoFactor.completeEnrolment(admin, 'bench')
    return secret
  } finally {
    await engine.close()
  }
}

/** Milliseconds from running `act` in the page until the expression `done` holds. */
async function timeUntil(page: Page, act: string, done: string): Promise<number> {
  // A string, not a function: the bundler's helpers (__name) do not exist in the page.
  return page.evaluate(`new Promise((resolve) => {
    const t0 = performance.now()
    const observer = new MutationObserver(() => check())
    const check = () => { if (${done}) { observer.disconnect(); resolve(performance.now() - t0) } }
    observer.observe(document.body, { childList: true, subtree: true, characterData: true })
    ;${act}
    check()
  })`) as Promise<number>
}

const secret = await adminSecret()
const harness = await startHarness({ dataDir: work })
const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
const rows: [string, string, string][] = []
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  const longTasks = await observeLongTasks(page)
  await page.goto(harness.url)
  await page.getByLabel('Username or e-mail').fill(ADMIN.username)
  await page.getByLabel('Password').fill(ADMIN.password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByLabel('Enter the 6-digit code from your authenticator app').fill(totpAt(secret, Date.now() + 30_000)) // the next step: the current one confirmed the setup
  // From the directory's heading showing (logged in) to its first rows showing.
  const heading = `[...document.querySelectorAll('h1')].some((h) => h.textContent === 'Users')`
  const opened = await page.evaluate(`new Promise((resolve) => {
    let shownAt = null
    const observer = new MutationObserver(() => {
      if (shownAt === null && ${heading}) shownAt = performance.now()
      if (shownAt !== null && document.querySelector('[data-user-id]')) { observer.disconnect(); resolve(performance.now() - shownAt) }
    })
    observer.observe(document.body, { childList: true, subtree: true })
    ;[...document.querySelectorAll('button')].find((b) => b.textContent === 'Verify').click()
  })`) as number
  rows.push(['directory opened: first rows', `${opened.toFixed(0)} ms`, 'target < 200 ms'])
  await longTasks()

  const body = 'document.querySelector(".grid__body")'
  const count = 'Number(document.querySelector(".grid").getAttribute("aria-rowcount"))'
  // Rows loaded at (about) row `at` of the list, as a page expression.
  const loadedNear = (at: string) =>
    `[...document.querySelectorAll('[role=row][aria-rowindex]')].some((r) => Math.abs(Number(r.getAttribute('aria-rowindex')) - (${at})) < 20 && r.querySelector('[data-user-id]')) && !document.querySelector('.grid__cell--loading')`
  const middle = await timeUntil(page, `${body}.scrollTop = (${body}.scrollHeight - ${body}.clientHeight) / 2;`, loadedNear(`${count} / 2`))
  rows.push(['scrollbar to the middle: rows there', `${middle.toFixed(0)} ms`, ''])
  const end = await timeUntil(page, `${body}.scrollTop = ${body}.scrollHeight;`, loadedNear(count))
  rows.push(['scrollbar to the end: rows there', `${end.toFixed(0)} ms`, ''])
  const lastName = await page.locator('[data-user-id]').last().textContent()
  rows.push(['last row shown at the end', lastName ?? '?', ''])
  await page.locator('.grid__body').hover()
  for (let i = 0; i < 30; i++) await page.mouse.wheel(0, 400)
  await page.waitForTimeout(300)
  const scrolling = await longTasks()
  rows.push(['long tasks while scrolling', String(scrolling.length), scrolling.length ? `longest ${Math.max(...scrolling).toFixed(0)} ms` : ''])

  async function typeSearch(text: string): Promise<{ ms: number; long: number[] }> {
    await page.getByLabel('Search').fill('')
    await page.locator('[data-user-id]').first().waitFor()
    await longTasks()
    await page.getByLabel('Search').pressSequentially(text, { delay: 120 })
    const t0 = performance.now()
    await page.waitForFunction((t) => (document.querySelector('#user-search') as HTMLInputElement).value === t && !document.querySelector('.grid__cell--loading') && /shown/.test(document.querySelector('.toolbar__total')?.textContent ?? ''), text)
    await page.waitForTimeout(400) // a superseded answer arriving late would show here
    return { ms: performance.now() - t0 - 400, long: await longTasks() }
  }
  const typed = await typeSearch('martin')
  rows.push(['typed "martin": rows after the last key', `${typed.ms.toFixed(0)} ms`, `${typed.long.length} long tasks`])

  await page.getByLabel('Search').fill('')
  await page.getByRole('button', { name: 'Export CSV' }).click()
  await page.getByText(/Exporting/).waitFor()
  const during = await typeSearch('lovelace 12')
  const exporting = await page.getByText(/Exporting/).isVisible()
  rows.push(['typed during a users export', `${during.ms.toFixed(0)} ms`, `${during.long.length} long tasks${exporting ? ', export still running' : ''}`])
  if (exporting) await page.getByRole('button', { name: 'Cancel' }).click()
} finally {
  await browser.close()
  await harness.close()
  rmSync(work, { recursive: true, force: true })
}
console.log(`\nThe directory in Chromium at ${USERS.toLocaleString('en')} users (1440 x 900):\n`)
console.log('| measure | value | |\n|---|---|---|')
for (const [a, b, c] of rows) console.log(`| ${a} | ${b} | ${c} |`)
