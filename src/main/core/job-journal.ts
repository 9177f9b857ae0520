/**
 * Long jobs that write (a CSV import, a bulk action), recorded in the database so that a crash
 * never leaves half of one behind: the job's row says what it does and for whom, and each slice
 * writes how far it got in the slice's own transaction (the ids an import created, the accounts a
 * bulk action did). While it runs, the job holds a lock of its own (`store.holdLock`), which the
 * operating system or the server lets go of when the process dies however it dies: a running row
 * whose lock can be taken is a job a crash interrupted.
 *
 * The next start of any process on the database (app, harness, CLI; this seat or another) finds
 * such jobs and settles each whole, the way its kind registered: an import is rolled back, a bulk
 * action is reported with the accounts it had done. The settlement is kept as a notice for the
 * job's owner (and the administrators) until they dismiss it.
 *
 * At most one job of a kind runs at once in the whole organisation (a partial unique index): a
 * second is refused with who runs the first and where, unless the first is dead, in which case it
 * is settled on the spot and the second goes ahead.
 */
import { randomUUID } from 'node:crypto'
import type { JobNotice, RecordedJobKind } from '../../shared/admin-dto'
import type { Clock } from './clock'
import { DomainError } from './domain-error'
import { message } from '../../shared/i18n/translate'
import { utcMinute } from '../../shared/words'
import type { HeldLock, Store } from '../store'

export type JobRow = {
  id: string
  kind: RecordedJobKind
  state: string
  owner_id: number | null
  actor: string | null
  workstation: string
  input_name: string | null
  input_digest: string | null
  total: number | null
  details: string
  outcome: string | null
  started_at: number
  finished_at: number | null
  recovered_at: number | null
}

export type SettledState = 'done' | 'failed' | 'cancelled' | 'rolled-back' | 'interrupted'

/** Settles a job a crash interrupted; ends with `settle` in the transaction of its last change. */
export type Recoverer = (job: JobRow, settle: (state: SettledState, outcome: Record<string, unknown>) => Promise<void>) => Promise<void>

export type Starter = { ownerId: number | null; actor: string | null; workstation: string }

export type RunningJob = {
  readonly id: string
  /** In the caller's transaction: users [first, last] were created by this job. */
  created(ranges: readonly (readonly [number, number])[]): Promise<void>
  /** In the caller's transaction: this account was done (skipped: why not). */
  item(userId: number, skipped?: string): Promise<void>
  /** Facts learnt on the way: the input's size and digest, where the job is (details, for its recoverer). */
  describe(facts: { total?: number; inputDigest?: string; details?: Record<string, unknown> }): Promise<void>
  /** In the caller's transaction (or its own): the job's end; its slices' records are dropped. */
  settle(state: SettledState | 'staged', outcome?: Record<string, unknown>): Promise<void>
  /** Lets go of the job's lock (after `settle`, or leaving it running for the next start to settle). */
  release(): Promise<void>
}

const COLUMNS = 'id, kind, state, owner_id, actor, workstation, input_name, input_digest, total, details, outcome, started_at, finished_at, recovered_at'
/** Notices of settled jobs are shown this long, unless dismissed. */
const NOTICE_MS = 7 * 24 * 3_600_000
const lockName = (id: string) => `job:${id}`
/** At a start, a held job lock is tried again this often, this many times (2 s in all). */
const LOCK_GONE_WAIT_MS = 100
const LOCK_GONE_TRIES = 20
/** Each kind as a refusal names it (a select key of staffRefusals.recordedJobRunning: "An import", "A bulk action", "A directory sync"). */
const JOB_KEYS: Record<RecordedJobKind, string> = { 'users-import': 'usersImport', 'users-bulk': 'usersBulk', 'directory-sync': 'directorySync' }

/** The row as the console and the CLI show it. */
export function noticeOf(row: JobRow): JobNotice {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state as JobNotice['state'],
    actor: row.actor,
    workstation: row.workstation,
    inputName: row.input_name,
    total: row.total,
    startedAt: row.started_at,
    settledAt: row.finished_at ?? row.recovered_at ?? row.started_at,
    outcome: row.outcome ? (JSON.parse(row.outcome) as Record<string, unknown>) : {}
  }
}

