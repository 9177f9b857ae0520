import { useEffect, useState } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import type { ImportReport } from '../../../shared/admin-dto'
import { ROLE_LABELS } from '../../../shared/dto'
import { plural } from '../../../shared/words'
import { call } from '../api/client'
import { downloadText } from '../components/download'
import { JobProgress, useJob } from '../components/Job'
import { Notice } from '../components/ui'

const failed = (reason: string): ImportReport => ({ ok: false, created: 0, refused: [{ line: 0, username: '', reason }], refusedCount: 1 })

/** What a file should look like: the header, and one row per kind of value. */
const TEMPLATE = 'username,email,display_name,role,phone\r\ngrace,grace@example.org,Grace Hopper,user,+1 555 0100\r\nhedy,hedy@example.org,Hedy Lamarr,helpdesk,\r\n'

/**
 * CSV import in two steps: the file is checked in the engine first (every row, and against the
 * directory) and its first rows and every refusal shown, with nothing written; then, when nothing
 * is refused, "Import" creates every user, as a job with progress and Cancel. All or nothing.
 */
export function ImportUsers({ onClose }: { onClose: () => void }) {
  const [reading, setReading] = useState<number | null>(null)
  const [problem, setProblem] = useState<ImportReport | null>(null)
  const check = useJob()
  const load = useJob()
  const client = useQueryClient()
  const job = load.job ?? check.job
  const checked = check.job?.state === 'done' ? (check.job.result as ImportReport) : null
  const imported = load.job?.state === 'done' ? (load.job.result as ImportReport) : null
  const report = problem ?? imported ?? checked ?? (job?.state === 'failed' ? failed(job.error ?? 'The import failed.') : null)
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
    reader.onerror = () => setProblem(failed('The file could not be read.'))
    reader.onload = () => {
      setReading(null)
      checkText(String(reader.result), chosen.name)
    }
    reader.readAsText(chosen)
  }

  return (
    <div className="panel subform" role="region" aria-labelledby="import-title">
      <h2 id="import-title">Import users from CSV</h2>
      <p>
        The first line names the columns <code>username,email,display_name,role</code>, and optionally <code>phone</code> (role: user, helpdesk or admin).{' '}
        <button type="button" className="link-button" onClick={() => downloadText('tessera-users-template.csv', TEMPLATE)}>Download a template</button>. The file is checked
        first and nothing is written until you confirm; if any row is refused, nothing is imported. Imported users get no password: send each a registration link.
      </p>
      <div className="field">
        <label htmlFor="import-file">CSV file</label>
        <input id="import-file" type="file" accept=".csv,text/csv" autoFocus onChange={(e) => onFile(e.target.files?.[0])} disabled={reading !== null || check.running || load.running} />
      </div>
      {reading !== null && (
        <div className="progress">
          <label htmlFor="import-reading">Reading the file…</label>
          <progress id="import-reading" max={1} value={reading} />
        </div>
      )}
      {check.job && <JobProgress job={check.job} label="Checking" onCancel={check.cancel} />}
      {load.job && <JobProgress job={load.job} label="Importing" onCancel={load.cancel} />}
      {load.job?.state === 'cancelled' && <Notice tone="info">The import was cancelled: no user was added.</Notice>}
      {report && <ImportOutcome report={report} />}
      <div className="actions">
        {checked?.ok && !load.job && (
          <button type="button" className="button button--primary button--inline" onClick={confirm}>
            Import {plural(checked.wouldCreate ?? 0, 'user')}
          </button>
        )}
        <button type="button" className="button" onClick={onClose}>Close</button>
      </div>
    </div>
  )
}

function ImportOutcome({ report }: { report: ImportReport }) {
  if (report.ok && report.created > 0) return <Notice tone="ok">{plural(report.created, 'user')} imported.</Notice>
  if (report.ok) {
    return (
      <div className="notice notice--info" role="status">
        The file is ready: {plural(report.wouldCreate ?? 0, 'user')} would be created. The first rows, as they will be imported:
        <Preview report={report} />
      </div>
    )
  }
  return (
    <div className="form-error" role="alert">
      Nothing was imported. {report.refusedCount.toLocaleString()} {report.refusedCount === 1 ? 'row was' : 'rows were'} refused:
      <table className="report">
        <thead>
          <tr><th scope="col">Line</th><th scope="col">Username</th><th scope="col">Why</th></tr>
        </thead>
        <tbody>
          {report.refused.slice(0, 200).map((r, i) => (
            <tr key={i}><td>{r.line || '—'}</td><td>{r.username || '—'}</td><td>{r.reason}</td></tr>
          ))}
        </tbody>
      </table>
      {report.refusedCount > 200 && <p>…and {(report.refusedCount - 200).toLocaleString()} more.</p>}
    </div>
  )
}

function Preview({ report }: { report: ImportReport }) {
  return (
    <table className="report">
      <thead>
        <tr><th scope="col">Line</th><th scope="col">Username</th><th scope="col">E-mail</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Phone</th></tr>
      </thead>
      <tbody>
        {(report.preview ?? []).map((r) => (
          <tr key={r.line}><td>{r.line}</td><td>{r.username}</td><td>{r.email}</td><td>{r.displayName}</td><td>{ROLE_LABELS[r.role]}</td><td>{r.phone ?? '—'}</td></tr>
        ))}
      </tbody>
    </table>
  )
}
