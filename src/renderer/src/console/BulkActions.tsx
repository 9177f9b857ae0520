/**
 * One action on many accounts from the directory: the rows ticked, or everyone the current filter
 * matches. The count is confirmed first; the work runs as a job with progress and Cancel, and the
 * report says what was done and what was skipped, and why.
 */
import { useState } from 'react'
import type { BulkAction, BulkReport, BulkTarget } from '../../../shared/admin-dto'
import { plural } from '../../../shared/words'
import { call } from '../api/client'
import { JobProgress, useJob } from '../components/Job'
import { Notice } from '../components/ui'

const ACTIONS: Record<BulkAction, { label: string; verb: string }> = {
  'enrolment-link': { label: 'Send registration links', verb: 'Send a registration link to' },
  unlock: { label: 'Unlock', verb: 'Unlock' },
  'reset-2fa': { label: 'Require 2FA setup again (reset)', verb: 'Reset the two-factor authentication of' }
}

type Props = { selected: number[]; filter: Extract<BulkTarget, { filter: unknown }>['filter']; matching: number; onDone: () => void }

export function BulkActions({ selected, filter, matching, onDone }: Props) {
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
    <div className="bulk" role="group" aria-label="Act on several users">
      <div className="bulk__scope" role="radiogroup" aria-labelledby="bulk-scope-label">
        <span id="bulk-scope-label" className="bulk__label">Act on</span>
        <label className="choice"><input type="radio" name="bulk-scope" checked={useSelection} disabled={selected.length === 0} onChange={() => setScope('selected')} /> <span>{plural(selected.length, 'selected user')}</span></label>
        <label className="choice"><input type="radio" name="bulk-scope" checked={!useSelection} onChange={() => setScope('filter')} /> <span>{matching === 1 ? 'the 1 user' : `all ${plural(matching, 'user')}`} matching the filter</span></label>
      </div>
      <div className="field field--inline">
        <label htmlFor="bulk-action">Action</label>
        <select id="bulk-action" value={action} onChange={(e) => setAction(e.target.value as BulkAction)}>
          {(Object.keys(ACTIONS) as BulkAction[]).map((a) => <option key={a} value={a}>{ACTIONS[a].label}</option>)}
        </select>
      </div>
      {action === 'reset-2fa' && (
        <div className="field field--inline">
          <label htmlFor="bulk-reason">Reason</label>
          <input id="bulk-reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Recorded in the audit log" />
        </div>
      )}
      <button type="button" className="button" disabled={count === 0 || job.running} aria-expanded={confirming} onClick={() => setConfirming(true)}>Apply…</button>
      {confirming && (
        <div className="notice notice--warn" role="alertdialog" aria-label="Confirm">
          {ACTIONS[action].verb} {plural(count, 'user')}?{' '}
          <button type="button" className="button button--small button--primary" autoFocus onClick={() => void start()}>Yes, {ACTIONS[action].label.toLowerCase()}</button>{' '}
          <button type="button" className="button button--small" onClick={() => setConfirming(false)}>Cancel</button>
        </div>
      )}
      {error && <div className="form-error" role="alert">{error}</div>}
      {job.job && <JobProgress job={job.job} label={ACTIONS[action].label} onCancel={job.cancel} />}
      {report && <BulkOutcome report={report} />}
      {job.job?.state === 'cancelled' && <Notice tone="warn">Cancelled: the accounts reached before that were done (see the audit log).</Notice>}
    </div>
  )
}

function BulkOutcome({ report }: { report: BulkReport }) {
  return (
    <Notice tone={report.skippedCount ? 'warn' : 'ok'}>
      {ACTIONS[report.action].label}: {plural(report.done, 'user')} done{report.skippedCount > 0 && `, ${plural(report.skippedCount, 'user')} skipped`}.
      {report.skipped.length > 0 && (
        <ul>
          {report.skipped.map((s) => <li key={s.username}>{s.username}: {s.reason}</li>)}
          {report.skippedCount > report.skipped.length && <li>and {plural(report.skippedCount - report.skipped.length, 'more')}</li>}
        </ul>
      )}
    </Notice>
  )
}