export function createJobJournal(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps
  const recoverers = new Map<RecordedJobKind, Recoverer>()

  const settleRow = async (id: string, state: string, outcome: Record<string, unknown> | undefined, recovered: boolean) => {
    const now = clock.now()
    await store.run("UPDATE jobs SET state = ?, outcome = ?, finished_at = ?, recovered_at = ? WHERE id = ? AND state = 'running'", [
      state, outcome ? JSON.stringify(outcome) : null, now, recovered ? now : null, id
    ])
    await store.run('DELETE FROM job_ranges WHERE job_id = ?', [id])
    await store.run('DELETE FROM job_items WHERE job_id = ?', [id])
  }

  const stillRunning = async (id: string) => !!(await store.get<{ n: number }>("SELECT 1 AS n FROM jobs WHERE id = ? AND state = 'running'", [id]))

  /** A running job whose lock is free: settled by its kind's recoverer. Null when it is alive (or settled meanwhile). */
  async function recover(row: JobRow): Promise<JobNotice | null> {
    const lock = await store.holdLock(lockName(row.id))
    if (!lock) return null
    try {
      const now = await store.get<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`, [row.id])
      if (now?.state !== 'running') return null
      const recoverer = recoverers.get(now.kind)
      const settle = (state: SettledState, outcome: Record<string, unknown>) => store.transaction(() => settleRow(now.id, state, outcome, true))
      if (recoverer) await recoverer(now, settle)
      else await settle('interrupted', {})
      const settled = await store.get<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`, [row.id])
      return settled && settled.state !== 'running' ? noticeOf(settled) : null
    } finally {
      await lock.release()
    }
  }

  async function refuseOrTakeOver(kind: RecordedJobKind): Promise<void> {
    const running = await store.get<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE kind = ? AND state = 'running'`, [kind])
    if (!running) return
    if (await recover(running)) return
    const still = await store.get<{ n: number }>("SELECT count(*) AS n FROM jobs WHERE id = ? AND state = 'running'", [running.id])
    if (!still?.n) return
    const facts = { kind: JOB_KEYS[kind], workstation: running.workstation, started: utcMinute(running.started_at) }
    throw new DomainError(
      'JOB_RUNNING',
      running.actor ? message('staffRefusals.recordedJobRunningBy', { ...facts, actor: running.actor }) : message('staffRefusals.recordedJobRunning', facts)
    )
  }

  function running(id: string, lock: HeldLock): RunningJob {
    return {
      id,
      async created(ranges) {
        for (const [first, last] of ranges) await store.run('INSERT INTO job_ranges (job_id, first_id, last_id) VALUES (?, ?, ?)', [id, first, last])
      },
      async item(userId, skipped) {
        await store.run('INSERT INTO job_items (job_id, user_id, username, skipped) SELECT ?, id, username, ? FROM users WHERE id = ? ON CONFLICT DO NOTHING', [id, skipped ?? null, userId])
      },
      async describe(facts) {
        if (facts.total !== undefined) await store.run('UPDATE jobs SET total = ? WHERE id = ?', [facts.total, id])
        if (facts.inputDigest !== undefined) await store.run('UPDATE jobs SET input_digest = ? WHERE id = ?', [facts.inputDigest, id])
        if (facts.details !== undefined) await store.run('UPDATE jobs SET details = ? WHERE id = ?', [JSON.stringify(facts.details), id])
      },
      settle: (state, outcome) => store.transaction(() => settleRow(id, state, outcome, false)),
      release: () => lock.release()
    }
  }

  return {
    /** How jobs of `kind` that a crash interrupted are settled at the next start. */
    register(kind: RecordedJobKind, recoverer: Recoverer): void {
      recoverers.set(kind, recoverer)
    },

    /**
     * Records a new running job and takes its lock; refuses (JOB_RUNNING) while a live job of the
     * same kind runs anywhere, and settles a dead one first. The caller settles and releases it.
     */
    async begin(kind: RecordedJobKind, by: Starter, input: { name?: string | null; total?: number | null; details?: Record<string, unknown> } = {}): Promise<RunningJob> {
      const id = randomUUID()
      const lock = (await store.holdLock(lockName(id)))!
      try {
        for (let tries = 0; ; tries++) {
          const inserted = await store.run(
            `INSERT INTO jobs (id, kind, state, owner_id, actor, workstation, input_name, total, details, started_at) VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
            [id, kind, by.ownerId, by.actor, by.workstation, input.name ?? null, input.total ?? null, JSON.stringify(input.details ?? {}), clock.now()]
          )
          if (inserted.changes === 1) return running(id, lock)
          if (tries >= 3) throw new DomainError('JOB_RUNNING', message('staffRefusals.jobKeepsStarting'))
          await refuseOrTakeOver(kind)
        }
      } catch (error) {
        await lock.release()
        throw error
      }
    },

    /**
     * Settles every job a crash interrupted (their locks free); returns what was done, for the caller
     * to say. On PostgreSQL a job whose lock is still held is looked at again for up to 2 s: the
     * server lets go of a killed process's locks only once it notices its connection is gone (a job
     * really running at another seat costs a start those 2 s).
     */
    async recoverAbandoned(): Promise<JobNotice[]> {
      const rows = await store.all<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE state = 'running' ORDER BY started_at`)
      const notices: JobNotice[] = []
      for (const row of rows) {
        let notice = await recover(row)
        for (let tries = 0; !notice && store.kind === 'postgres' && tries < LOCK_GONE_TRIES && (await stillRunning(row.id)); tries++) {
          await new Promise((resolve) => setTimeout(resolve, LOCK_GONE_WAIT_MS))
          notice = await recover(row)
        }
        if (notice) notices.push(notice)
      }
      return notices
    },

    /** The last finished job of `kind` on an input with this digest. */
    lastDone(kind: RecordedJobKind, digest: string): Promise<JobRow | undefined> {
      return store.get<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE kind = ? AND state = 'done' AND input_digest = ? ORDER BY finished_at DESC LIMIT 1`, [kind, digest])
    },

    /** The newest job of `kind`, whatever its state. */
    newest(kind: RecordedJobKind): Promise<JobRow | undefined> {
      return store.get<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE kind = ? ORDER BY started_at DESC, id LIMIT 1`, [kind])
    },

    /** The newest jobs of `kind`, as recorded (`tessera ldap status`). */
    recentOf(kind: RecordedJobKind, limit: number): Promise<JobRow[]> {
      return store.all<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE kind = ? ORDER BY started_at DESC, id LIMIT ?`, [kind, limit])
    },

    /** The newest jobs, whatever their state (`tessera job list`). */
    async recent(limit: number): Promise<(Omit<JobNotice, 'state'> & { state: string })[]> {
      const rows = await store.all<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE state <> 'staged' ORDER BY started_at DESC, id LIMIT ?`, [limit])
      return rows.map(noticeOf)
    },

    /** Jobs settled after an interruption in the last week, not dismissed: the viewer's own, or all for an administrator. */
    async notices(viewer: { id: number; role: string }): Promise<JobNotice[]> {
      const rows = await store.all<JobRow>(
        `SELECT ${COLUMNS} FROM jobs WHERE recovered_at IS NOT NULL AND recovered_at > ? AND seen_at IS NULL AND (owner_id = ? OR ? = 1) ORDER BY recovered_at DESC LIMIT 20`,
        [clock.now() - NOTICE_MS, viewer.id, viewer.role === 'admin' ? 1 : 0]
      )
      return rows.map(noticeOf)
    },

    async dismiss(id: string, viewer: { id: number; role: string }): Promise<void> {
      await store.run('UPDATE jobs SET seen_at = ? WHERE id = ? AND recovered_at IS NOT NULL AND (owner_id = ? OR ? = 1)', [clock.now(), id, viewer.id, viewer.role === 'admin' ? 1 : 0])
    }
  }
}

export type JobJournal = ReturnType<typeof createJobJournal>
