/**
 * Rule: the console's menu reads in the seat's language: every item a person sees has a label from
 * the menu catalog (Electron's own role labels are English), with its keyboard access key.
 */
import type { MenuItemConstructorOptions } from 'electron'
import { expect, it } from 'vitest'
import { menuTemplate } from '../../src/main/app-menu'
import { LOCALES } from '../../src/shared/i18n/locales'
import { translator } from '../../src/shared/i18n/translate'

const facts = { version: '1.2.3', dataDir: '/var/lib/tessera', about: () => {}, showDataFolder: () => {} }
const labels = (items: MenuItemConstructorOptions[]): (string | undefined)[] =>
  items.flatMap((i) => (i.type === 'separator' ? [] : [i.label, ...(Array.isArray(i.submenu) ? labels(i.submenu) : [])]))

it.each(LOCALES)('%s: every item labelled in the language, on Linux and on macOS', (locale) => {
  const english = new Set(labels(menuTemplate({ ...facts, mac: false }, translator('en'))).filter((l) => l && !l.startsWith('Tessera ')))
  for (const mac of [false, true]) {
    const all = labels(menuTemplate({ ...facts, mac }, translator(locale)))
    expect(all.every((l) => typeof l === 'string' && l.length > 0)).toBe(true)
    if (locale !== 'en') expect(all.filter((l) => english.has(l))).toEqual([])
  }
  const top = menuTemplate({ ...facts, mac: false }, translator(locale)).map((i) => i.label!)
  expect(top.every((l) => /&\S/.test(l))).toBe(true) // Alt+F, Alt+E... reach each menu
  expect(labels(menuTemplate({ ...facts, mac: false }, translator(locale)))).toContain(translator(locale).t('menu.dataFolder', { path: '/var/lib/tessera' }))
})

it('says the data folder and the version in Japanese as a Japanese reader expects', () => {
  const help = menuTemplate({ ...facts, mac: false }, translator('ja')).at(-1)!
  expect(help.label).toBe('ヘルプ(&H)')
  expect(labels(help.submenu as MenuItemConstructorOptions[])).toEqual(['Tessera 1.2.3', 'データフォルダー：/var/lib/tessera', 'データフォルダーを開く', 'Tessera について'])
})
