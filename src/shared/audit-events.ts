/**
 * Every audit event, and how each reads as a sentence ("grace entered a wrong code at kiosk-3"):
 * the audit log and a user's detail show these; the raw event id stays in the CSV export and in
 * each row's details.
 */
import { METHOD_LABELS, type Method } from './policy'
import { plural } from './words'

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

type Words = { a: string; s: string; d: Record<string, unknown>; time: (ms: number) => string }

const article = (words: string) => `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}`
const METHOD_WORDS: Record<string, string> = { ...Object.fromEntries(Object.entries(METHOD_LABELS).map(([m, l]) => [m, article(l.toLowerCase())])), recovery: 'a recovery code', 'access-code': 'a one-time access code' }
const method = (m: unknown) => METHOD_WORDS[String(m)] ?? 'a second factor'
const methodName = (m: unknown) => (typeof m === 'string' && m in METHOD_LABELS ? METHOD_LABELS[m as Method].toLowerCase() : 'two-factor authentication')
const until = (w: Words, key = 'until') => (typeof w.d[key] === 'number' ? ` until ${w.time(w.d[key] as number)}` : '')
const named = (n: unknown) => (typeof n === 'string' && n ? ` “${n}”` : '')
const reason = (w: Words) => (typeof w.d['reason'] === 'string' && w.d['reason'] ? ` (“${w.d['reason']}”)` : '')
const PROFILE_WORDS: Record<string, string> = { username: 'username', email: 'e-mail', displayName: 'name', phone: 'phone number' }
const END_WORDS: Record<string, string> = {
  'password-changed': 'their password changed',
  'password-reset': 'their password was reset',
  'temporary-password': 'a temporary password was set',
  'two-factor-reset': 'their two-factor authentication was reset',
  disabled: 'the account was disabled',
  'role-changed': 'their role changed',
  deleted: 'the account was deleted'
}
const ROLE_WORDS: Record<string, string> = { user: 'user', helpdesk: 'help desk', admin: 'administrator' }

