/**
 * Every audit event, and how each reads as a sentence in the reader's language ("grace entered a
 * wrong code at kiosk-3"; the catalogs' audit area): the audit log and a user's detail show these;
 * the raw event id stays in the CSV export and in each row's details.
 */
import type { Role } from './dto'
import { METHOD_WORDS, ROLE_WORDS } from './i18n/labels'
import type { Translator } from './i18n/translate'
import type { Method } from './policy'

export type AuditEvent =
  | 'setup.first-admin'
  | 'seat.joined'
  | 'login.password-failed'
  | 'login.blocked'
  | 'login.succeeded'
  | 'login.second-factor-failed'
  | 'login.code-replayed'
  | 'login.recovery-code-used'
  | 'login.access-code-used'
  | 'lock.account'
  | 'lock.workstation'
  | 'unlock'
  | 'logout'
  | 'session.expired'
  | 'sessions.ended'
  | 'enrol.started'
  | 'enrol.email-verified'
  | 'enrol.confirmed'
  | 'enrol.completed'
  | 'enrol.postponed'
  | 'enrol.code-failed'
  | 'email-code.sent'
  | 'email-code.refused'
  | 'recovery-codes.reissued'
  | 'two-factor.disabled'
  | 'two-factor.reset'
  | 'two-factor.reset-proposed'
  | 'two-factor.device-replaced'
  | 'two-factor.confirmed-identity'
  | 'two-factor.method-removed'
  | 'two-factor.method-renamed'
  | 'two-factor.default-chosen'
  | 'access-code.issued'
  | 'tokens.imported'
  | 'token.assigned'
  | 'token.unassigned'
  | 'token.lost'
  | 'token.resync-started'
  | 'lost-device.token-given'
  | 'security-key.added'
  | 'security-key.removed'
  | 'security-key.counter-regressed'
  | 'lost-device.requested'
  | 'lost-device.rejected'
  | 'account.language-changed'
  | 'password.changed'
  | 'password.reset'
  | 'password.reset-failed'
  | 'password.reset-requested'
  | 'password.temporary-set'
  | 'enrolment-link.used'
  | 'enrolment-link.refused'
  | 'user.created'
  | 'user.updated'
  | 'user.deleted'
  | 'users.import-cancelled'
  | 'users.import-rolled-back'
  | 'users.bulk-interrupted'
  | 'directory.synced'
  | 'directory.configured'
  | 'directory.sync-waiting'
  | 'user.disabled'
  | 'user.enabled'
  | 'user.role-changed'
  | 'users.exported'
  | 'enrolment-link.sent'
  | 'policy.changed'
  | 'mail.test-sent'
  | 'audit.exported'
  | 'audit.chain-keyed'
  | 'audit.anchor-broken'

export type EventRow = { event: string; actor: string | null; subject: string | null; workstation: string | null; details: Record<string, unknown> }

type Words = { t: Translator['t']; a: string; s: string; d: Record<string, unknown>; time: (ms: number) => string }

const yes = (b: unknown) => (b ? 'yes' : 'no')
/** 'yes' when the details hold a number (a count, a moment) under `key`. */
const has = (w: Words, key: string) => yes(typeof w.d[key] === 'number')
const str = (v: unknown) => (typeof v === 'string' ? v : '')
/** A recorded value as a select's key (ICU keys take no hyphen): 'first-run' -> 'firstRun'. */
const toKey = (v: unknown) => str(v).replace(/-(\w)/g, (_, c: string) => c.toUpperCase())
const num = (v: unknown) => (typeof v === 'number' ? v : 0)
const method = (w: Words, field = 'method') => w.t('audit.method', { method: toKey(w.d[field]) })
const methodName = (w: Words) => w.t('audit.methodName', { method: str(w.d['method']) })
const role = (w: Words, v: unknown) => w.t('audit.role', { role: String(v ?? 'user') })
/** `hasUntil` and `until`: the moment the details hold under `key`, as a date. */
const until = (w: Words, key = 'until') => ({ hasUntil: has(w, key), until: typeof w.d[key] === 'number' ? w.time(w.d[key] as number) : '' })
const reason = (w: Words) => ({ hasReason: yes(str(w.d['reason'])), reason: str(w.d['reason']) })
const named = (w: Words) => ({ hasName: yes(str(w.d['name'])), name: str(w.d['name']) })
const starter = (w: Words) => ({ hasStarter: yes(w.d['startedBy']), starter: String(w.d['startedBy'] ?? '') })
const sessions = (w: Words) => w.t('audit.sessions', { known: has(w, 'count'), count: num(w.d['count']) })
const joined = (w: Words, items: string[]) => items.join(w.t('audit.separator'))
/** Why the directory disabled someone, as the sync records it. */
const DIRECTORY_REASONS: Record<string, string> = { 'gone from the directory': 'gone', 'disabled in the directory': 'disabled' }

