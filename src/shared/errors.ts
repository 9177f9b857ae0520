/**
 * Every error the main process can return across the IPC boundary, with the message a user sees:
 * in English here (logs, tests), in every language in the catalogs' `errors` area, by code.
 * Codes are stable (tests, the CLI and the renderer switch on them); messages may be reworded.
 */
import ENGLISH from './i18n/catalogs/en/errors.json' with { type: 'json' }
import type { Message, Translator } from './i18n/translate'

export const ERROR_MESSAGES: Record<ErrorCode, string> = ENGLISH

export type ErrorCode = keyof typeof ENGLISH

export type Failure = {
  ok: false
  code: ErrorCode
  message: string
  /** The input field the error concerns, so the form can show it next to that field. */
  field?: string
  /** When the input had problems in several fields: each field's (by path, e.g. `policy.lockout.baseMinutes`). */
  fields?: Record<string, string>
  /** Extra facts for the screen (e.g. when a lock ends), never secrets. */
  details?: Record<string, string | number | boolean | null>
  /** `message` in no language yet (absent: the code's own words, `errors.<code>`); `message` is its English. */
  words?: Message
  /** `fields` in no language yet, for the fields whose problem was worded as a message. */
  fieldWords?: Record<string, Message>
}

export type Result<T> = { ok: true; value: T } | Failure

/**
 * A refusal in the reader's language: its own words, else its code's; a message some engine path
 * still sends only in English is shown as it is.
 */
export function sayFailure(words: Translator, f: Pick<Failure, 'code' | 'message' | 'words'>): string {
  if (f.words) return words.say(f.words)
  return f.message === ERROR_MESSAGES[f.code] ? words.t(`errors.${f.code}`) : words.sayText(f.message)
}

/** Each field's problem in the reader's language. */
export function sayFields(words: Translator, f: Pick<Failure, 'fields' | 'fieldWords'>): Record<string, string> {
  return Object.fromEntries(Object.entries(f.fields ?? {}).map(([field, text]) => [field, f.fieldWords?.[field] ? words.say(f.fieldWords[field]) : words.sayText(text)]))
}