const SENTENCES: Record<AuditEvent, (w: Words) => string> = {
  'setup.first-admin': ({ s }) => `${s} was created as the first administrator`,
  'seat.joined': ({ d }) => `A seat joined the organisation's shared database${d['via'] === 'first-run' ? ' from its first-run screen' : d['via'] === 'cli' ? ' with tessera seat join' : ''}`,
  'login.password-failed': ({ s, d }) => (d['nameHash'] ? 'A login with a name Tessera does not know was refused' : `${s} entered a wrong password`),
  'login.blocked': (w) => `A login attempt for ${w.s} was refused: blocked after too many failures${until(w)}`,
  'login.succeeded': ({ s, d }) => `${s} logged in${d['method'] ? ` with ${method(d['method'])}` : ''}`,
  'login.second-factor-failed': ({ s }) => `${s} entered a wrong code`,
  'login.code-replayed': ({ s }) => `${s} entered a code that was already used`,
  'login.recovery-code-used': ({ s, d }) => `${s} logged in with a recovery code${typeof d['left'] === 'number' ? ` (${plural(d['left'], 'code')} left)` : ''}`,
  'login.access-code-used': ({ s }) => `${s} logged in with a one-time access code`,
  'lock.account': (w) => `${w.s}'s account was locked after too many wrong codes${until(w)}`,
  'lock.workstation': (w) => `The workstation was blocked after too many failed attempts${until(w)}`,
  unlock: ({ a, s, d }) => (d['workstation'] ? `${a} unblocked workstation ${String(d['workstation'])}` : `${a} unlocked ${s}`),
  logout: ({ s }) => `${s} logged out`,
  'session.expired': ({ s, d }) => `${s}'s session ended after ${typeof d['idleMs'] === 'number' ? plural(Math.round(d['idleMs'] / 60_000), 'minute') : 'some time'} without activity`,
  'sessions.ended': ({ a, s, d }) => {
    const n = typeof d['count'] === 'number' ? plural(d['count'], 'session') : 'sessions'
    if (d['reason'] === 'signed-out-everywhere') return a === s ? `${s} signed out everywhere else (${n} ended)` : `${a} signed ${s} out everywhere (${n} ended)`
    return `${n} of ${s} ended: ${END_WORDS[String(d['reason'])] ?? String(d['reason'] ?? '')}`
  },
  'enrol.started': ({ s, d }) => (d['replacing'] ? `${s} started moving their authenticator app to a new phone` : `${s} started setting up ${method(d['method'])}`),
  'enrol.email-verified': ({ s }) => `${s} confirmed their e-mail address before setting up`,
  'enrol.confirmed': ({ s, d }) => `${s} confirmed ${method(d['method'])} with a first code`,
  'enrol.completed': ({ s, d }) => `${s} finished setting up ${method(d['method'])}`,
  'enrol.postponed': ({ s, d }) => `${s} postponed setting up two-factor authentication${typeof d['left'] === 'number' ? ` (${plural(d['left'], 'postponement')} left)` : ''}`,
  'enrol.code-failed': ({ s }) => `${s} entered a wrong code while setting up`,
  'email-code.sent': ({ s, d }) => `A code was e-mailed to ${s}${d['purpose'] === 'password-reset' ? ' to reset their password' : ''}`,
  'email-code.refused': ({ s }) => `An e-mailed code for ${s} was refused`,
  'recovery-codes.reissued': ({ s }) => `${s} got a new set of recovery codes`,
  'two-factor.disabled': ({ s, d }) => `${s} turned off ${methodName(d['method'])}`,
  'two-factor.reset': (w) => `${w.a} reset ${w.s}'s two-factor authentication${reason(w)}`,
  'two-factor.reset-proposed': (w) => `${w.a} asked a second administrator to approve resetting ${w.s}'s two-factor authentication${reason(w)}`,
  'two-factor.device-replaced': ({ s }) => `${s} moved their authenticator app to a new phone (the old one no longer works)`,
  'two-factor.confirmed-identity': ({ s, d }) => `${s} proved it was them with ${method(d['method'])} before changing their methods`,
  'two-factor.method-removed': (w) => `${w.d['self'] ? `${w.s} removed their` : `${w.a} removed ${w.s}'s`} ${methodName(w.d['method'])}${named(w.d['name'])}`,
  'two-factor.method-renamed': ({ s, d }) => `${s} renamed an authenticator app to "${String(d['name'])}"`,
  'two-factor.default-chosen': ({ s, d }) => `${s} chose ${method(d['method'])}${named(d['name'])} to be asked first at login`,
  'access-code.issued': (w) => `${w.a} gave ${w.s} a one-time access code, valid${until(w, 'expiresAt')}`,
  'tokens.imported': ({ a, d }) => `${a} imported ${typeof d['count'] === 'number' ? plural(d['count'], 'hardware token') : 'hardware tokens'}`,
  'token.assigned': ({ a, s, d }) => `${a} assigned hardware token ${String(d['serial'] ?? '')} to ${s}`,
  'token.unassigned': ({ a, s, d }) => `${a} took hardware token ${String(d['serial'] ?? '')} back${s !== 'someone' ? ` from ${s}` : ''}`,
  'token.lost': ({ a, d }) => `${a} marked hardware token ${String(d['serial'] ?? '')} lost`,
  'token.resync-started': ({ s }) => `${s}'s hardware token was far ahead: they were asked for a second code to resynchronise it`,
  'lost-device.token-given': ({ a, s, d }) => `${a} gave ${s} spare hardware token ${String(d['serial'] ?? '')}`,
  'security-key.added': ({ s, d }) => `${s} registered the security key “${String(d['name'] ?? '')}”`,
  'security-key.removed': ({ a, s, d }) => `${a === s ? s : a} removed the security key “${String(d['name'] ?? '')}”${a === s ? '' : ` of ${s}`}`,
  'security-key.counter-regressed': ({ s, d }) => `The security key “${String(d['name'] ?? '')}” of ${s} was refused: its counter went backwards (it may have been copied)`,
  'lost-device.requested': ({ s }) => `${s} asked the help desk for help: lost their second factor`,
  'lost-device.rejected': (w) => `${w.a} turned down ${w.s}'s request for help${reason(w)}`,
  'password.changed': ({ s, d }) => `${s} ${d['replaced'] === 'temporary' ? 'replaced their temporary password with their own' : 'changed their password'}`,
  'password.reset': ({ s }) => `${s} reset their forgotten password with an e-mailed code`,
  'password.reset-failed': ({ s, d }) => (d['nameHash'] ? 'A password reset for a name Tessera does not know was refused' : `A password reset for ${s} was refused: wrong code`),
  'password.reset-requested': ({ s, d }) => (d['known'] === false ? 'Someone asked to reset the password of a name Tessera does not know' : `${s} asked to reset their forgotten password`),
  'password.temporary-set': (w) => `${w.a} set a temporary password for ${w.s}, valid${until(w, 'expiresAt')}`,
  'enrolment-link.used': ({ s }) => `${s} used a registration link`,
  'enrolment-link.refused': () => 'A registration code was refused',
  'user.created': ({ a, s, d }) => `${a} created the ${ROLE_WORDS[String(d['role'])] ?? 'user'} account ${s}${d['via'] === 'import' ? ' (CSV import)' : ''}`,
  'user.updated': ({ a, s, d }) => {
    const renamed = d['username'] as { from?: string } | undefined
    const fields = (Array.isArray(d['changed']) ? d['changed'] : []).map((f) => PROFILE_WORDS[String(f)] ?? String(f))
    return `${a} changed ${renamed?.from ? `${renamed.from}'s` : `${s}'s`} ${fields.join(', ') || 'profile'}${renamed?.from ? ` (now ${s})` : ''}`
  },
  'user.deleted': ({ a, s, d }) => `${a} deleted the account ${s}${d['displayName'] ? ` (${String(d['displayName'])})` : ''}`,
  'users.import-cancelled': ({ a, d }) => `${a} cancelled an import${typeof d['removed'] === 'number' ? `: ${plural(d['removed'], 'account')} not created` : ''}`,
  'users.import-rolled-back': ({ d }) =>
    `An import${d['startedBy'] ? ` started by ${String(d['startedBy'])}` : ''} was interrupted and rolled back${typeof d['removed'] === 'number' ? `: ${plural(d['removed'], 'account')} it had created removed again` : ''}`,
  'users.bulk-interrupted': ({ d }) =>
    `A bulk action${d['startedBy'] ? ` started by ${String(d['startedBy'])}` : ''} was interrupted${typeof d['done'] === 'number' ? ` after ${plural(d['done'], 'account')}` : ''}`,
  'directory.synced': ({ a, d }) =>
    `${a} synced the accounts with the directory (${d['full'] ? 'full' : 'changes only'}): ${plural(Number(d['created'] ?? 0), 'account')} created, ${Number(d['updated'] ?? 0) + Number(d['renamed'] ?? 0)} updated, ${Number(d['disabled'] ?? 0)} disabled, ${Number(d['enabled'] ?? 0)} enabled`,
  'directory.configured': ({ a, d }) => `${a} set the directory source to ${Array.isArray(d['urls']) ? (d['urls'] as string[]).join(', ') : 'a server'}${d['bindPassword'] ? ', with a new service account password' : ''}`,
  'directory.sync-waiting': ({ a, d }) => `${a} synced with the directory, which would disable ${plural(Number(d['disable'] ?? 0), 'account')} of ${Number(d['of'] ?? 0).toLocaleString('en')}: the sync waits for an administrator to confirm`,
  'user.disabled': ({ a, s, d }) => `${a} disabled ${s}${d['via'] === 'directory' ? ` (${String(d['reason'] ?? 'the directory')})` : ''}`,
  'user.enabled': ({ a, s }) => `${a} enabled ${s}`,
  'user.role-changed': ({ a, s, d }) => `${a} changed ${s}'s role from ${ROLE_WORDS[String(d['from'])] ?? String(d['from'])} to ${ROLE_WORDS[String(d['to'])] ?? String(d['to'])}`,
  'users.exported': ({ a, d }) => `${a} exported ${typeof d['rows'] === 'number' ? plural(d['rows'], 'user') : 'the users'} to CSV`,
  'enrolment-link.sent': (w) => `${w.a} sent ${w.s} a registration link, valid${until(w, 'expiresAt')}`,
  'policy.changed': ({ a, d }) => `${a} changed the policy (${Object.keys(d).join(', ') || 'no setting'})`,
  'mail.test-sent': ({ a, d }) => `${a} sent a test e-mail${d['to'] ? ` to ${String(d['to'])}` : ''}`,
  'audit.exported': ({ a, d }) => `${a} exported the audit log${typeof d['rows'] === 'number' ? ` (${plural(d['rows'], 'row')})` : ''}`,
  'audit.chain-keyed': ({ d }) => `Audit rows are signed with the data key from row ${String(d['from'] ?? '')}`,
  'audit.anchor-broken': ({ d }) => `The audit log did not match its anchor outside the database${d['problem'] ? `: ${String(d['problem'])}` : ''}`
}

