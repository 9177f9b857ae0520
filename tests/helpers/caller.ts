import type { Channel, Input, Output } from '../../src/shared/contract'
import type { Result } from '../../src/shared/errors'
import { join } from 'node:path'
import type { JobView } from '../../src/shared/admin-dto'
import type { Engine } from '../../src/main/core/engine'
import { dispatch } from '../../src/main/ipc/dispatch'
import { createHandlerTable, type Connection } from '../../src/main/ipc/handlers'

/** Calls the real handler table in-process, as one window (connection) would. */
export function connect(engine: Engine, workstationId = 'ws-test') {
  const table = createHandlerTable(engine)
  const conn: Connection = { sessionId: null }
  let exports = 0
  // Exports go to a fresh file in the data directory, as if picked in a save dialog.
  const saveTo = async (kind: string) => ({ file: join(engine.dataDir, `export-${kind}-${++exports}.csv`), download: null })
  const ctx = { conn, workstationId, saveTo }
  async function call<C extends Channel>(channel: C, input: Input<C>): Promise<Result<Output<C>>> {
    return (await dispatch(table, engine, ctx, channel, input)) as Result<Output<C>>
  }
  /** Like call, but fails the test with the refusal's message when the call is refused. */
  async function ok<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
    const r = await call(channel, input)
    if (!r.ok) throw new Error(`${channel} refused: ${r.code} ${r.message}`)
    return r.value
  }
  /** Starts a job through `channel`, waits for it to end and returns its final view. */
  async function job<C extends Channel>(channel: C, input: Input<C>): Promise<JobView> {
    const started = (await ok(channel, input)) as JobView
    await engine.jobs.idle()
    return ok('jobs:get', { jobId: started.id })
  }
  /** The result of a job that must succeed. */
  async function jobResult<T>(channel: Channel, input: Input<Channel>): Promise<T> {
    const done = await job(channel, input)
    if (done.state !== 'done') throw new Error(`${channel} job ${done.state}: ${done.error}`)
    return done.result as T
  }
  return { engine, conn, call, ok, job, jobResult, raw: (channel: unknown, input: unknown) => dispatch(table, engine, ctx, channel, input) }
}

export const ADMIN = {
  username: 'ada',
  email: 'ada@example.org',
  displayName: 'Ada Lovelace',
  password: 'analytical engine notes'
}
