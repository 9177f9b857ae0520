/**
 * The CLI's language: `--lang`, else the first of LC_ALL, LC_MESSAGES and LANG that is set (as POSIX
 * reads them: "C" or an unknown language means English), else English. JSON output is the same in
 * every language.
 */
import { isLocale, LOCALES, localeOf, type Locale } from '../../shared/i18n/locales'
import { UsageError } from './args'

/** The value of `--lang X` or `--lang=X` among the arguments, if given. */
function langArgument(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--lang') return argv[i + 1] ?? ''
    if (argv[i]!.startsWith('--lang=')) return argv[i]!.slice('--lang='.length)
  }
  return undefined
}

export function cliLocale(argv: readonly string[], env: NodeJS.ProcessEnv): Locale {
  const asked = langArgument(argv)
  if (asked !== undefined) {
    if (!isLocale(asked)) throw new UsageError(`--lang is one of ${LOCALES.join(', ')}, not "${asked}"`)
    return asked
  }
  const posix = [env['LC_ALL'], env['LC_MESSAGES'], env['LANG']].find((v) => v !== undefined && v !== '')
  return (posix && localeOf(posix)) || 'en'
}
