/**
 * Rule: a long job's lock is held while its process lives and not a moment longer, whichever
 * process asks and however the holder ends; so one job of a kind runs at a time across processes,
 * a second is told who runs the first and where, and a job whose process died is settled by the
 * next one that starts (or that wants to run the same kind of job).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createJobJournal } from '../../src/main/core/job-journal'
import { systemClock } from '../../src/main/core/clock'
import type { StoreTarget } from '../../src/main/store'
import { STORE_KINDS, testStore, type TestStore } from '../helpers/stores'

const HOLDER = join(import.meta.dirname, '..', 'helpers', 'children', 'job-holder.ts')
const children: ChildProcess[] = []
afterEach(() => children.splice(0).forEach((c) => c.kill('SIGKILL')))

/** A child process holding `what`; resolves with what it printed first ("held" or "refused"), and the child. */
function holder(target: StoreTarget, what: { lock: string } | { job: 'users-import' }): Promise<{ said: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, JSON.stringify({ target, ...what })], { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve({ said: String(d).trim(), child }))
    child.once('exit', (code) => reject(new Error(`the holder exited ${code}`)))
  })
}
const killed = (child: ChildProcess) => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGKILL')))
const targetOf = (t: TestStore): StoreTarget => ('databaseFile' in t.target ? t.target : { databaseUrl: t.target.databaseUrl })

describe.skipIf(process.env['TESSERA_TEST_STORE'] === 'postgres').each(STORE_KINDS)('held locks and recorded jobs on %s', { timeout: 30_000 }, (kind) => {
  it('holds a lock against this process and others until released, and lets go when its holder is killed', async () => {
    const t = await testStore(kind)
    try {
      const mine = (await t.store.holdLock('job:a'))!
      expect(await t.store.holdLock('job:a')).toBeNull()
      expect((await holder(targetOf(t), { lock: 'job:a' })).said).toBe('refused')
      await mine.release()
      const other = await holder(targetOf(t), { lock: 'job:a' })
      expect(other.said).toBe('held')
      expect(await t.store.holdLock('job:a')).toBeNull()
      expect(await t.store.holdLock('job:b')).not.toBeNull()
      await killed(other.child)
      const after = await t.store.holdLock('job:a')
      expect(after).not.toBeNull()
      await after!.release()
    } finally {
      await t.dispose()
    }
  })

  it('refuses a second job of a kind while another process runs one, and settles it once that process is dead', async () => {
    const t = await testStore(kind)
    try {
      const journal = createJobJournal({ store: t.store, clock: systemClock })
      const other = await holder(targetOf(t), { job: 'users-import' })
      expect(other.said).toBe('held')
      await expect(journal.begin('users-import', { ownerId: null, actor: 'ada', workstation: 'desk-1' })).rejects.toThrow(/^An import is already running \(started by grace at kiosk-2, .* UTC\)/)
      // Another kind of job is not held up by it.
      const bulk = await journal.begin('users-bulk', { ownerId: null, actor: 'ada', workstation: 'desk-1' })
      await bulk.settle('done')
      await bulk.release()
      expect(await journal.recoverAbandoned()).toEqual([])
      await killed(other.child)
      const mine = await journal.begin('users-import', { ownerId: null, actor: 'ada', workstation: 'desk-1' })
      const states = await t.store.all<{ actor: string; state: string }>("SELECT actor, state FROM jobs WHERE kind = 'users-import' ORDER BY started_at")
      expect(states).toEqual([{ actor: 'grace', state: 'interrupted' }, { actor: 'ada', state: 'running' }])
      // Kept as a notice for the administrators (the job had no owner), until one dismisses it.
      const notices = await journal.notices({ id: 99, role: 'admin' })
      expect(notices.map((n) => [n.actor, n.workstation, n.state, n.inputName])).toEqual([['grace', 'kiosk-2', 'interrupted', 'people.csv']])
      expect(await journal.notices({ id: 99, role: 'helpdesk' })).toEqual([])
      await journal.dismiss(notices[0]!.id, { id: 99, role: 'admin' })
      expect(await journal.notices({ id: 99, role: 'admin' })).toEqual([])
      await mine.settle('done')
      await mine.release()
    } finally {
      await t.dispose()
    }
  })
})
