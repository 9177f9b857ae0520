import { useEffect, useRef, useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import type { ExportResult, JobView } from '../../../shared/admin-dto'
import type { Input } from '../../../shared/contract'
import { call, type ApiError } from '../api/client'
import type { MessageId, Translator } from '../../../shared/i18n/translate'
import { useT } from '../i18n'

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

type Unit = 'bytes' | 'rows' | 'accounts' | 'entries'
const UNIT: Record<JobView['kind'], Unit> = { 'users-import': 'bytes', 'users-export': 'rows', 'audit-export': 'rows', 'audit-verify': 'rows', 'users-bulk': 'accounts', 'directory-sync': 'entries' }

/** The steps the engine names (in English), as they read inside the progress line. */
const STEP_WORDS = {
  'Reading the directory': 'account.job.step.readingDirectory',
  'Comparing with the directory': 'account.job.step.comparing',
  'Reading the file': 'account.job.step.readingFile',
  'Creating users': 'account.job.step.creatingUsers'
} as const satisfies Record<string, MessageId>

/** A step's name in the screen's language: a known step's words, an encoded message, or the engine's text as it is. */
function stepWords(words: Translator, label: string): string {
  return Object.hasOwn(STEP_WORDS, label) ? words.t(STEP_WORDS[label as keyof typeof STEP_WORDS]) : words.sayText(label).toLowerCase()
}

/** What is done out of what ("120 of 4,000 rows", "1.5 of 8.0 MB"), so far when the total is unknown, or "starting". */
function amountWords(words: Translator, job: JobView, unit: Unit): string {
  const { t } = words
  const done = job.done
  if (job.total) {
    const total = job.total
    const mb = (n: number) => words.intl.formatNumber(n / 1e6, { minimumFractionDigits: 1, maximumFractionDigits: 1 })
    if (unit === 'bytes') return t('account.job.megabytes', { done: mb(done), total: mb(total) })
    if (unit === 'accounts') return t('account.job.amount.accounts', { done, total })
    if (unit === 'entries') return t('account.job.amount.entries', { done, total })
    return t('account.job.amount.rows', { done, total })
  }
  if (!done) return t('account.job.starting')
  if (unit === 'bytes') return t('account.job.soFar.bytes', { done })
  if (unit === 'accounts') return t('account.job.soFar.accounts', { done })
  return t('account.job.soFar.entries', { done })
}

/** A progress bar with what is done out of what, and a Cancel button while the job runs. */
export function JobProgress({ job, label, onCancel }: { job: JobView; label: string; onCancel: () => void }) {
  const words = useT()
  if (job.state !== 'running') return null
  const id = `job-${job.id}`
  const amount = amountWords(words, job, job.step?.unit ?? UNIT[job.kind])
  return (
    <div className="progress" role="group" aria-labelledby={`${id}-label`}>
      <label id={`${id}-label`} htmlFor={id}>
        {job.step ? words.t('account.job.progressStep', { label, step: stepWords(words, job.step.label), amount }) : words.t('account.job.progress', { label, amount })}
      </label>
      <progress id={id} max={job.total ?? 1} value={job.total ? job.done : undefined} />
      <button type="button" className="button" onClick={onCancel}>{words.t('account.cancel')}</button>
    </div>
  )
}

/**
 * "Export CSV": the engine streams the file to where the user chose (Electron's save dialog) or,
 * in the browser, to a download; meanwhile a progress bar with Cancel.
 */
export function ExportButton<C extends 'users:export' | 'audit:export'>({ channel, input, label }: { channel: C; input: Input<C>; label: string }) {
  const words = useT()
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
    call(channel, input).then(follow, (e: ApiError) => setProblem(e.code === 'CANCELLED' ? null : e.message))
  }
  return (
    <>
      <button type="button" className="button" onClick={start} disabled={running}>{label}</button>
      {job && <JobProgress job={job} label={words.t('account.job.exporting')} onCancel={cancel} />}
      {result && (
        <span role="status" className="muted">
          {result.download ? words.t('account.job.exported', { count: result.rows }) : words.t('account.job.exportedTo', { count: result.rows, file: result.file })}
        </span>
      )}
      {job?.state === 'failed' && <span role="alert">{words.sayText(job.error ?? '')}</span>}
      {problem && <span role="alert">{problem}</span>}
    </>
  )
}
