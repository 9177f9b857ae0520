/**
 * The CLI's language: `--lang`, else the first of LC_ALL, LC_MESSAGES and LANG that is set (as POSIX
 * reads them: "C" or an unknown language means English), else English. JSON output is the same in
 * every language.
 */
import { isLocale, LOCALES, localeOf, type Locale } from '../../shared/i18n/locales'
import { message } from '../../shared/i18n/translate'
import { UsageError } from './args'

/** The value of `--lang X` or `--lang=X` among the arguments, if given. */
function langArgument(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--lang') return argv[i + 1] ?? ''
    if (argv[i]!.startsWith('--lang=')) return argv[i]!.slice('--lang='.length)
  }
  return undefined
}

/** The environment's language (LC_ALL, LC_MESSAGES, LANG), else English: also the one a wrong --lang is said in. */
export function environmentLocale(env: NodeJS.ProcessEnv): Locale {
  const posix = [env['LC_ALL'], env['LC_MESSAGES'], env['LANG']].find((v) => v !== undefined && v !== '')
  return (posix && localeOf(posix)) || 'en'
}

export function cliLocale(argv: readonly string[], env: NodeJS.ProcessEnv): Locale {
  const asked = langArgument(argv)
  if (asked === undefined) return environmentLocale(env)
  if (!isLocale(asked)) throw new UsageError(message('cli.usage.wrongLang', { languages: LOCALES.join(', '), asked }))
  return asked
}
