/**
 * The message catalogs (src/shared/i18n/catalogs/<locale>/<area>.json, ICU MessageFormat, English
 * the source): an id is `<area>.<key>`. `node scripts/i18n.mjs` writes what TypeScript needs from
 * them, `src/shared/i18n/catalogs.generated.ts`: every catalog imported, and each English message's
 * parameters as a type, so that a missing id or a wrong parameter is a compile error.
 * `--check` only says whether that file is current (the tests run it).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse, TYPE } from '@formatjs/icu-messageformat-parser'

export const ROOT = join(fileURLToPath(new URL('..', import.meta.url)), 'src/shared/i18n')
export const CATALOGS = join(ROOT, 'catalogs')
export const GENERATED = join(ROOT, 'catalogs.generated.ts')
export const SOURCE_LOCALE = 'en'

export const locales = () => readdirSync(CATALOGS).filter((l) => !l.includes('.')).sort()
export const areas = (locale) => readdirSync(join(CATALOGS, locale)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort()

/** One locale's messages, id -> ICU text. */
export function readCatalog(locale) {
  const messages = {}
  for (const area of areas(locale)) {
    const entries = JSON.parse(readFileSync(join(CATALOGS, locale, `${area}.json`), 'utf8'))
    for (const [key, text] of Object.entries(entries)) messages[`${area}.${key}`] = text
  }
  return messages
}

/**
 * A message's parameters, name -> kind: `text` (a string or a number shown as it is), `number`
 * (plural, selectordinal, number), `date` (date, time), or `select:a|b` (its options but `other`).
 * Rich-text tags are refused: a screen puts a link or emphasis around its own message.
 */
export function argumentsOf(text) {
  const args = new Map()
  const walk = (elements) => {
    for (const e of elements) {
      if (e.type === TYPE.argument) args.set(e.value, args.get(e.value) ?? 'text')
      else if (e.type === TYPE.number || e.type === TYPE.plural) args.set(e.value, 'number')
      else if (e.type === TYPE.date || e.type === TYPE.time) args.set(e.value, 'date')
      else if (e.type === TYPE.select) args.set(e.value, `select:${Object.keys(e.options).filter((o) => o !== 'other').sort().join('|')}`)
      else if (e.type === TYPE.tag) throw new Error(`<${e.value}> tags are not used in catalogs`)
      if (e.options) for (const option of Object.values(e.options)) walk(option.value)
    }
  }
  walk(parse(text, { requiresOtherClause: true }))
  return args
}

const TS_TYPES = { text: 'string | number', number: 'number', date: 'number | Date' }
const tsType = (kind) => TS_TYPES[kind] ?? `${kind.slice('select:'.length).split('|').map(q).join(' | ')} | (string & {})`
const ident = (locale, area) => `${locale}_${area.replace(/\W/g, '_')}`
/** A TypeScript string literal in the project's style (single quotes). */
const q = (text) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

export function generated() {
  const lines = ['// Written by `node scripts/i18n.mjs` from src/shared/i18n/catalogs: do not edit.', '/* eslint-disable @typescript-eslint/no-empty-object-type -- a message without parameters takes {} */', '']
  for (const locale of locales()) for (const area of areas(locale)) lines.push(`import ${ident(locale, area)} from './catalogs/${locale}/${area}.json' with { type: 'json' }`)
  lines.push('', '/** Each locale\'s catalogs by area (a message\'s id is `<area>.<key>`). */', 'export const CATALOG_AREAS = {')
  for (const locale of locales()) lines.push(`  ${locale}: { ${areas(locale).map((a) => `${q(a)}: ${ident(locale, a)}`).join(', ')} },`)
  lines.push('} as const', '', '/** Every message id, with the parameters its English text takes. */', 'export interface MessageParams {')
  for (const [id, text] of Object.entries(readCatalog(SOURCE_LOCALE)).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const args = [...argumentsOf(text)].map(([name, kind]) => `${/^\w+$/.test(name) ? name : q(name)}: ${tsType(kind)}`)
    lines.push(`  ${q(id)}: {${args.length ? ` ${args.join('; ')} ` : ''}}`)
  }
  lines.push('}', '')
  return lines.join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = generated()
  const current = (() => { try { return readFileSync(GENERATED, 'utf8') } catch { return '' } })()
  if (process.argv.includes('--check')) {
    if (current !== text) {
      console.error('src/shared/i18n/catalogs.generated.ts is out of date: run `node scripts/i18n.mjs`.')
      process.exit(1)
    }
  } else if (current !== text) writeFileSync(GENERATED, text)
}
