/**
 * Words for a person, in their language: FormatJS's `@formatjs/intl` (ICU MessageFormat, and
 * `Intl` for dates and numbers), the same in the renderer, the engine and the CLI. Ids and their
 * parameters are typed from the English catalogs (catalogs.generated.ts, `node scripts/i18n.mjs`).
 */
import { createIntl, createIntlCache, type IntlShape } from '@formatjs/intl'
import { CATALOG_AREAS, type MessageParams } from './catalogs.generated'
import { LOCALE_TAGS, PSEUDO_LOCALE, type DisplayLocale, type Locale } from './locales'

export type MessageId = keyof MessageParams
/** A message's parameters, when it takes any. */
export type MessageArgs<K extends MessageId> = keyof MessageParams[K] extends never ? [params?: Record<string, never>] : [params: MessageParams[K]]

/** A message for a person, in no language yet: the screen, the e-mail or the terminal that shows it words it in its reader's. */
export type Message = { id: MessageId; params?: Record<string, string | number> }
/** A message, its parameters checked against its id's (a `Message` itself is too wide a union to spell out). */
export const message = <K extends MessageId>(id: K, ...args: MessageArgs<K>): Message => ({ id, params: args[0] as Message['params'] })

/**
 * A message carried where only a string fits (a schema's problem, checked in the main process, the
 * renderer and the CLI alike): `msg:<id>` and its parameters as JSON. `sayText` words it.
 */
export const encodeWords = (m: Message) => `msg:${m.id}${m.params ? ` ${JSON.stringify(m.params)}` : ''}`
const ENCODED = /^msg:([\w.-]+)(?: (\{.*\}))?$/s
export function decodeWords(text: string): Message | null {
  const match = ENCODED.exec(text)
  return match ? ({ id: match[1], params: match[2] ? JSON.parse(match[2]) : undefined } as Message) : null
}

/** One language's messages, id -> ICU text (English for any id a catalog lacks: the tests let none lack one). */
function messagesOf(locale: Locale): Record<string, string> {
  const flat = (catalogs: Record<string, Record<string, string>>) =>
    Object.fromEntries(Object.entries(catalogs).flatMap(([area, entries]) => Object.entries(entries).map(([key, text]) => [`${area}.${key}`, text])))
  return { ...flat(CATALOG_AREAS.en), ...flat(CATALOG_AREAS[locale]) }
}

/** Latin letters and their accented forms: the pseudo-locale keeps text readable but never English. */
const ACCENTED: Record<string, string> = Object.fromEntries([...'aeiouycnsAEIOUYCNS'].map((c, i) => [c, 'àéîöûýçñšÀÉÎÖÛÝÇÑŠ'[i]!]))
/** English accented and 40 % longer (marked by ⟦ ⟧, so that a cut-off end shows). */
export function pseudo(text: string): string {
  const accented = text.replace(/[aeiouycnsAEIOUYCNS]/g, (c) => ACCENTED[c]!)
  return `⟦${accented}${'·'.repeat(Math.ceil(text.length * 0.4))}⟧`
}

export interface Translator {
  readonly locale: DisplayLocale
  /** The BCP 47 tag: the document's `lang`, and `Intl`'s locale. */
  readonly tag: string
  t<K extends MessageId>(id: K, ...args: MessageArgs<K>): string
  /** A message the engine sent, in this language. */
  say(m: Message): string
  /** A text that may be an encoded message (encodeWords): worded in this language; any other text as it is. */
  sayText(text: string): string
  /** A moment: its date, its date and time (the default), or its time, as this language writes them. */
  date(ms: number | Date, style?: 'date' | 'dateTime' | 'time'): string
  number(n: number): string
  /** Items one after another, as this language lists them with no "and" ("a, b, c"; "a、b、c"). */
  list(items: string[]): string
  /** How long ago `at` was, as this language says it ("5 minutes ago", "5分前"). */
  ago(at: number, now: number): string
  readonly intl: IntlShape
}

/** "just now", then minutes, hours (up to two days) and days, as Intl.RelativeTimeFormat words them. */
function agoIn(intl: IntlShape, at: number, now: number): string {
  const minutes = Math.floor(Math.max(0, now - at) / 60_000)
  if (minutes < 1) return intl.formatRelativeTime(0, 'second', { numeric: 'auto' })
  if (minutes < 60) return intl.formatRelativeTime(-minutes, 'minute')
  const hours = Math.floor(minutes / 60)
  return hours < 48 ? intl.formatRelativeTime(-hours, 'hour') : intl.formatRelativeTime(-Math.floor(hours / 24), 'day')
}

const cache = createIntlCache()
const made = new Map<DisplayLocale, Translator>()
const DATE_STYLES = { date: { dateStyle: 'medium' }, dateTime: { dateStyle: 'medium', timeStyle: 'short' }, time: { timeStyle: 'short' } } as const

/** The translator of `locale` (made once per process). */
export function translator(locale: DisplayLocale): Translator {
  const existing = made.get(locale)
  if (existing) return existing
  const isPseudo = locale === PSEUDO_LOCALE
  const intl = createIntl({ locale: isPseudo ? 'en' : LOCALE_TAGS[locale], defaultLocale: 'en', messages: messagesOf(isPseudo ? 'en' : locale), onError: () => {} }, cache)
  const words = (text: string) => (isPseudo ? pseudo(text) : text)
  const t = <K extends MessageId>(id: K, ...args: MessageArgs<K>) => words(intl.formatMessage({ id }, args[0] as Record<string, string | number | Date> | undefined))
  const made_: Translator = {
    locale,
    tag: LOCALE_TAGS[locale],
    t,
    // A parameter that is itself a message (encodeWords: a schema's problem inside a sentence) is worded in the same language.
    say: (m) => t(m.id, ...([m.params && Object.fromEntries(Object.entries(m.params).map(([k, v]) => [k, typeof v === 'string' ? made_.sayText(v) : v]))] as MessageArgs<typeof m.id>)),
    sayText: (text) => {
      const m = decodeWords(text)
      return m ? made_.say(m) : text
    },
    date: (ms, style = 'dateTime') => intl.formatDate(ms, DATE_STYLES[style]),
    number: (n) => intl.formatNumber(n),
    list: (items) => intl.formatList(items, { type: 'conjunction', style: 'narrow' }),
    ago: (at, now) => words(agoIn(intl, at, now)),
    intl
  }
  made.set(locale, made_)
  return made_
}
