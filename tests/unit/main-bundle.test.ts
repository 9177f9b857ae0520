/**
 * Rule: the built main process registers every contract channel, creates its window sandboxed and
 * isolated with no Node integration, denies navigation and new windows, and answers only its own
 * window's main frame.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { CHANNELS } from '../../src/shared/contract'
import { loadMainBundle } from '../helpers/main-bundle'

vi.mock('electron', async () => await import('../helpers/fake-electron'))
const fake = await import('../helpers/fake-electron')

let bundle: Awaited<ReturnType<typeof loadMainBundle>>
beforeAll(async () => void (bundle = await loadMainBundle(fake)))
afterAll(() => bundle.unload())

describe('the built main process', () => {
  it('registers exactly the contract channels', () => {
    expect([...fake.recorded.handlers.keys()].sort()).toEqual([...CHANNELS].sort())
  })

  it('creates one window: sandboxed, context-isolated, without Node integration', () => {
    expect(fake.recorded.sandboxEnabled).toBe(true)
    expect(fake.recorded.windows).toHaveLength(1)
    const prefs = fake.recorded.windows[0]!.options['webPreferences'] as Record<string, unknown>
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true })
    expect(prefs['preload']).toMatch(/preload[/\\]index\.cjs$/)
    expect(existsSync(prefs['preload'] as string)).toBe(true)
    expect(fake.recorded.windows[0]!.loadedUrl).toBe('https://tessera.internal/index.html')
  })

  it('denies new windows, navigation and every permission but writing to the clipboard', () => {
    const contents = fake.recorded.windows[0]!.webContents
    expect(contents.windowOpenHandler?.({ url: 'https://example.org' })).toEqual({ action: 'deny' })
    for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      const navigation = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true } }
      contents.emit(event, navigation, 'https://example.org')
      expect(navigation.defaultPrevented, event).toBe(true)
    }
    let granted: boolean | undefined
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation']) {
      fake.recorded.permissionHandler?.(contents, permission, (g: boolean) => (granted = g))
      expect(granted, permission).toBe(false)
    }
    fake.recorded.permissionHandler?.(contents, 'clipboard-sanitized-write', (g: boolean) => (granted = g))
    expect(granted).toBe(true)
  })

  it('answers its own window and refuses any other sender', async () => {
    const win = fake.recorded.windows[0]!
    const handler = fake.recorded.handlers.get('app:status')!
    const own = { sender: win.webContents, senderFrame: win.webContents.mainFrame }
    expect(await handler(own, {})).toMatchObject({ ok: true, value: { initialized: false, session: null } })
    const stranger = new fake.FakeWebContents()
    stranger.mainFrame.url = 'https://evil.example/'
    expect(await handler({ sender: stranger, senderFrame: stranger.mainFrame }, {})).toMatchObject({ ok: false, code: 'FORBIDDEN_SENDER' })
    const subframe = { url: win.loadedUrl, origin: 'https://tessera.internal' }
    expect(await handler({ sender: win.webContents, senderFrame: subframe }, {})).toMatchObject({ ok: false, code: 'FORBIDDEN_SENDER' })
  })

  it('refuses its own window once its main frame shows anything with a "null" origin', async () => {
    const win = fake.recorded.windows[0]!
    const handler = fake.recorded.handlers.get('app:status')!
    const frame = win.webContents.mainFrame
    const saved = { ...frame }
    try {
      for (const url of ['data:text/html,<script>1</script>', 'about:blank', 'blob:null/1234', 'file:///tmp/index.html', 'javascript:alert(1)']) {
        Object.assign(frame, { url, origin: 'null' })
        expect(await handler({ sender: win.webContents, senderFrame: frame }, {}), url).toMatchObject({ ok: false, code: 'FORBIDDEN_SENDER' })
      }
    } finally {
      Object.assign(frame, saved)
    }
  })

  it('serves the renderer from its own https origin in-process, and nothing else', async () => {
    const handle = fake.recorded.protocolHandlers.get('https')!
    const page = (await handle({ url: 'https://tessera.internal/index.html' })) as Response
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<div id="root"></div>')
    for (const url of ['https://example.org/index.html', 'https://tessera.internal/../main/index.js', 'https://tessera.internal/%2e%2e/main/index.js']) {
      expect(((await handle({ url })) as Response).status, url).toBe(404)
    }
  })

  it('gives the console a menu: copy and paste, zoom, the version and the data folder', () => {
    const menu = fake.recorded.menu!.template as { label?: string; submenu?: { role?: string; label?: string }[] }[]
    const items = (label: string) => menu.find((m) => m.label?.replace('&', '') === label)!.submenu!
    expect(items('Edit').map((i) => i.role)).toEqual(expect.arrayContaining(['copy', 'paste', 'cut', 'selectAll']))
    expect(items('View').map((i) => i.role)).toEqual(expect.arrayContaining(['zoomIn', 'zoomOut', 'resetZoom']))
    expect(items('Help').map((i) => i.label)).toEqual(expect.arrayContaining(['Tessera 0.0.0-test', expect.stringMatching(/^Data folder: \//), 'About Tessera']))
  })

  it('keeps the database in the data directory', () => {
    expect(existsSync(join(bundle.dataDir, 'tessera.db'))).toBe(true)
  })
})
