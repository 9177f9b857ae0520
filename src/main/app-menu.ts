/**
 * The application menu of the console (none in kiosk mode): Edit (copy and paste, for user names,
 * codes and addresses), View (zoom, for reading a dense directory), Help (the version and where the
 * data lives). A template, so it is checked without Electron; index.ts builds it.
 */
import type { MenuItemConstructorOptions } from 'electron'

export type MenuFacts = {
  version: string
  dataDir: string
  /** macOS puts the app's own menu first. */
  mac: boolean
  about(): void
  showDataFolder(): void
}

export function menuTemplate(f: MenuFacts): MenuItemConstructorOptions[] {
  const app: MenuItemConstructorOptions[] = f.mac ? [{ label: 'Tessera', submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { type: 'separator' }, { role: 'quit' }] }] : []
  return [
    ...app,
    ...(f.mac ? [] : [{ label: '&File', submenu: [{ role: 'quit' as const, label: 'Quit Tessera' }] }]),
    {
      label: '&Edit',
      submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }]
    },
    {
      label: '&View',
      submenu: [{ role: 'resetZoom', label: 'Actual size' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }]
    },
    {
      label: '&Help',
      submenu: [
        { label: `Tessera ${f.version}`, enabled: false },
        { label: `Data folder: ${f.dataDir}`, enabled: false },
        { label: 'Show the data folder', click: f.showDataFolder },
        { type: 'separator' },
        { label: 'About Tessera', click: f.about }
      ]
    }
  ]
}
