import { useEffect, useState } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import type { ImportReport } from '../../../shared/admin-dto'
import { call } from '../api/client'
import { JobProgress, useJob } from '../components/Job'
import { Notice } from '../components/ui'

const failed = (reason: string): ImportReport => ({ ok: false, created: 0, refused: [{ line: 0, username: '', reason }], refusedCount: 1 })

/**
 * CSV import: the file is read, then checked row by row and imported as a job in the engine (with
 * its progress and a Cancel button): either every row is created or none, with a report of the
 * refused rows.
 */
export function ImportUsers({ onClose }: { onClose: () => void }) {
  const [reading, setReading] = useState<number | null>(null)
  const [problem, setProblem] = useState<ImportReport | null>(null)
  const { job, running, follow, cancel } = useJob()
  const client = useQueryClient()
  const report = problem ?? (job?.state === 'done' ? (job.result as ImportReport) : job?.state === 'failed' ? failed(job.error ?? 'The import failed.') : null)
  useEffect(() => {
    if (job?.state === 'done') void client.invalidateQueries({ queryKey: ['users:list'] })
  }, [job?.state, client])

  function onFile(file: File | undefined) {
    if (!file) return
    setProblem(null)
    const reader = new FileReader()
    reader.onprogress = (e) => setReading(e.lengthComputable ? e.loaded / e.total : 0)
    reader.onerror = () => setProblem(failed('The file could not be read.'))
    reader.onload = () => {
      setReading(null)
      call('users:import', { csv: String(reader.result) }).then(follow, (e: Error) => setProblem(failed(e.message)))
    }
    reader.readAsText(file)
  }

  return (
    <div className="panel subform" role="region" aria-labelledby="import-title">
      <h2 id="import-title">Import users from CSV</h2>
      <p>
        The first line names the columns <code>username,email,display_name,role</code> (role: user, helpdesk or admin). If any row is refused,
        nothing is imported: fix the file and try again. Imported users receive no password: send each a registration link.
      </p>
      <div className="field">
        <label htmlFor="import-file">CSV file</label>
        <input id="import-file" type="file" accept=".csv,text/csv" autoFocus onChange={(e) => onFile(e.target.files?.[0])} disabled={reading !== null || running} />
      </div>
      {reading !== null && (
        <div className="progress">
          <label htmlFor="import-reading">Reading the file…</label>
          <progress id="import-reading" max={1} value={reading} />
        </div>
      )}
      {job && <JobProgress job={job} label="Checking and importing" onCancel={cancel} />}
      {job?.state === 'cancelled' && <Notice tone="info">The import was cancelled: no user was added.</Notice>}
      {report?.ok && <Notice tone="ok">{report.created.toLocaleString()} users imported.</Notice>}
      {report && !report.ok && (
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
      )}
      <div className="actions">
        <button type="button" className="button" onClick={onClose}>Close</button>
      </div>
    </div>
  )
}
