import { useState } from 'react'
import type { ImportReport } from '../../../shared/admin-dto'
import { useApiMutation } from '../api/hooks'
import { Notice } from '../components/ui'

/**
 * CSV import: the file is read (with its progress), then checked and imported by the main process
 * in one transaction: either every row is created or none, with a report of the refused rows.
 */
export function ImportUsers({ onClose }: { onClose: () => void }) {
  const [progress, setProgress] = useState<{ phase: string; value: number | null } | null>(null)
  const [report, setReport] = useState<ImportReport | null>(null)
  const run = useApiMutation('users:import', { invalidates: ['users:list'] })

  function onFile(file: File | undefined) {
    if (!file) return
    setReport(null)
    const reader = new FileReader()
    reader.onprogress = (e) => setProgress({ phase: `Reading ${file.name}`, value: e.lengthComputable ? e.loaded / e.total : null })
    reader.onerror = () => setReport({ ok: false, created: 0, refused: [{ line: 0, username: '', reason: 'The file could not be read.' }] })
    reader.onload = () => {
      setProgress({ phase: 'Checking and importing', value: null })
      run.mutate(
        { csv: String(reader.result) },
        {
          onSuccess: (r) => setReport(r),
          onError: (e) => setReport({ ok: false, created: 0, refused: [{ line: 0, username: '', reason: e.message }] }),
          onSettled: () => setProgress(null)
        }
      )
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
        <input id="import-file" type="file" accept=".csv,text/csv" autoFocus onChange={(e) => onFile(e.target.files?.[0])} disabled={progress !== null} />
      </div>
      {progress && (
        <div className="progress">
          <label htmlFor="import-progress">{progress.phase}…</label>
          <progress id="import-progress" max={1} value={progress.value ?? undefined} />
        </div>
      )}
      {report?.ok && <Notice tone="ok">{report.created.toLocaleString()} users imported.</Notice>}
      {report && !report.ok && (
        <div className="form-error" role="alert">
          Nothing was imported. {report.refused.length} {report.refused.length === 1 ? 'row was' : 'rows were'} refused:
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
          {report.refused.length > 200 && <p>…and {report.refused.length - 200} more.</p>}
        </div>
      )}
      <div className="actions">
        <button type="button" className="button" onClick={onClose}>Close</button>
      </div>
    </div>
  )
}
