/**
 * The application menu of the console (none in kiosk mode): Edit (copy and paste, for user names,
 * codes and addresses), View (zoom, for reading a dense directory), Help (the version and where the
 * data lives), in the seat's language (every item labelled from the menu catalog: Electron's own
 * role labels are English). A template, so it is checked without Electron; index.ts builds it.
 */
import type { MenuItemConstructorOptions } from 'electron'
import type { Translator } from '../shared/i18n/translate'

export type MenuFacts = {
  version: string
  dataDir: string
  /** macOS puts the app's own menu first. */
  mac: boolean
  about(): void
  showDataFolder(): void
}

export function menuTemplate(f: MenuFacts, words: Translator): MenuItemConstructorOptions[] {
  const t = words.t
  const app: MenuItemConstructorOptions[] = f.mac
    ? [{ label: 'Tessera', submenu: [{ role: 'about', label: t('menu.about') }, { type: 'separator' }, { role: 'hide', label: t('menu.hide') }, { role: 'hideOthers', label: t('menu.hideOthers') }, { type: 'separator' }, { role: 'quit', label: t('menu.quit') }] }]
    : []
  return [
    ...app,
    ...(f.mac ? [] : [{ label: t('menu.file'), submenu: [{ role: 'quit' as const, label: t('menu.quit') }] }]),
    {
      label: t('menu.edit'),
      submenu: [
        { role: 'undo', label: t('menu.undo') },
        { role: 'redo', label: t('menu.redo') },
        { type: 'separator' },
        { role: 'cut', label: t('menu.cut') },
        { role: 'copy', label: t('menu.copy') },
        { role: 'paste', label: t('menu.paste') },
        { role: 'selectAll', label: t('menu.selectAll') }
      ]
    },
    {
      label: t('menu.view'),
      submenu: [{ role: 'resetZoom', label: t('menu.actualSize') }, { role: 'zoomIn', label: t('menu.zoomIn') }, { role: 'zoomOut', label: t('menu.zoomOut') }, { type: 'separator' }, { role: 'togglefullscreen', label: t('menu.fullScreen') }]
    },
    {
      label: t('menu.help'),
      submenu: [
        { label: t('menu.version', { version: f.version }), enabled: false },
        { label: t('menu.dataFolder', { path: f.dataDir }), enabled: false },
        { label: t('menu.showDataFolder'), click: f.showDataFolder },
        { type: 'separator' },
        { label: t('menu.about'), click: f.about }
      ]
    }
  ]
}
