/**
 * The main process's side of the engine's worker thread: starts it, sends each contract call across
 * and resolves it with the worker's `Result`. Calls are not queued here: the worker takes them in
 * order and runs its async work (password hashing, e-mail) concurrently, as in-process.
 */
import { Worker } from 'node:worker_threads'
import type { Channel } from '../../shared/contract'
import { ERROR_MESSAGES, type Result } from '../../shared/errors'
import type { SaveTarget } from '../ipc/handlers'
import type { FromWorker, ToWorker, WorkerOptions } from './protocol'

export type EngineHost = {
  warnings: string[]
  call(conn: string, workstationId: string, channel: unknown, input: unknown, saveTo?: SaveTarget | null): Promise<Result<unknown>>
  setPendingLink(conn: string, token: string | null): void
  disconnect(conn: string): void
  /** Tests: the worker's clock (only when started with `testClockStart`). */
  setClock(now: number): void
  /** Tests: call an engine function by path ("policy.save"), or "sql.get" / "sql.all" / "sql.run". */
  inspect(path: string, ...args: unknown[]): Promise<unknown>
  close(): Promise<void>
}

/** The channels whose answer is a file the user picks first (a save dialog in the main process). */
export const EXPORT_CHANNELS: Partial<Record<Channel, 'users' | 'audit'>> = { 'users:export': 'users', 'audit:export': 'audit' }

export async function startEngineHost(workerFile: string | URL, options: WorkerOptions): Promise<EngineHost> {
  const worker = new Worker(workerFile, { workerData: options })
  const pending = new Map<number, (message: FromWorker) => void>()
  let nextId = 1
  let closed = false
  const send = (message: ToWorker) => worker.postMessage(message)

  const ready = await new Promise<string[]>((resolve, reject) => {
    const first = (message: FromWorker) => {
      if (message.type === 'ready') resolve(message.warnings)
      else if (message.type === 'failed') reject(new Error(message.message))
    }
    worker.once('message', first)
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`the engine worker stopped (exit code ${code})`)))
  })

  worker.on('message', (message: FromWorker) => {
    if (message.type === 'result' || message.type === 'inspected') {
      pending.get(message.id)?.(message)
      pending.delete(message.id)
    }
  })
  worker.on('error', (error) => console.error('[tessera] engine worker failed:', error))
  worker.on('exit', () => {
    closed = true
    // Calls in flight get an answer, not a hang.
    for (const [id, resolve] of pending) resolve({ type: 'result', id, result: { ok: false, code: 'INTERNAL', message: ERROR_MESSAGES.INTERNAL } })
    pending.clear()
  })

  function request<T extends FromWorker>(build: (id: number) => ToWorker): Promise<T> {
    const id = nextId++
    return new Promise<T>((resolve) => {
      if (closed) return resolve({ type: 'result', id, result: { ok: false, code: 'INTERNAL', message: ERROR_MESSAGES.INTERNAL } } as T)
      pending.set(id, resolve as (message: FromWorker) => void)
      send(build(id))
    })
  }

  return {
    warnings: ready,
    async call(conn, workstationId, channel, input, saveTo = null) {
      const answer = await request<Extract<FromWorker, { type: 'result' }>>((id) => ({ type: 'call', id, conn, workstationId, channel, input, saveTo }))
      return answer.result
    },
    setPendingLink: (conn, token) => send({ type: 'pending-link', conn, token }),
    disconnect: (conn) => send({ type: 'disconnect', conn }),
    setClock: (now) => send({ type: 'clock', now }),
    async inspect(path, ...args) {
      const answer = await request<Extract<FromWorker, { type: 'inspected' }>>((id) => ({ type: 'inspect', id, path, args }))
      if (!answer.ok) throw new Error(String(answer.value))
      return answer.value
    },
    async close() {
      if (closed) return
      const done = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
      send({ type: 'shutdown' })
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 10_000))])
      await worker.terminate()
    }
  }
}
