/**
 * Long work (imports, exports, a full audit verify) as jobs: started by one call, run in slices
 * that give the event loop back between them (so a login or a directory page answers meanwhile),
 * watched through their progress, and cancellable. Each job belongs to the staff member who started
 * it; only they see or cancel it.
 */
import { randomUUID } from 'node:crypto'
import type { JobKind, JobStep, JobView } from '../../shared/admin-dto'
import { DomainError } from './domain-error'
import { encodeWords, message } from '../../shared/i18n/translate'

export type JobControl = {
  readonly signal: AbortSignal
  /** Work done so far, out of `total` (null when unknown), in the job's own unit or the step's. */
  progress(done: number, total: number | null, step?: JobStep): void
  /** Gives the event loop back; throws if the job was cancelled meanwhile. */
  pause(): Promise<void>
}

type Job = JobView & { owner: number; controller: AbortController }

/** Each kind as its refusal names it (a select key of staffRefusals.jobKindRunning). */
const JOB_KEYS: Record<JobKind, string> = {
  'users-import': 'usersImport', 'users-export': 'usersExport', 'audit-export': 'auditExport', 'audit-verify': 'auditVerify', 'users-bulk': 'usersBulk', 'directory-sync': 'directorySync'
}

/** Finished jobs are kept this long for their owner to read the outcome. */
const KEEP_MS = 10 * 60_000

export class JobCancelled extends Error {
  constructor() {
    super('cancelled')
  }
}

export function createJobs(deps: { now: () => number }) {
  const jobs = new Map<string, Job>()
  const running = new Set<Promise<void>>()
  // Jobs take turns: one slice per turn of the event loop, so a call that arrives while three jobs
  // run waits behind one slice, not behind one slice of each.
  const waiting: (() => void)[] = []
  let pumping = false
  function nextTurn(): Promise<void> {
    return new Promise<void>((resolve) => {
      waiting.push(resolve)
      if (pumping) return
      pumping = true
      const pump = () => {
        waiting.shift()?.()
        if (waiting.length) setImmediate(pump)
        else pumping = false
      }
      setImmediate(pump)
    })
  }

  function prune(): void {
    for (const [id, j] of jobs) if (j.finishedAt !== null && deps.now() - j.finishedAt > KEEP_MS) jobs.delete(id)
  }

  function view(j: Job): JobView {
    const { owner: _owner, controller: _controller, ...rest } = j
    return rest
  }

  function own(id: string, owner: number): Job {
    const job = jobs.get(id)
    if (!job || job.owner !== owner) throw new DomainError('NOT_FOUND', message('staffRefusals.noSuchJob'))
    return job
  }

  return {
    /** Starts `work` after the current call has answered; its value becomes the job's result. */
    start(kind: JobView['kind'], owner: number, work: (control: JobControl) => Promise<unknown>): JobView {
      prune()
      const busy = [...jobs.values()].find((j) => j.kind === kind && j.state === 'running')
      if (busy) throw new DomainError('JOB_RUNNING', message('staffRefusals.jobKindRunning', { kind: JOB_KEYS[busy.kind] }))
      const controller = new AbortController()
      const job: Job = { id: randomUUID(), kind, state: 'running', done: 0, total: null, step: null, result: null, error: null, startedAt: deps.now(), finishedAt: null, owner, controller }
      jobs.set(job.id, job)
      const control: JobControl = {
        signal: controller.signal,
        progress(done, total, step) {
          job.done = done
          job.total = total
          job.step = step ?? null
        },
        async pause() {
          await nextTurn()
          if (controller.signal.aborted) throw new JobCancelled()
        }
      }
      const run = (async () => {
        await new Promise<void>((resolve) => setImmediate(resolve))
        try {
          job.result = await work(control)
          job.state = controller.signal.aborted ? 'cancelled' : 'done'
        } catch (error) {
          job.state = error instanceof JobCancelled || controller.signal.aborted ? 'cancelled' : 'failed'
          if (job.state === 'failed') {
            job.error = error instanceof DomainError ? (error.words ? encodeWords(error.words) : error.message) : encodeWords(message('staffRefusals.jobFailed'))
            if (!(error instanceof DomainError)) console.error(`[tessera] ${kind} job failed:`, error)
          }
        } finally {
          job.finishedAt = deps.now()
        }
      })()
      running.add(run)
      void run.finally(() => running.delete(run))
      return view(job)
    },

    get(id: string, owner: number): JobView {
      return view(own(id, owner))
    },

    cancel(id: string, owner: number): JobView {
      const job = own(id, owner)
      if (job.state === 'running') job.controller.abort()
      return view(job)
    },

    /** Cancels every job and waits for them to stop (shutdown, tests). */
    async stop(): Promise<void> {
      this.abortAll()
      await Promise.allSettled([...running])
    },

    abortAll(): void {
      for (const j of jobs.values()) j.controller.abort()
    },

    /** Resolves once no job runs. */
    async idle(): Promise<void> {
      while (running.size) await Promise.allSettled([...running])
    }
  }
}

export type Jobs = ReturnType<typeof createJobs>

/** Control for long work run directly, outside a job (the CLI): never cancelled, progress ignored. */
export function unattended(): JobControl {
  return { signal: new AbortController().signal, progress() {}, pause: () => new Promise<void>((resolve) => setImmediate(resolve)) }
}
