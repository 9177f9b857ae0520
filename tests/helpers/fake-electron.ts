/**
 * A stand-in for the `electron` module, enough to load the built main bundle in Node and see what it
 * registers: IPC handlers, windows and their web preferences, app and web-contents listeners.
 * (Electron's own binary cannot run here; this is a fake of Electron, not of our code.)
 */
import { EventEmitter } from 'node:events'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

type Listener = (...args: unknown[]) => unknown

export const recorded = {
  handlers: new Map<string, Listener>(),
  windows: [] as FakeBrowserWindow[],
  appListeners: new Map<string, Listener[]>(),
  permissionHandler: null as null | Listener,
  protocolHandlers: new Map<string, (request: { url: string }) => unknown>(),
  sandboxEnabled: false,
  quitCalls: 0,
  /** The application menu's template as set (null: no menu), undefined until set. */
  menu: undefined as { template: unknown[] } | null | undefined
}

let resolveReady: () => void = () => {}
const ready = new Promise<void>((r) => (resolveReady = r))
const userData = mkdtempSync(join(tmpdir(), 'tessera-electron-userdata-'))

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: Listener | null = null
  readonly mainFrame = { url: '', origin: '' }
  setWindowOpenHandler(handler: Listener): void {
    this.windowOpenHandler = handler
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static getAllWindows = () => recorded.windows
  readonly webContents = new FakeWebContents()
  loadedUrl = ''
  constructor(readonly options: Record<string, unknown>) {
    super()
    recorded.windows.push(this)
    const created = recorded.appListeners.get('web-contents-created') ?? []
    for (const l of created) l({}, this.webContents)
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url
    this.webContents.mainFrame.url = url
    this.webContents.mainFrame.origin = new URL(url).origin
    return Promise.resolve()
  }
  maximize(): void {}
  show(): void {}
  isMaximized(): boolean {
    return false
  }
  getNormalBounds() {
    return { x: 0, y: 0, width: 1100, height: 760 }
  }
}

export const app = {
  isPackaged: false,
  enableSandbox: () => void (recorded.sandboxEnabled = true),
  getPath: (_name: string) => userData,
  /** The system's languages, as Electron reads them from the OS. */
  getPreferredSystemLanguages: () => ['en-GB'],
  getVersion: () => '0.0.0-test',
  getName: () => 'tessera',
  whenReady: () => ready,
  on(event: string, listener: Listener) {
    recorded.appListeners.set(event, [...(recorded.appListeners.get(event) ?? []), listener])
    return app
  },
  quit: () => void (recorded.quitCalls += 1),
  requestSingleInstanceLock: () => true,
  setAsDefaultProtocolClient: () => true
}

export const ipcMain = {
  handle: (channel: string, listener: Listener) => void recorded.handlers.set(channel, listener),
  on: () => ipcMain,
  removeAllListeners: () => ipcMain
}

export const session = {
  defaultSession: { setPermissionRequestHandler: (h: Listener) => void (recorded.permissionHandler = h) }
}

/** Stands in for the OS keychain: reversible, and marked so a test can tell it was used. */
export const safeStorage = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptString: (s: string) => Buffer.from(`wrapped:${Buffer.from(s).toString('hex')}`),
  decryptString: (b: Buffer) => Buffer.from(b.toString().slice('wrapped:'.length), 'hex').toString()
}

export const protocol = {
  handle: (scheme: string, handler: (request: { url: string }) => unknown) => void recorded.protocolHandlers.set(scheme, handler)
}

/** Electron's net.fetch can read file: URLs; here a Response with the file's text stands in. */
export const net = {
  fetch: async (url: string) => new Response(await (await import('node:fs/promises')).readFile(new URL(url)))
}

export const Menu = {
  buildFromTemplate: (template: unknown[]) => ({ template }),
  setApplicationMenu: (menu: { template: unknown[] } | null) => void (recorded.menu = menu)
}
export const shell = { openPath: async () => '' }
export const BrowserWindow = FakeBrowserWindow

/** Resolves `app.whenReady()` and waits until the bundle has started its engine and opened its window. */
export async function becomeReady(): Promise<void> {
  resolveReady()
  await ready
  for (let waited = 0; recorded.windows.length === 0; waited += 10) {
    if (waited > 20_000) throw new Error('the main bundle opened no window')
    await new Promise((r) => setTimeout(r, 10))
  }
}

export default { app, ipcMain, session, safeStorage, protocol, net, Menu, shell, BrowserWindow }
