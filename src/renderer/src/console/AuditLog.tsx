import { Fragment, useState } from 'react'
import type { AuditEntryView, AuditVerification } from '../../../shared/admin-dto'
import { eventFacts, eventSentence } from '../../../shared/audit-events'
import { call } from '../api/client'
import { useApiMutation, useApiQuery } from '../api/hooks'
import { formatDateTime } from '../components/ui'
import { ExportButton, JobProgress, useJob } from '../components/Job'

const EVENT_GROUPS: [string, string][] = [
  ['', 'All events'],
  ['login.', 'Logins'],
  ['lock', 'Locks and unlocks'],
  ['enrol', 'Setup'],
  ['two-factor.', '2FA resets and disabling'],
  ['access-code.', 'Access codes'],
  ['lost-device.', 'Lost-device requests'],
  ['recovery-codes.', 'Recovery codes'],
  ['user.', 'Accounts and roles'],
  ['policy.', 'Policy'],
  ['password.', 'Passwords']
]

function dayStart(value: string): number | null {
  return value ? new Date(`${value}T00:00:00`).getTime() : null
}

/** One row: when, what happened as a sentence, and its details (the raw event id among them). */
function EventRow({ r }: { r: AuditEntryView }) {
  return (
    <tr>
      <td><time dateTime={new Date(r.at).toISOString()}>{formatDateTime(r.at)}</time></td>
      <td>{eventSentence(r, formatDateTime)}</td>
      <td className="details">
        <details>
          <summary>Details<span className="visually-hidden"> of row {r.id}</span></summary>
          <dl className="facts facts--small">
            <dt>Event</dt><dd><code>{r.event}</code></dd>
            <dt>Row</dt><dd>{r.id}</dd>
            <dt>Actor</dt><dd>{r.actor ?? '—'}</dd>
            <dt>Subject</dt><dd>{r.subject ?? '—'}</dd>
            <dt>Workstation</dt><dd>{r.workstation ?? '—'}</dd>
            {eventFacts(r.details, formatDateTime).map(([k, v]) => <Fragment key={k}><dt>{k}</dt><dd>{v}</dd></Fragment>)}
          </dl>
        </details>
      </td>
    </tr>
  )
}

function intact(v: AuditVerification): string {
  const all = `The log is intact: all ${v.rows.toLocaleString()} rows are chained as written`
  return v.since === null
    ? `${all}.`
    : `${all} (checked the ${v.checked.toLocaleString()} rows since the last verification, up to row ${v.since.toLocaleString()}; a full verification checks every row).`
}

type Filters = { event: string; actor: string; subject: string; from: string; to: string }

/** What the log is narrowed to: an event group, who did it, to whom, between which days. */
function AuditFilters({ filters, onChange: set }: { filters: Filters; onChange: (k: keyof Filters) => (e: { target: { value: string } }) => void }) {
  return (
    <div className="toolbar" role="search">
      <div className="field field--inline">
        <label htmlFor="audit-event">Event</label>
        <select id="audit-event" value={filters.event} onChange={set('event')}>
          {EVENT_GROUPS.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
        </select>
      </div>
      <div className="field field--inline">
        <label htmlFor="audit-actor">Actor</label>
        <input id="audit-actor" value={filters.actor} onChange={set('actor')} placeholder="username" />
      </div>
      <div className="field field--inline">
        <label htmlFor="audit-subject">Subject</label>
        <input id="audit-subject" value={filters.subject} onChange={set('subject')} placeholder="username" />
      </div>
      <div className="field field--inline">
        <label htmlFor="audit-from">From</label>
        <input id="audit-from" type="date" value={filters.from} onChange={set('from')} />
      </div>
      <div className="field field--inline">
        <label htmlFor="audit-to">To</label>
        <input id="audit-to" type="date" value={filters.to} onChange={set('to')} />
      </div>
    </div>
  )
}

/** The audit log: filters, pages of 100 (newest first), CSV export and the integrity check. */
export function AuditLog() {
  const [filters, setFilters] = useState<Filters>({ event: '', actor: '', subject: '', from: '', to: '' })
  const [pages, setPages] = useState<AuditEntryView[][]>([])
  const [before, setBefore] = useState<number | null>(null)
  const input = {
    event: filters.event,
    actor: filters.actor.trim(),
    subject: filters.subject.trim(),
    from: dayStart(filters.from),
    to: filters.to ? dayStart(filters.to)! + 86_400_000 : null,
    beforeId: before,
    limit: 100
  }
  const page = useApiQuery('audit:list', input)
  const verify = useApiMutation('audit:verify')
  const full = useJob()
  const verdict = full.job?.state === 'done' ? (full.job.result as AuditVerification) : verify.data
  const rows = [...pages.flat(), ...(page.data?.rows ?? [])]
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => {
    setPages([])
    setBefore(null)
    setFilters({ ...filters, [k]: e.target.value })
  }

  return (
    <section aria-labelledby="audit-title">
      <div className="section-head">
        <h1 id="audit-title">Audit log</h1>
        <div className="actions">
          <button type="button" className="button" onClick={() => verify.mutate({})} disabled={verify.isPending || full.running}>Verify integrity</button>
          <button type="button" className="button" onClick={() => void call('audit:verify-full', {}).then(full.follow)} disabled={full.running}>
            Full verification
          </button>
          <ExportButton channel="audit:export" label="Export CSV" />
        </div>
      </div>
      {full.job && <JobProgress job={full.job} label="Verifying every row" onCancel={full.cancel} />}
      {verdict && (
        <div className={verdict.ok ? 'notice notice--ok' : 'form-error'} role={verdict.ok ? 'status' : 'alert'}>
          {verdict.ok ? intact(verdict) : `The log was tampered with at row ${verdict.brokenAt}: ${verdict.problem}.`}
        </div>
      )}
      <AuditFilters filters={filters} onChange={set} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Time</th><th scope="col">What happened</th><th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => <EventRow key={r.id} r={r} />)}
        </tbody>
      </table>
      {page.data && rows.length === 0 && <p>No events match.</p>}
      {page.data?.nextBeforeId && (
        <button
          type="button"
          className="button"
          onClick={() => {
            setPages((p) => [...p, page.data!.rows])
            setBefore(page.data!.nextBeforeId)
          }}
        >
          Show older events
        </button>
      )}
    </section>
  )
}
