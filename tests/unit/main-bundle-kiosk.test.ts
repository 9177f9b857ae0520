/**
 * Rule: with --kiosk the window is full screen in kiosk mode, without a menu or dev tools, and a
 * registration link on the command line is offered to the renderer once.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { loadMainBundle } from '../helpers/main-bundle'

vi.mock('electron', async () => await import('../helpers/fake-electron'))
const fake = await import('../helpers/fake-electron')

const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWx'
let bundle: Awaited<ReturnType<typeof loadMainBundle>>
beforeAll(async () => void (bundle = await loadMainBundle(fake, ['--kiosk', `tessera://enroll?token=${TOKEN}`])))
afterAll(() => bundle.unload())

it('opens a kiosk window without dev tools or menus', () => {
  const options = fake.recorded.windows[0]!.options
  expect(options).toMatchObject({ kiosk: true, fullscreen: true, autoHideMenuBar: true })
  expect(fake.recorded.menu).toBeNull()
  expect(options['webPreferences']).toMatchObject({ devTools: false, sandbox: true })
})

it('offers the registration link from the command line once', async () => {
  const win = fake.recorded.windows[0]!
  const status = fake.recorded.handlers.get('app:status')!
  const own = { sender: win.webContents, senderFrame: win.webContents.mainFrame }
  expect(await status(own, {})).toMatchObject({ ok: true, value: { pendingLink: TOKEN } })
  expect(await status(own, {})).toMatchObject({ ok: true, value: { pendingLink: null } })
})
