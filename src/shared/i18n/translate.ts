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
export type Message = { [K in MessageId]: { id: K; params?: MessageParams[K] } }[MessageId]
export const message = <K extends MessageId>(id: K, ...args: MessageArgs<K>): Message => ({ id, params: args[0] }) as Message

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
  /** A moment: its date, its date and time (the default), or its time, as this language writes them. */
  date(ms: number | Date, style?: 'date' | 'dateTime' | 'time'): string
  number(n: number): string
  readonly intl: IntlShape
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
    say: (m) => t(m.id, ...([m.params] as MessageArgs<typeof m.id>)),
    date: (ms, style = 'dateTime') => intl.formatDate(ms, DATE_STYLES[style]),
    number: (n) => intl.formatNumber(n),
    intl
  }
  made.set(locale, made_)
  return made_
}
