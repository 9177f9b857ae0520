/**
 * The names every screen, the CLI and the audit log share (a role, a status, a method), as message
 * ids; their English is read from the catalog for the CLI's tables and the tests.
 */
import type { Role } from '../dto'
import type { UserStatus } from '../admin-dto'
import type { Method } from '../policy'
import { translator, type MessageId, type Translator } from './translate'

export const ROLE_WORDS = { user: 'labels.role.user', helpdesk: 'labels.role.helpdesk', admin: 'labels.role.admin' } as const satisfies Record<Role, MessageId>

export const STATUS_WORDS = {
  enrolled: 'labels.status.enrolled',
  'not-enrolled': 'labels.status.not-enrolled',
  postponed: 'labels.status.postponed',
  'must-enrol': 'labels.status.must-enrol',
  locked: 'labels.status.locked',
  'reset-requested': 'labels.status.reset-requested',
  disabled: 'labels.status.disabled'
} as const satisfies Record<UserStatus, MessageId>

export const STATUS_MEANING_WORDS = {
  enrolled: 'labels.statusMeaning.enrolled',
  'not-enrolled': 'labels.statusMeaning.not-enrolled',
  postponed: 'labels.statusMeaning.postponed',
  'must-enrol': 'labels.statusMeaning.must-enrol',
  locked: 'labels.statusMeaning.locked',
  'reset-requested': 'labels.statusMeaning.reset-requested',
  disabled: 'labels.statusMeaning.disabled'
} as const satisfies Record<UserStatus, MessageId>

export const METHOD_WORDS = { totp: 'labels.method.totp', email: 'labels.method.email', token: 'labels.method.token', webauthn: 'labels.method.webauthn' } as const satisfies Record<Method, MessageId>

/** A method a person holds, in words: `Authenticator app “tablet”`. */
export const heldMethodWords = (words: Translator, m: { method: Method; name: string | null }) =>
  m.name ? words.t('labels.heldMethodNamed', { method: words.t(METHOD_WORDS[m.method]), name: m.name }) : words.t(METHOD_WORDS[m.method])

/** A map of ids of messages without parameters, in English. */
export function inEnglish<K extends string>(ids: Record<K, MessageId>): Record<K, string> {
  const say = translator('en').t as (id: MessageId) => string
  return Object.fromEntries(Object.entries<MessageId>(ids).map(([k, id]) => [k, say(id)])) as Record<K, string>
}