function sessionsEnded(w: Words): string {
  if (w.d['reason'] !== 'signed-out-everywhere') return w.t('audit.sessions.ended', { sessions: sessions(w), subject: w.s, reason: w.t('audit.endReason', { reason: toKey(w.d['reason']) }) })
  return w.a === w.s ? w.t('audit.sessions.ended.self', { subject: w.s, sessions: sessions(w) }) : w.t('audit.sessions.ended.byOther', { actor: w.a, subject: w.s, sessions: sessions(w) })
}

function userUpdated(w: Words): string {
  const renamed = w.d['username'] as { from?: string } | undefined
  const changed = Array.isArray(w.d['changed']) ? (w.d['changed'] as unknown[]) : []
  const fields = joined(w, changed.map((f) => w.t('audit.profileField', { field: String(f) }))) || w.t('audit.profile')
  return w.t('audit.user.updated', { renamed: yes(renamed?.from), actor: w.a, subject: renamed?.from ?? w.s, fields, now: w.s })
}

const SENTENCES: Record<AuditEvent, (w: Words) => string> = {
  'setup.first-admin': (w) => w.t('audit.setup.first-admin', { subject: w.s }),
  'seat.joined': (w) => w.t('audit.seat.joined', { via: toKey(w.d['via']) }),
  'login.password-failed': (w) => w.t('audit.login.password-failed', { unknown: yes(w.d['nameHash']), subject: w.s }),
  'login.blocked': (w) => w.t('audit.login.blocked', { subject: w.s, ...until(w) }),
  'login.succeeded': (w) => w.t('audit.login.succeeded', { subject: w.s, hasMethod: yes(w.d['method']), method: method(w) }),
  'login.second-factor-failed': (w) => w.t('audit.login.second-factor-failed', { subject: w.s }),
  'login.code-replayed': (w) => w.t('audit.login.code-replayed', { subject: w.s }),
  'login.recovery-code-used': (w) => w.t('audit.login.recovery-code-used', { subject: w.s, hasLeft: has(w, 'left'), left: num(w.d['left']) }),
  'login.access-code-used': (w) => w.t('audit.login.access-code-used', { subject: w.s }),
  'lock.account': (w) => w.t('audit.lock.account', { subject: w.s, ...until(w) }),
  'lock.workstation': (w) => w.t('audit.lock.workstation', until(w)),
  unlock: (w) => w.t('audit.unlock', { kind: w.d['workstation'] ? 'workstation' : 'account', actor: w.a, subject: w.s, machine: str(w.d['workstation']) }),
  logout: (w) => w.t('audit.logout', { subject: w.s }),
  'session.expired': (w) => w.t('audit.session.expired', { subject: w.s, known: has(w, 'idleMs'), minutes: Math.round(num(w.d['idleMs']) / 60_000) }),
  'sessions.ended': sessionsEnded,
  'enrol.started': (w) => w.t('audit.enrol.started', { replacing: yes(w.d['replacing']), subject: w.s, method: method(w) }),
  'enrol.email-verified': (w) => w.t('audit.enrol.email-verified', { subject: w.s }),
  'enrol.confirmed': (w) => w.t('audit.enrol.confirmed', { subject: w.s, method: method(w) }),
  'enrol.completed': (w) => w.t('audit.enrol.completed', { subject: w.s, method: method(w) }),
  'enrol.postponed': (w) => w.t('audit.enrol.postponed', { subject: w.s, hasLeft: has(w, 'left'), left: num(w.d['left']) }),
  'enrol.code-failed': (w) => w.t('audit.enrol.code-failed', { subject: w.s }),
  'email-code.sent': (w) => w.t('audit.email-code.sent', { purpose: toKey(w.d['purpose']), subject: w.s }),
  'email-code.refused': (w) => w.t('audit.email-code.refused', { subject: w.s }),
  'recovery-codes.reissued': (w) => w.t('audit.recovery-codes.reissued', { subject: w.s }),
  'two-factor.disabled': (w) => w.t('audit.two-factor.disabled', { subject: w.s, methodName: methodName(w) }),
  'two-factor.reset': (w) => w.t('audit.two-factor.reset', { actor: w.a, subject: w.s, ...reason(w) }),
  'two-factor.reset-proposed': (w) => w.t('audit.two-factor.reset-proposed', { actor: w.a, subject: w.s, ...reason(w) }),
  'two-factor.device-replaced': (w) => w.t('audit.two-factor.device-replaced', { subject: w.s }),
  'two-factor.confirmed-identity': (w) => w.t('audit.two-factor.confirmed-identity', { subject: w.s, method: method(w) }),
  'two-factor.method-removed': (w) => w.t('audit.two-factor.method-removed', { self: yes(w.d['self']), actor: w.a, subject: w.s, methodName: methodName(w), ...named(w) }),
  'two-factor.method-renamed': (w) => w.t('audit.two-factor.method-renamed', { subject: w.s, name: str(w.d['name']) }),
  'two-factor.default-chosen': (w) => w.t('audit.two-factor.default-chosen', { subject: w.s, method: method(w), ...named(w) }),
  'access-code.issued': (w) => w.t('audit.access-code.issued', { actor: w.a, subject: w.s, ...until(w, 'expiresAt') }),
  'tokens.imported': (w) => w.t('audit.tokens.imported', { actor: w.a, known: has(w, 'count'), count: num(w.d['count']) }),
  'token.assigned': (w) => w.t('audit.token.assigned', { actor: w.a, serial: str(w.d['serial']), subject: w.s }),
  'token.unassigned': (w) => w.t('audit.token.unassigned', { hasSubject: yes(w.s !== w.t('audit.someone')), actor: w.a, serial: str(w.d['serial']), subject: w.s }),
  'token.lost': (w) => w.t('audit.token.lost', { actor: w.a, serial: str(w.d['serial']) }),
  'token.resync-started': (w) => w.t('audit.token.resync-started', { subject: w.s }),
  'lost-device.token-given': (w) => w.t('audit.lost-device.token-given', { actor: w.a, subject: w.s, serial: str(w.d['serial']) }),
  'security-key.added': (w) => w.t('audit.security-key.added', { subject: w.s, name: str(w.d['name']) }),
  'security-key.removed': (w) => w.t('audit.security-key.removed', { self: yes(w.a === w.s), actor: w.a, subject: w.s, name: str(w.d['name']) }),
  'security-key.counter-regressed': (w) => w.t('audit.security-key.counter-regressed', { name: str(w.d['name']), subject: w.s }),
  'lost-device.requested': (w) => w.t('audit.lost-device.requested', { subject: w.s }),
  'lost-device.rejected': (w) => w.t('audit.lost-device.rejected', { actor: w.a, subject: w.s, ...reason(w) }),
  'account.language-changed': (w) => w.t('audit.account.language-changed', { subject: w.s, language: w.t('audit.language', { language: str(w.d['to']) }) }),
  'password.changed': (w) => w.t('audit.password.changed', { temporary: yes(w.d['replaced'] === 'temporary'), subject: w.s }),
  'password.reset': (w) => w.t('audit.password.reset', { subject: w.s }),
  'password.reset-failed': (w) => w.t('audit.password.reset-failed', { unknown: yes(w.d['nameHash']), subject: w.s }),
  'password.reset-requested': (w) => w.t('audit.password.reset-requested', { unknown: yes(w.d['known'] === false), subject: w.s }),
  'password.temporary-set': (w) => w.t('audit.password.temporary-set', { actor: w.a, subject: w.s, ...until(w, 'expiresAt') }),
  'enrolment-link.used': (w) => w.t('audit.enrolment-link.used', { subject: w.s }),
  'enrolment-link.refused': (w) => w.t('audit.enrolment-link.refused'),
  'user.created': (w) => w.t('audit.user.created', { actor: w.a, role: role(w, w.d['role']), subject: w.s, viaImport: yes(w.d['via'] === 'import') }),
  'user.updated': userUpdated,
  'user.deleted': (w) => w.t('audit.user.deleted', { actor: w.a, subject: w.s, hasName: yes(w.d['displayName']), name: String(w.d['displayName'] ?? '') }),
  'users.import-cancelled': (w) => w.t('audit.users.import-cancelled', { actor: w.a, known: has(w, 'removed'), removed: num(w.d['removed']) }),
  'users.import-rolled-back': (w) => w.t('audit.users.import-rolled-back', { ...starter(w), known: has(w, 'removed'), removed: num(w.d['removed']) }),
  'users.bulk-interrupted': (w) => w.t('audit.users.bulk-interrupted', { ...starter(w), known: has(w, 'done'), done: num(w.d['done']) }),
  'directory.synced': (w) =>
    w.t('audit.directory.synced', { actor: w.a, full: yes(w.d['full']), created: num(w.d['created']), updated: num(w.d['updated']) + num(w.d['renamed']), disabled: num(w.d['disabled']), enabled: num(w.d['enabled']) }),
  'directory.configured': (w) =>
    w.t('audit.directory.configured', { actor: w.a, hasUrls: yes(Array.isArray(w.d['urls'])), urls: Array.isArray(w.d['urls']) ? joined(w, w.d['urls'] as string[]) : '', newPassword: yes(w.d['bindPassword']) }),
  'directory.sync-waiting': (w) => w.t('audit.directory.sync-waiting', { actor: w.a, disable: num(w.d['disable']), of: num(w.d['of']) }),
  'user.disabled': (w) => w.t('audit.user.disabled', { via: w.d['via'] === 'directory' ? (DIRECTORY_REASONS[str(w.d['reason'])] ?? 'directory') : 'console', actor: w.a, subject: w.s }),
  'user.enabled': (w) => w.t('audit.user.enabled', { actor: w.a, subject: w.s }),
  'user.role-changed': (w) => w.t('audit.user.role-changed', { actor: w.a, subject: w.s, from: role(w, w.d['from']), to: role(w, w.d['to']) }),
  'users.exported': (w) => w.t('audit.users.exported', { actor: w.a, known: has(w, 'rows'), rows: num(w.d['rows']) }),
  'enrolment-link.sent': (w) => w.t('audit.enrolment-link.sent', { actor: w.a, subject: w.s, ...until(w, 'expiresAt') }),
  'policy.changed': (w) => w.t('audit.policy.changed', { actor: w.a, hasSettings: yes(Object.keys(w.d).length), settings: joined(w, Object.keys(w.d)) }),
  'mail.test-sent': (w) => w.t('audit.mail.test-sent', { actor: w.a, hasTo: yes(w.d['to']), to: String(w.d['to'] ?? '') }),
  'audit.exported': (w) => w.t('audit.audit.exported', { actor: w.a, known: has(w, 'rows'), rows: num(w.d['rows']) }),
  'audit.chain-keyed': (w) => w.t('audit.audit.chain-keyed', { from: String(w.d['from'] ?? '') }),
  'audit.anchor-broken': (w) => w.t('audit.audit.anchor-broken', { hasProblem: yes(w.d['problem']), problem: String(w.d['problem'] ?? '') })
}

