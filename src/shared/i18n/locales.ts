/**
 * The languages Tessera speaks, and how one is chosen: a person's own setting, else the language
 * picked on the login screen, else the organisation's default, else the operating system's (or the
 * browser's), else English.
 */
export const LOCALES = ['en', 'ja', 'ko', 'vi'] as const
export type Locale = (typeof LOCALES)[number]

/**
 * The pseudo-locale of the tests (`en-XA`): English accented and 40 % longer, so that a word left
 * untranslated, or a box too narrow for a longer language, shows on every screen.
 */
export const PSEUDO_LOCALE = 'en-XA'
export type DisplayLocale = Locale | typeof PSEUDO_LOCALE

/** Each language by its own name, as a language menu lists them. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', ja: '日本語', ko: '한국어', vi: 'Tiếng Việt' }

/** The BCP 47 tag set on the document (Han characters take the region's forms) and given to `Intl`. */
export const LOCALE_TAGS: Record<DisplayLocale, string> = { en: 'en', ja: 'ja-JP', ko: 'ko-KR', vi: 'vi-VN', 'en-XA': 'en-XA' }

export const isLocale = (value: unknown): value is Locale => typeof value === 'string' && (LOCALES as readonly string[]).includes(value)

/** The language a tag names ("ja-JP", "ko_KR.UTF-8", "vi"), when Tessera speaks it; null for "C", "POSIX", "fr-FR". */
export function localeOf(tag: string): Locale | null {
  const primary = tag.trim().toLowerCase().split(/[-_.@]/)[0]
  return isLocale(primary) ? primary : null
}

/** The first choice that names a language Tessera speaks (a list: its first such tag), else English. */
export function chooseLocale(...choices: (string | null | undefined | readonly string[])[]): Locale {
  for (const choice of choices) {
    const tags = typeof choice === 'string' ? [choice] : (choice ?? [])
    for (const tag of tags) {
      const locale = localeOf(tag)
      if (locale) return locale
    }
  }
  return 'en'
}
