/**
 * Electron lifecycle and wiring only: the window and its hardening, app settings, and the IPC
 * binding. All behaviour lives in the engine (./core), which knows nothing of Electron.
 */
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, session, shell, type IpcMainInvokeEvent } from 'electron'
import { menuTemplate } from './app-menu'
import Store from 'electron-store'
import { databaseFile, optionValue, resolveDataDir } from './data-dir'
import { databaseTarget } from './database-target'
import { bindIpc } from './ipc/electron-binding'
import type { SaveTarget } from './ipc/handlers'
import { startEngineHost, type EngineHost } from './worker/engine-host'
import { isOwnOrigin, RENDERER_HOST, RENDERER_ORIGIN, rendererFile } from './renderer-origin'
import { safeStorageKeyProvider } from './safe-storage-key'
import { chooseLocale, PSEUDO_LOCALE } from '../shared/i18n/locales'
import { translator, type Translator } from '../shared/i18n/translate'

type Settings = {
  /** Identifies this machine in audit rows and per-workstation lockout counters. */
  workstationId: string
  window: { width: number; height: number; x?: number; y?: number; maximized: boolean }
  /** Full screen, no menus or dev tools: for shared machines. Also the `--kiosk` flag. */
  kiosk: boolean
}

export const WINDOW_WEB_PREFERENCES = {
  preload: join(import.meta.dirname, '../preload/index.cjs'),
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  webSecurity: true,
  spellcheck: false
} as const

const RENDERER_DIR = join(import.meta.dirname, '../renderer')
/** The dev server while developing (`npm run dev`); otherwise our own https origin, answered in-process. */
const devServer = process.env['ELECTRON_RENDERER_URL']
const rendererUrl = devServer ?? `${RENDERER_ORIGIN}/index.html`
const rendererOrigin = new URL(rendererUrl).origin

app.enableSandbox()

/** `tessera://enroll?token=...` opens the setup screen (registration links). */
const PROTOCOL = 'tessera'
function linkTokenIn(args: readonly string[]): string | null {
  for (const arg of args) {
    if (!arg.startsWith(`${PROTOCOL}://`)) continue
    const token = /[?&]token=([A-Za-z0-9_-]{16,128})/.exec(arg)?.[1]
    if (token) return token
  }
  return null
}
if (!app.requestSingleInstanceLock()) app.quit()
app.setAsDefaultProtocolClient(PROTOCOL)

const dataDir = resolveDataDir(process.argv, process.env, () => app.getPath('userData'))
const settings = new Store<Settings>({
  name: 'settings',
  defaults: { workstationId: '', window: { width: 1100, height: 760, maximized: false }, kiosk: false }
})
// electron-store registers a sync IPC listener for renderers that use it; ours never do.
ipcMain.removeAllListeners('electron-store-get-data')
// The machine's name, as people call it ("kiosk-3"): audit sentences say where things happened.
if (!settings.get('workstationId')) settings.set('workstationId', hostname().trim() || `ws-${randomUUID()}`)

const kiosk = process.argv.includes('--kiosk') || settings.get('kiosk')
let host: EngineHost | null = null
let mainWindow: BrowserWindow | null = null
/** The window's connection: its session lives in the engine's worker under this id. */
let connection = randomUUID()
let pendingLink = linkTokenIn(process.argv)

/** A link opened while the app runs: offer it on a fresh start of the renderer. */
function openLink(token: string | null): void {
  if (!token) return
  if (host) host.setPendingLink(connection, token)
  else pendingLink = token
  if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
    mainWindow.webContents.reload()
  }
}
app.on('second-instance', (_event, argv) => openLink(linkTokenIn(argv)))
app.on('open-url', (event, url) => {
  event.preventDefault()
  openLink(linkTokenIn([url]))
})

/** Only our window's main frame, showing our own origin (never a "null" origin: data:, about:blank, blob:...). */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame
  return (
    mainWindow !== null &&
    event.sender === mainWindow.webContents &&
    frame !== null &&
    frame === mainWindow.webContents.mainFrame &&
    isOwnOrigin(frame, rendererOrigin)
  )
}

/** Electron's save dialog for an export; the engine writes the file there. */
async function askWhereToSave(kind: 'users' | 'audit'): Promise<SaveTarget | null> {
  if (!mainWindow) return null
  const { canceled, filePath } = await dialog.showSaveDialog(mainWindow, {
    title: kind === 'users' ? 'Export users' : 'Export the audit log',
    defaultPath: `tessera-${kind}-${new Date().toISOString().slice(0, 10)}.csv`,
    filters: [{ name: 'CSV', extensions: ['csv'] }]
  })
  return canceled || !filePath ? null : { file: filePath, download: null }
}

/** Answers https requests for our origin from the built renderer; every other https request fails (the app is offline). */
function serveRenderer(): void {
  protocol.handle('https', (request) => {
    const file = rendererFile(request.url, RENDERER_DIR)
    return file ? net.fetch(pathToFileURL(file).href) : new Response('Not found', { status: 404 })
  })
}


