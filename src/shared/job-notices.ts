/** A job a crash interrupted, as settled at the next start, in the reader's words (the console's notice, the CLI's line). */
import type { BulkAction, JobNotice } from './admin-dto'
import type { Translator } from './i18n/translate'

const BULK_ACTIONS: Record<BulkAction, string> = { unlock: 'unlock', 'enrolment-link': 'enrolmentLink', 'reset-2fa': 'reset2fa' }
/** Accounts named in a notice; the rest are counted. */
export const NOTICE_NAMES = 10

export function jobNoticeText(n: JobNotice, words: Translator, time: (ms: number) => string): string {
  const o = n.outcome
  const num = (key: string) => (typeof o[key] === 'number' ? (o[key] as number) : 0)
  const started = words.t('console.jobNotice.started', {
    hasActor: n.actor ? 'yes' : 'no',
    actor: n.actor ?? '',
    where: n.workstation === 'cli' ? 'cli' : 'at',
    workstation: n.workstation,
    time: time(n.startedAt)
  })
  if (n.kind === 'users-import') {
    const file = { hasFile: n.inputName ? 'yes' : 'no', file: n.inputName ?? '', started }
    if (n.state === 'done') return words.t('console.jobNotice.importDone', { ...file, count: num('created') })
    if (num('removed') === 0) return words.t('console.jobNotice.importNothing', file)
    return words.t('console.jobNotice.importRemoved', { ...file, count: num('removed') })
  }
  if (n.kind === 'directory-sync') return words.t('console.jobNotice.sync', { started })
  const names = Array.isArray(o['names']) ? (o['names'] as string[]) : []
  return words.t('console.jobNotice.bulk', {
    action: BULK_ACTIONS[o['action'] as BulkAction] ?? 'other',
    started,
    hasTotal: n.total ? 'yes' : 'no',
    total: n.total ?? 0,
    done: num('done'),
    hasNames: names.length ? 'yes' : 'no',
    names: words.list(names),
    more: Math.max(0, num('done') - names.length)
  })
}
