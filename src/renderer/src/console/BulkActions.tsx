/**
 * One action on many accounts from the directory: the rows ticked, or everyone the current filter
 * matches. The count is confirmed first; the work runs as a job with progress and Cancel, and the
 * report says what was done and what was skipped, and why.
 */
import { useState } from 'react'
import type { BulkAction, BulkReport, BulkTarget } from '../../../shared/admin-dto'
import { call } from '../api/client'
import { JobProgress, useJob } from '../components/Job'
import { Notice } from '../components/ui'
import { useT } from '../i18n'

/** Each action's name, its question (with how many users) and its confirming button. */
const ACTIONS = {
  'enrolment-link': { label: 'users.bulk.enrolment-link.label', ask: 'users.bulk.enrolment-link.ask', yes: 'users.bulk.enrolment-link.yes' },
  unlock: { label: 'users.bulk.unlock.label', ask: 'users.bulk.unlock.ask', yes: 'users.bulk.unlock.yes' },
  'reset-2fa': { label: 'users.bulk.reset-2fa.label', ask: 'users.bulk.reset-2fa.ask', yes: 'users.bulk.reset-2fa.yes' }
} as const satisfies Record<BulkAction, { label: string; ask: string; yes: string }>

type Props = { selected: number[]; filter: Extract<BulkTarget, { filter: unknown }>['filter']; matching: number; onDone: () => void }

export function BulkActions({ selected, filter, matching, onDone }: Props) {
  const words = useT()
  const [scope, setScope] = useState<'selected' | 'filter'>('selected')
  const [action, setAction] = useState<BulkAction>('enrolment-link')
  const [reason, setReason] = useState('')
  const [confirming, setConfirming] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const job = useJob()
  const useSelection = scope === 'selected' && selected.length > 0
  const count = useSelection ? selected.length : matching
  const report = job.job?.state === 'done' ? (job.job.result as BulkReport) : null

  async function start() {
    setConfirming(false)
    setError(null)
    const target: BulkTarget = useSelection ? { ids: selected } : { filter }
    try {
      job.follow(await call('users:bulk', { target, action, reason }))
      onDone()
    } catch (e) {
      setError((e as Error).message)
    }
  }

  return (
    <div className="bulk" role="group" aria-label={words.t('users.bulk.group')}>
      <div className="bulk__scope" role="radiogroup" aria-labelledby="bulk-scope-label">
        <span id="bulk-scope-label" className="bulk__label">{words.t('users.bulk.actOn')}</span>
        <label className="choice"><input type="radio" name="bulk-scope" checked={useSelection} disabled={selected.length === 0} onChange={() => setScope('selected')} /> <span>{words.t('users.bulk.selected', { count: selected.length })}</span></label>
        <label className="choice"><input type="radio" name="bulk-scope" checked={!useSelection} onChange={() => setScope('filter')} /> <span>{words.t('users.bulk.matching', { count: matching })}</span></label>
      </div>
      <div className="field field--inline">
        <label htmlFor="bulk-action">{words.t('users.bulk.action')}</label>
        <select id="bulk-action" value={action} onChange={(e) => setAction(e.target.value as BulkAction)}>
          {(Object.keys(ACTIONS) as BulkAction[]).map((a) => <option key={a} value={a}>{words.t(ACTIONS[a].label)}</option>)}
        </select>
      </div>
      {action === 'reset-2fa' && (
        <div className="field field--inline">
          <label htmlFor="bulk-reason">{words.t('users.bulk.reason')}</label>
          <input id="bulk-reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder={words.t('users.bulk.reasonPlaceholder')} />
        </div>
      )}
      <button type="button" className="button" disabled={count === 0 || job.running} aria-expanded={confirming} onClick={() => setConfirming(true)}>{words.t('users.bulk.apply')}</button>
      {confirming && (
        <div className="notice notice--warn" role="alertdialog" aria-label={words.t('users.bulk.confirm')}>
          {words.t(ACTIONS[action].ask, { count })}{' '}
          <button type="button" className="button button--small button--primary" autoFocus onClick={() => void start()}>{words.t(ACTIONS[action].yes)}</button>{' '}
          <button type="button" className="button button--small" onClick={() => setConfirming(false)}>{words.t('users.cancel')}</button>
        </div>
      )}
      {error && <div className="form-error" role="alert">{error}</div>}
      {job.job && <JobProgress job={job.job} label={words.t(ACTIONS[action].label)} onCancel={job.cancel} />}
      {report && <BulkOutcome report={report} />}
      {job.job?.state === 'cancelled' && <Notice tone="warn">{words.t('users.bulk.cancelled')}</Notice>}
    </div>
  )
}

function BulkOutcome({ report }: { report: BulkReport }) {
  const words = useT()
  const action = words.t(ACTIONS[report.action].label)
  return (
    <Notice tone={report.skippedCount ? 'warn' : 'ok'}>
      {report.skippedCount > 0
        ? words.t('users.bulk.doneSkipped', { action, done: report.done, skipped: report.skippedCount })
        : words.t('users.bulk.done', { action, done: report.done })}
      {report.skipped.length > 0 && (
        <ul>
          {/* The engine's reason: worded in this language when it comes as a message, else as it was sent. */}
          {report.skipped.map((s) => <li key={s.username}>{words.t('users.bulk.skippedRow', { username: s.username, reason: words.sayText(s.reason) })}</li>)}
          {report.skippedCount > report.skipped.length && <li>{words.t('users.bulk.skippedMore', { count: report.skippedCount - report.skipped.length })}</li>}
        </ul>
      )}
    </Notice>
  )
}
