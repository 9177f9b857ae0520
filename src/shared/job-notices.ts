/** A job a crash interrupted, as settled at the next start, in words (the console's notice, the CLI's line). */
import type { BulkAction, JobNotice } from './admin-dto'
import { plural } from './words'

const BULK_WORDS: Record<BulkAction, string> = { unlock: 'unlock', 'enrolment-link': 'registration-link sending', 'reset-2fa': '2FA reset' }
/** Accounts named in a notice; the rest are counted. */
export const NOTICE_NAMES = 10

function started(n: JobNotice, time: (ms: number) => string): string {
  return `started${n.actor ? ` by ${n.actor}` : ''} at ${n.workstation === 'cli' ? 'the command line' : n.workstation} on ${time(n.startedAt)}`
}

export function jobNoticeText(n: JobNotice, time: (ms: number) => string): string {
  const o = n.outcome
  const num = (key: string) => (typeof o[key] === 'number' ? (o[key] as number) : 0)
  if (n.kind === 'users-import') {
    const what = `The import${n.inputName ? ` of ${n.inputName}` : ''} ${started(n, time)} was interrupted`
    if (n.state === 'done') return `${what} after it had created all its ${plural(num('created'), 'user')}: it is complete.`
    if (num('removed') === 0) return `${what} before it created anyone: nothing was imported. Import the file again.`
    return `${what}: the ${plural(num('removed'), 'user')} it had created were removed again, so nothing of it is left. Import the file again.`
  }
  if (n.kind === 'directory-sync') return `The directory sync ${started(n, time)} was interrupted; what it had read is applied, and the next sync goes on from there.`
  const action = BULK_WORDS[o['action'] as BulkAction] ?? 'bulk action'
  const names = Array.isArray(o['names']) ? (o['names'] as string[]) : []
  const more = num('done') - names.length
  const list = names.length ? `: ${names.join(', ')}${more > 0 ? ` and ${plural(more, 'other')}` : ''}` : ''
  const count = n.total ? `${num('done').toLocaleString('en')} of ${plural(n.total, 'account')}` : plural(num('done'), 'account')
  return `The bulk ${action} ${started(n, time)} was interrupted. It was done for ${count}${list}; the others were not done.`
}
