/**
 * Rule: with --kiosk the window is full screen in kiosk mode, without menus or dev tools, and a
 * registration link on the command line is offered to the renderer once.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { tempDir } from '../helpers/engine'

vi.mock('electron', async () => await import('../helpers/fake-electron'))
const fake = await import('../helpers/fake-electron')

const BUNDLE = join(import.meta.dirname, '../../out/main/index.js')
const data = tempDir()
const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWx'

beforeAll(async () => {
  if (!existsSync(BUNDLE)) throw new Error('Build first: npm run build (npm test does it).')
  process.env['TESSERA_DATA_DIR'] = data.dir
  process.argv.push('--kiosk', `tessera://enroll?token=${TOKEN}`)
  await import(/* @vite-ignore */ BUNDLE)
  await fake.becomeReady()
})
afterAll(() => {
  for (const l of fake.recorded.appListeners.get('will-quit') ?? []) l()
  data.remove()
})

it('opens a kiosk window without dev tools', () => {
  const options = fake.recorded.windows[0]!.options
  expect(options).toMatchObject({ kiosk: true, fullscreen: true })
  expect(options['webPreferences']).toMatchObject({ devTools: false, sandbox: true })
})

it('offers the registration link from the command line once', async () => {
  const win = fake.recorded.windows[0]!
  const status = fake.recorded.handlers.get('app:status')!
  const own = { sender: win.webContents, senderFrame: win.webContents.mainFrame }
  expect(await status(own, {})).toMatchObject({ ok: true, value: { pendingLink: TOKEN } })
  expect(await status(own, {})).toMatchObject({ ok: true, value: { pendingLink: null } })
})
