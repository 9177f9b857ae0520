/**
 * Rule: every language has every message of English and no other, each message parses as ICU
 * MessageFormat and takes exactly the parameters its English text takes (of the same kinds), every
 * id is used by the code, and the types the code is checked against are those of the catalogs.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- a plain ES module of the build's scripts, without types
import { argumentsOf, locales, readCatalog, SOURCE_LOCALE } from '../../scripts/i18n.mjs'
import { ERROR_MESSAGES } from '../../src/shared/errors'
import { chooseLocale, localeOf, LOCALES } from '../../src/shared/i18n/locales'
import { message, pseudo, translator } from '../../src/shared/i18n/translate'

type Catalog = Record<string, string>
const english = readCatalog(SOURCE_LOCALE) as Catalog
const others = (locales() as string[]).filter((l) => l !== SOURCE_LOCALE)

describe('the catalogs', () => {
  it('are those of every language Tessera offers', () => {
    expect([...(locales() as string[])].sort()).toEqual([...LOCALES].sort())
  })

  it.each(others)('%s has every English id and no other', (locale) => {
    const ids = Object.keys(readCatalog(locale) as Catalog).sort()
    expect({ missing: Object.keys(english).filter((id) => !ids.includes(id)), unknown: ids.filter((id) => !(id in english)) }).toEqual({ missing: [], unknown: [] })
  })

  it.each(others)('%s: each message parses and takes the parameters of its English text', (locale) => {
    const catalog = readCatalog(locale) as Catalog
    const wrong = Object.entries(catalog).flatMap(([id, text]) => {
      try {
        const mine = Object.fromEntries(argumentsOf(text) as Map<string, string>)
        const theirs = Object.fromEntries(argumentsOf(english[id]!) as Map<string, string>)
        return JSON.stringify(mine) === JSON.stringify(Object.fromEntries(Object.keys(mine).map((k) => [k, theirs[k]]))) && Object.keys(mine).length === Object.keys(theirs).length
          ? []
          : [`${id}: ${JSON.stringify(mine)} where English takes ${JSON.stringify(theirs)}`]
      } catch (error) {
        return [`${id}: ${(error as Error).message}`]
      }
    })
    expect(wrong).toEqual([])
  })

  it('English parses too, and no message is empty', () => {
    for (const [id, text] of Object.entries(english)) {
      expect(() => argumentsOf(text), id).not.toThrow()
      expect(text.trim(), id).not.toBe('')
    }
  })

  it('every id is used by the code, written out whole (an error\'s, by its code: errors.<CODE>)', () => {
    const sources: string[] = []
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name)
        if (statSync(path).isDirectory()) walk(path)
        else if (/\.tsx?$/.test(name) && !name.endsWith('.generated.ts')) sources.push(readFileSync(path, 'utf8'))
      }
    }
    walk('src')
    const code = sources.join('\n')
    const usedByCode = (id: string) => id.startsWith('errors.') && id.slice('errors.'.length) in ERROR_MESSAGES
    expect(Object.keys(english).filter((id) => !usedByCode(id) && !code.includes(`'${id}'`))).toEqual([])
  })

  it('types the code against the catalogs as they are (node scripts/i18n.mjs)', () => {
    expect(() => execFileSync(process.execPath, ['scripts/i18n.mjs', '--check'], { stdio: 'pipe' })).not.toThrow()
  })
})

describe('choosing a language', () => {
  it('takes the first choice Tessera speaks, from a tag, a POSIX locale or a list, else English', () => {
    expect(localeOf('ja-JP')).toBe('ja')
    expect(localeOf('ko_KR.UTF-8')).toBe('ko')
    expect(localeOf('C')).toBeNull()
    expect(chooseLocale(null, undefined, ['fr-FR', 'vi-VN', 'ja'])).toBe('vi')
    expect(chooseLocale('', 'POSIX', [])).toBe('en')
    expect(chooseLocale('ko', 'ja')).toBe('ko')
  })

  it('words a message, a date and a number in the language, and the pseudo-locale accented and longer', () => {
    expect(translator('ja').t('common.loading')).toBe('読み込み中…')
    expect(translator('ko').say(message('common.language'))).toBe('언어')
    const at = Date.UTC(2026, 11, 3, 9, 5)
    expect(translator('ja').date(at, 'date')).toMatch(/^2026\/12\/0?3$/)
    expect(translator('ko').number(1234567)).toBe('1,234,567')
    expect(translator('vi').number(1234567)).toBe('1.234.567')
    expect(pseudo('Loading users')).toBe('⟦Löàdîñg ûšérš······⟧')
    const p = translator('en-XA').t('common.language')
    expect(p).toMatch(/^⟦Làñgûàgé·+⟧$/)
    expect(p.length).toBeGreaterThanOrEqual(Math.ceil('Language'.length * 1.4))
  })
})
