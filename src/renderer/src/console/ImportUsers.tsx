import { useEffect, useState } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import type { ImportReport } from '../../../shared/admin-dto'
import { ROLE_WORDS } from '../../../shared/i18n/labels'
import { call } from '../api/client'
import { downloadText } from '../components/download'
import { JobProgress, useJob } from '../components/Job'
import { FileField } from '../components/forms'
import { Notice } from '../components/ui'
import { useT } from '../i18n'

const failed = (reason: string): ImportReport => ({ ok: false, created: 0, refused: [{ line: 0, username: '', reason }], refusedCount: 1 })

/** What a file should look like: the header, and one row per kind of value. */
const TEMPLATE = 'username,email,display_name,role,phone\r\ngrace,grace@example.org,Grace Hopper,user,+1 555 0100\r\nhedy,hedy@example.org,Hedy Lamarr,helpdesk,\r\n'

/**
 * CSV import in two steps: the file is checked in the engine first (every row, and against the
 * directory) and its first rows and every refusal shown, with nothing written; then, when nothing
 * is refused, "Import" creates every user, as a job with progress and Cancel. All or nothing.
 */
export function ImportUsers({ onClose }: { onClose: () => void }) {
  const words = useT()
  const [reading, setReading] = useState<number | null>(null)
  const [problem, setProblem] = useState<ImportReport | null>(null)
  const check = useJob()
  const load = useJob()
  const client = useQueryClient()
  const job = load.job ?? check.job
  const checked = check.job?.state === 'done' ? (check.job.result as ImportReport) : null
  const imported = load.job?.state === 'done' ? (load.job.result as ImportReport) : null
  const report = problem ?? imported ?? checked ?? (job?.state === 'failed' ? failed(job.error ? words.sayText(job.error) : words.t('users.import.failed')) : null)
  useEffect(() => {
    if (load.job?.state === 'done') void client.invalidateQueries({ queryKey: ['users:list'] })
  }, [load.job?.state, client])

  /** The file is checked (nothing written); when nothing is refused it waits in the engine for `confirm`. */
  function checkText(text: string, fileName: string) {
    setProblem(null)
    call('users:import', { csv: text, dryRun: true, fileName }).then(check.follow, (e: Error) => setProblem(failed(e.message)))
  }

  function confirm() {
    setProblem(null)
    call('users:import-confirm', {}).then(load.follow, (e: Error) => setProblem(failed(e.message)))
  }

  function onFile(chosen: File | undefined) {
    if (!chosen) return
    setProblem(null)
    load.clear()
    const reader = new FileReader()
    reader.onprogress = (e) => setReading(e.lengthComputable ? e.loaded / e.total : 0)
    reader.onerror = () => setProblem(failed(words.t('users.import.unreadable')))
    reader.onload = () => {
      setReading(null)
      checkText(String(reader.result), chosen.name)
    }
    reader.readAsText(chosen)
  }

  return (
    <div className="panel subform" role="region" aria-labelledby="import-title">
      <h2 id="import-title">{words.t('users.import.title')}</h2>
      <p>
        {words.t('users.import.intro.columns')}<code translate="no">username,email,display_name,role</code>{words.t('users.import.intro.optional')}<code translate="no">phone</code>
        {words.t('users.import.intro.roles')}
        <button type="button" className="link-button" onClick={() => downloadText('tessera-users-template.csv', TEMPLATE)}>{words.t('users.import.template')}</button>
        {words.t('users.import.intro.after')}
      </p>
      <FileField label={words.t('users.import.file')} name="import-file" accept=".csv,text/csv" autoFocus onFile={onFile} disabled={reading !== null || check.running || load.running} />
      {reading !== null && (
        <div className="progress">
          <label htmlFor="import-reading">{words.t('users.import.reading')}</label>
          <progress id="import-reading" max={1} value={reading} />
        </div>
      )}
      {check.job && <JobProgress job={check.job} label={words.t('users.import.checking')} onCancel={check.cancel} />}
      {load.job && <JobProgress job={load.job} label={words.t('users.import.importing')} onCancel={load.cancel} />}
      {load.job?.state === 'cancelled' && <Notice tone="info">{words.t('users.import.cancelled')}</Notice>}
      {report && <ImportOutcome report={report} />}
      <div className="actions">
        {checked?.ok && !load.job && (
          <button type="button" className="button button--primary button--inline" onClick={confirm}>
            {words.t('users.import.confirm', { count: checked.wouldCreate ?? 0 })}
          </button>
        )}
        <button type="button" className="button" onClick={onClose}>{words.t('users.close')}</button>
      </div>
    </div>
  )
}

function ImportOutcome({ report }: { report: ImportReport }) {
  const words = useT()
  if (report.ok && report.created > 0) return <Notice tone="ok">{words.t('users.import.imported', { count: report.created })}</Notice>
  if (report.ok) {
    return (
      <div className="notice notice--info" role="status">
        {words.t('users.import.ready', { count: report.wouldCreate ?? 0 })}
        <Preview report={report} />
      </div>
    )
  }
  return (
    <div className="form-error" role="alert">
      {words.t('users.import.refused', { count: report.refusedCount })}
      <table className="report">
        <thead>
          <tr><th scope="col">{words.t('users.import.line')}</th><th scope="col">{words.t('users.field.username')}</th><th scope="col">{words.t('users.import.why')}</th></tr>
        </thead>
        <tbody>
          {/* The reasons are the engine's: worded in this language when they come as messages, else as they were sent. */}
          {report.refused.slice(0, 200).map((r, i) => (
            <tr key={i}><td>{r.line || '—'}</td><td translate="no">{r.username || '—'}</td><td>{words.sayText(r.reason)}</td></tr>
          ))}
        </tbody>
      </table>
      {report.refusedCount > 200 && <p>{words.t('users.import.refusedMore', { count: report.refusedCount - 200 })}</p>}
    </div>
  )
}

function Preview({ report }: { report: ImportReport }) {
  const words = useT()
  return (
    <table className="report">
      <thead>
        <tr>
          <th scope="col">{words.t('users.import.line')}</th><th scope="col">{words.t('users.field.username')}</th><th scope="col">{words.t('users.field.email')}</th>
          <th scope="col">{words.t('users.field.name')}</th><th scope="col">{words.t('users.field.role')}</th><th scope="col">{words.t('users.field.phone')}</th>
        </tr>
      </thead>
      <tbody>
        {(report.preview ?? []).map((r) => (
          <tr key={r.line}>
            <td>{r.line}</td><td translate="no">{r.username}</td><td translate="no">{r.email}</td><td translate="no">{r.displayName}</td><td>{words.t(ROLE_WORDS[r.role])}</td>
            <td translate="no">{r.phone ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
