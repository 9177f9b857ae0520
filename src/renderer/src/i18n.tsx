/**
 * The renderer's language: the words of every screen come from `useT()`, whose translator the App
 * chooses (the person's own language, else the one picked on the login screen, else the
 * organisation's, else the system's, else English) and whose tag is the document's `lang`.
 */
import { createContext, useContext, useId, useLayoutEffect, type ReactNode } from 'react'
import { LOCALE_NAMES, LOCALE_TAGS, LOCALES, isLocale, type DisplayLocale, type Locale } from '../../shared/i18n/locales'
import { translator, type Translator } from '../../shared/i18n/translate'

type I18n = { words: Translator; pick: ((locale: Locale) => void) | null }

/** The screen's translator, for what is worded outside React (a refused call's ApiError). */
let current: Translator = translator('en')
export const currentWords = () => current
const I18nContext = createContext<I18n>({ words: translator('en'), pick: null })

/** `pick`: a language may be picked here (signed out: the login screen's menu); null once someone is in. */
export function I18nProvider({ locale, pick, children }: { locale: DisplayLocale; pick: ((locale: Locale) => void) | null; children: ReactNode }) {
  const words = translator(locale)
  current = words
  // Set before paint: a screen reader reads, and the fonts shape, each text in its language.
  useLayoutEffect(() => {
    document.documentElement.lang = words.tag
  }, [words])
  return <I18nContext.Provider value={{ words, pick }}>{children}</I18nContext.Provider>
}

/** The words of the screen's language. */
export const useT = () => useContext(I18nContext).words

/** The language menu of the signed-out screens: each language by its own name (and in its own `lang`). */
export function LanguageMenu() {
  const { words, pick } = useContext(I18nContext)
  const id = useId()
  if (!pick) return null
  return (
    <div className="language-menu">
      <label htmlFor={id}>{words.t('common.language')}</label>
      <select id={id} value={words.locale} onChange={(e) => isLocale(e.target.value) && pick(e.target.value)}>
        {!isLocale(words.locale) && <option value={words.locale}>{words.locale}</option>}
        {LOCALES.map((l) => <option key={l} value={l} lang={LOCALE_TAGS[l]}>{LOCALE_NAMES[l]}</option>)}
      </select>
    </div>
  )
}

/** A message worded with MARK where an element goes (a name in bold, an example in code): the element set between the message's two halves. */
export const MARK = '\uE000'
export function around(text: string, element: ReactNode): ReactNode {
  const [before, after = ''] = text.split(MARK)
  return (
    <>
      {before}
      {element}
      {after}
    </>
  )
}
