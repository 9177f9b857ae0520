import { Fragment, useState } from 'react'
import type { AuditEntryView, AuditVerification } from '../../../shared/admin-dto'
import { eventFacts, eventSentence } from '../../../shared/audit-events'
import { call } from '../api/client'
import { useApiMutation, useApiQuery } from '../api/hooks'
import { formatDateTime } from '../components/ui'
import { ExportButton, JobProgress, useJob } from '../components/Job'
import { useT } from '../i18n'
import type { MessageId, Translator } from '../../../shared/i18n/translate'

/** The event filter's groups: the prefix the engine matches, and the group's name. */
const EVENT_GROUPS: [string, MessageId][] = [
  ['', 'audit.group.all'],
  ['login.', 'audit.group.login'],
  ['lock', 'audit.group.lock'],
  ['enrol', 'audit.group.enrol'],
  ['two-factor.', 'audit.group.two-factor'],
  ['access-code.', 'audit.group.access-code'],
  ['lost-device.', 'audit.group.lost-device'],
  ['recovery-codes.', 'audit.group.recovery-codes'],
  ['user.', 'audit.group.user'],
  ['policy.', 'audit.group.policy'],
  ['password.', 'audit.group.password']
]

function dayStart(value: string): number | null {
  return value ? new Date(`${value}T00:00:00`).getTime() : null
}

/** One row: when, what happened as a sentence, and its details (the raw event id among them). */
function EventRow({ r }: { r: AuditEntryView }) {
  const words = useT()
  return (
    <tr>
      <td><time dateTime={new Date(r.at).toISOString()}>{formatDateTime(r.at)}</time></td>
      <td>{eventSentence(r, words, formatDateTime)}</td>
      <td className="details">
        <details>
          <summary>{words.t('audit.screen.details')}<span className="visually-hidden">{words.t('audit.screen.detailsOf', { id: r.id })}</span></summary>
          <dl className="facts facts--small">
            <dt>{words.t('audit.screen.fact.event')}</dt><dd><code>{r.event}</code></dd>
            <dt>{words.t('audit.screen.fact.row')}</dt><dd>{r.id}</dd>
            <dt>{words.t('audit.screen.fact.actor')}</dt><dd>{r.actor ?? '—'}</dd>
            <dt>{words.t('audit.screen.fact.subject')}</dt><dd>{r.subject ?? '—'}</dd>
            <dt>{words.t('audit.screen.fact.workstation')}</dt><dd>{r.workstation ?? '—'}</dd>
            {eventFacts(r.details, words, formatDateTime).map(([k, v]) => <Fragment key={k}><dt>{k}</dt><dd>{v}</dd></Fragment>)}
          </dl>
        </details>
      </td>
    </tr>
  )
}

function verdictWords(words: Translator, v: AuditVerification): string {
  if (!v.ok) return words.t('audit.screen.tampered', { row: v.brokenAt ?? 0, problem: words.sayText(v.problem ?? '') })
  return v.since === null ? words.t('audit.screen.intact', { rows: v.rows }) : words.t('audit.screen.intactSince', { rows: v.rows, checked: v.checked, since: v.since })
}

type Filters = { event: string; actor: string; subject: string; from: string; to: string }

/** What the log is narrowed to: an event group, who did it, to whom, between which days. */
function AuditFilters({ filters, onChange: set }: { filters: Filters; onChange: (k: keyof Filters) => (e: { target: { value: string } }) => void }) {
  const words = useT()
  const username = words.t('audit.screen.filter.username')
  return (
    <div className="toolbar" role="search">
      <div className="field field--inline">
        <label htmlFor="audit-event">{words.t('audit.screen.filter.event')}</label>
        <select id="audit-event" value={filters.event} onChange={set('event')}>
          {EVENT_GROUPS.map(([v, l]) => <option key={v} value={v}>{words.t(l)}</option>)}
        </select>
      </div>
      <div className="field field--inline">
        <label htmlFor="audit-actor">{words.t('audit.screen.filter.actor')}</label>
        <input id="audit-actor" value={filters.actor} onChange={set('actor')} placeholder={username} />
      </div>
      <div className="field field--inline">
        <label htmlFor="audit-subject">{words.t('audit.screen.filter.subject')}</label>
        <input id="audit-subject" value={filters.subject} onChange={set('subject')} placeholder={username} />
      </div>
      <div className="field field--inline">
        <label htmlFor="audit-from">{words.t('audit.screen.filter.from')}</label>
        <input id="audit-from" type="date" value={filters.from} onChange={set('from')} />
      </div>
      <div className="field field--inline">
        <label htmlFor="audit-to">{words.t('audit.screen.filter.to')}</label>
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
  const words = useT()
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
        <h1 id="audit-title">{words.t('audit.screen.title')}</h1>
        <div className="actions">
          <button type="button" className="button" onClick={() => verify.mutate({})} disabled={verify.isPending || full.running}>{words.t('audit.screen.verify')}</button>
          <button type="button" className="button" onClick={() => void call('audit:verify-full', {}).then(full.follow)} disabled={full.running}>
            {words.t('audit.screen.fullVerify')}
          </button>
          {/* The CSV's sentence column in this screen's language. */}
          <ExportButton channel="audit:export" input={{ language: words.locale }} label={words.t('audit.screen.export')} />
        </div>
      </div>
      {full.job && <JobProgress job={full.job} label={words.t('audit.screen.verifying')} onCancel={full.cancel} />}
      {verdict && (
        <div className={verdict.ok ? 'notice notice--ok' : 'form-error'} role={verdict.ok ? 'status' : 'alert'}>
          {verdictWords(words, verdict)}
        </div>
      )}
      <AuditFilters filters={filters} onChange={set} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{words.t('audit.screen.col.time')}</th><th scope="col">{words.t('audit.screen.col.what')}</th><th scope="col">{words.t('audit.screen.col.details')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => <EventRow key={r.id} r={r} />)}
        </tbody>
      </table>
      {page.data && rows.length === 0 && <p>{words.t('audit.screen.none')}</p>}
      {page.data?.nextBeforeId && (
        <button
          type="button"
          className="button"
          onClick={() => {
            setPages((p) => [...p, page.data!.rows])
            setBefore(page.data!.nextBeforeId)
          }}
        >
          {words.t('audit.screen.older')}
        </button>
      )}
    </section>
  )
}