const isEvent = (e: string): e is AuditEvent => Object.hasOwn(SENTENCES, e)

/**
 * The row as a sentence in `words`' language, ending with where it happened: "grace entered a
 * wrong code at kiosk-3". Times are worded by `time` (the reader's date and time by default).
 */
export function eventSentence(row: EventRow, words: Translator, time: (ms: number) => string = (ms) => words.date(ms)): string {
  const w: Words = { t: words.t, a: row.actor ?? words.t('audit.tessera'), s: row.subject ?? words.t('audit.someone'), d: row.details, time }
  const text = isEvent(row.event) ? SENTENCES[row.event](w) : words.t('audit.unknownEvent', { event: row.event, hasSubject: yes(row.subject), subject: row.subject ?? '' })
  // A sentence opens with a capital, unless it opens with a name (written as recorded) or a raw id.
  const named = !isEvent(row.event) || text.startsWith(w.a) || (row.subject !== null && text.startsWith(row.subject))
  const where = row.workstation === null ? 'none' : row.workstation === 'cli' ? 'cli' : 'at'
  return words.t('audit.sentence', { where, workstation: row.workstation ?? '', text: named ? text : `${text[0]!.toUpperCase()}${text.slice(1)}` })
}

/** The details as label and value in the reader's language, times as dates: what the details view lists beside the raw id. */
export function eventFacts(details: Record<string, unknown>, words: Translator, time: (ms: number) => string): [string, string][] {
  return Object.entries(details).map(([k, v]) => {
    const label = k.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
    return [words.t('audit.detailKey', { key: k, label }), factValue(k, v, words, time)]
  })
}

/** A detail's value: a time as a date, yes or no, a method or a role in words; anything else as recorded. */
function factValue(key: string, v: unknown, words: Translator, time: (ms: number) => string): string {
  if (typeof v === 'number' && /(At|until|Until)$/.test(key) && v > 1e12) return time(v)
  if (typeof v === 'boolean') return words.t('audit.detailValue', { value: String(v), raw: String(v) })
  if ((key === 'factor' || key === 'scope') && typeof v === 'string' && !Object.hasOwn(METHOD_WORDS, v)) return words.t('audit.detailValue', { value: toKey(v), raw: v })
  if ((key === 'method' || key === 'factor') && typeof v === 'string' && Object.hasOwn(METHOD_WORDS, v)) return words.t(METHOD_WORDS[v as Method])
  if ((key === 'role' || key === 'from' || key === 'to') && typeof v === 'string' && Object.hasOwn(ROLE_WORDS, v)) return words.t(ROLE_WORDS[v as Role])
  return typeof v === 'object' ? JSON.stringify(v) : String(v)
}