app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  // The page never goes anywhere: no navigation, redirect or frame navigation (logout reloads it).
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-frame-navigate', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
})

/** The seat's own words (its menu and About box): the operating system's language, or the pseudo-locale. */
function seatWords(): Translator {
  return translator(process.env['TESSERA_PSEUDO_LOCALE'] === '1' ? PSEUDO_LOCALE : chooseLocale(app.getPreferredSystemLanguages()))
}

function showAbout(): void {
  const { t } = seatWords()
  const versions = `Electron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node ${process.versions.node}`
  const options = { type: 'info' as const, title: t('menu.about'), message: t('menu.version', { version: app.getVersion() }), detail: `${t('menu.aboutDetail')}\n${t('menu.dataFolder', { path: dataDir })}\n${versions}` }
  void (mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options))
}

function createWindow(): void {
  const bounds = settings.get('window')
  mainWindow = new BrowserWindow({
    width: bounds.width,
    height: bounds.height,
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    minWidth: 720,
    minHeight: 560,
    show: false,
    title: 'Tessera',
    autoHideMenuBar: kiosk,
    kiosk,
    fullscreen: kiosk,
    webPreferences: { ...WINDOW_WEB_PREFERENCES, devTools: !kiosk && !app.isPackaged }
  })
  if (bounds.maximized) mainWindow.maximize()
  mainWindow.once('ready-to-show', () => mainWindow?.show())
  mainWindow.on('close', () => {
    if (!mainWindow) return
    settings.set('window', { ...mainWindow.getNormalBounds(), maximized: mainWindow.isMaximized() })
  })
  mainWindow.on('closed', () => {
    // A closed window leaves no signed-in session, and no half-done setup, behind.
    host?.disconnect(connection)
    connection = randomUUID()
    mainWindow = null
  })
  void mainWindow.loadURL(rendererUrl)
}

/**
 * The engine runs in a worker thread (see worker/engine-host.ts): SQLite work, password hashing and
 * long jobs never hold up this thread, which keeps windows, sender checks and routing. The data key
 * is unwrapped here (safeStorage exists only in the main process) and handed to the worker.
 */
/**
 * Where security keys are used: the page's origin and, as RP ID, its host. Keys registered in the
 * app belong to `tessera.internal` for good (see renderer-origin.ts); the dev server's are its own.
 */
function relyingParty(): { id: string; origins: string[] } {
  if (devServer) return { id: new URL(devServer).hostname, origins: [new URL(devServer).origin] }
  return { id: RENDERER_HOST, origins: [RENDERER_ORIGIN] }
}

async function startEngine(): Promise<EngineHost> {
  const keys = safeStorageKeyProvider(dataDir)
  const started = await startEngineHost(join(import.meta.dirname, 'engine-worker.js'), {
    databaseFile: databaseFile(dataDir),
    // A seat of a shared PostgreSQL database: --database-url, TESSERA_DATABASE_URL or the seat's settings.
    database: databaseTarget(dataDir, { url: optionValue(process.argv, '--database-url'), passwordFile: optionValue(process.argv, '--database-password-file') }) ?? undefined,
    dataDir,
    dataKey: { key: new Uint8Array(keys.dataKey()), protection: keys.protection },
    relyingParty: relyingParty(),
    languages: { system: app.getPreferredSystemLanguages(), pseudo: process.env['TESSERA_PSEUDO_LOCALE'] === '1' }
  })
  for (const warning of started.warnings) console.warn(`[tessera] ${translator('en').sayText(warning)}`)
  if (pendingLink) started.setPendingLink(connection, pendingLink)
  pendingLink = null
  return started
}

void app.whenReady().then(async () => {
  // safeStorage can only be used once the app is ready.
  if (!devServer) serveRenderer()
  host = await startEngine()
  bindIpc(host, {
    isTrustedSender,
    contextFor: () => ({ conn: connection, workstationId: settings.get('workstationId') }),
    saveTo: askWhereToSave
  })
  // Tessera's pages need one permission: writing text to the clipboard (copying recovery codes or
  // the setup key). Everything else (camera, notifications, reading the clipboard...) is refused.
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permission === 'clipboard-sanitized-write'))
  // The console has a menu (copy/paste, zoom, version and data folder); a kiosk has none.
  Menu.setApplicationMenu(kiosk ? null : Menu.buildFromTemplate(menuTemplate({ version: app.getVersion(), dataDir, mac: process.platform === 'darwin', about: showAbout, showDataFolder: () => void shell.openPath(dataDir) }, seatWords())))
  createWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow()
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

// The worker finishes its jobs' current step, writes the audit anchor and closes the database first.
let quitting = false
app.on('will-quit', (event) => {
  if (!host || quitting) return
  quitting = true
  event.preventDefault()
  void host.close().finally(() => app.quit())
})