const isEvent = (e: string): e is AuditEvent => Object.hasOwn(SENTENCES, e)

/** The row as a sentence, ending with where it happened: "grace entered a wrong code at kiosk-3". */
export function eventSentence(row: EventRow, time: (ms: number) => string): string {
  const w: Words = { a: row.actor ?? 'Tessera', s: row.subject ?? 'someone', d: row.details, time }
  const text = isEvent(row.event) ? SENTENCES[row.event](w) : `${row.event}${row.subject ? ` (${row.subject})` : ''}`
  const where = row.workstation === null ? '' : row.workstation === 'cli' ? ' from the command line' : ` at ${row.workstation}`
  // A sentence opens with a capital, unless it opens with a name (written as recorded) or a raw id.
  const named = !isEvent(row.event) || text.startsWith(w.a) || (row.subject !== null && text.startsWith(row.subject))
  return `${named ? text : `${text[0]!.toUpperCase()}${text.slice(1)}`}${where}`
}

/** The details as label and value, times as dates: what the details view lists beside the raw id. */
export function eventFacts(details: Record<string, unknown>, time: (ms: number) => string): [string, string][] {
  return Object.entries(details).map(([k, v]) => {
    const label = k.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
    const isTime = typeof v === 'number' && /(At|until|Until)$/.test(k) && v > 1e12
    return [label, isTime ? time(v) : typeof v === 'object' ? JSON.stringify(v) : String(v)]
  })
}
