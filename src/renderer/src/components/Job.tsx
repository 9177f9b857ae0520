import { useEffect, useRef, useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import type { ExportResult, JobView } from '../../../shared/admin-dto'
import { call, type ApiError } from '../api/client'

/** How often a running job's progress is read. */
const POLL_MS = 250

/**
 * Follows a job started by a call (import, export, full verify) until it ends: its latest view,
 * and a way to cancel it.
 */
export function useJob() {
  const [started, setStarted] = useState<JobView | null>(null)
  const progress = useQuery({
    queryKey: ['jobs:get', started?.id],
    queryFn: () => call('jobs:get', { jobId: started!.id }),
    enabled: started !== null,
    refetchInterval: (q) => (q.state.data?.state === 'running' || q.state.data === undefined ? POLL_MS : false)
  })
  const job = progress.data ?? started
  return {
    job,
    running: job?.state === 'running',
    follow: setStarted,
    cancel: () => job && void call('jobs:cancel', { jobId: job.id }).then(setStarted),
    clear: () => setStarted(null)
  }
}

const UNIT: Record<JobView['kind'], string> = { 'users-import': 'bytes', 'users-export': 'rows', 'audit-export': 'rows', 'audit-verify': 'rows', 'users-bulk': 'accounts', 'directory-sync': 'entries' }

/** A progress bar with what is done out of what, and a Cancel button while the job runs. */
export function JobProgress({ job, label, onCancel }: { job: JobView; label: string; onCancel: () => void }) {
  if (job.state !== 'running') return null
  const id = `job-${job.id}`
  const unit = job.step?.unit ?? UNIT[job.kind]
  const amount = unit === 'bytes' ? `${(job.done / 1e6).toFixed(1)} of ${((job.total ?? 0) / 1e6).toFixed(1)} MB` : `${job.done.toLocaleString()} of ${(job.total ?? 0).toLocaleString()} ${unit}`
  return (
    <div className="progress" role="group" aria-labelledby={`${id}-label`}>
      <label id={`${id}-label`} htmlFor={id}>
        {job.step ? `${label}, ${job.step.label.toLowerCase()}` : label}: {job.total ? amount : job.done ? `${job.done.toLocaleString()} ${job.step?.unit === 'rows' ? 'entries' : unit} so far` : 'starting'}…
      </label>
      <progress id={id} max={job.total ?? 1} value={job.total ? job.done : undefined} />
      <button type="button" className="button" onClick={onCancel}>Cancel</button>
    </div>
  )
}

/**
 * "Export CSV": the engine streams the file to where the user chose (Electron's save dialog) or,
 * in the browser, to a download; meanwhile a progress bar with Cancel.
 */
export function ExportButton({ channel, label }: { channel: 'users:export' | 'audit:export'; label: string }) {
  const { job, running, follow, cancel } = useJob()
  const [problem, setProblem] = useState<string | null>(null)
  const result = job?.state === 'done' ? (job.result as ExportResult) : null
  const downloaded = useRef<string | null>(null)
  useEffect(() => {
    if (!result?.download || downloaded.current === job!.id) return
    downloaded.current = job!.id
    const a = document.createElement('a')
    a.href = result.download
    a.download = ''
    a.click()
  }, [result, job])
  function start() {
    setProblem(null)
    call(channel, {}).then(follow, (e: ApiError) => setProblem(e.code === 'CANCELLED' ? null : e.message))
  }
  return (
    <>
      <button type="button" className="button" onClick={start} disabled={running}>{label}</button>
      {job && <JobProgress job={job} label="Exporting" onCancel={cancel} />}
      {result && <span role="status" className="muted">{result.rows.toLocaleString()} rows exported{result.download ? '' : ` to ${result.file}`}.</span>}
      {job?.state === 'failed' && <span role="alert">{job.error}</span>}
      {problem && <span role="alert">{problem}</span>}
    </>
  )
}
