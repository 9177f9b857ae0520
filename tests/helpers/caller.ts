import type { Channel, Input, Output } from '../../src/shared/contract'
import type { Result } from '../../src/shared/errors'
import type { Engine } from '../../src/main/core/engine'
import { dispatch } from '../../src/main/ipc/dispatch'
import { createHandlerTable, type Connection } from '../../src/main/ipc/handlers'

/** Calls the real handler table in-process, as one window (connection) would. */
export function connect(engine: Engine, workstationId = 'ws-test') {
  const table = createHandlerTable(engine)
  const conn: Connection = { sessionId: null }
  async function call<C extends Channel>(channel: C, input: Input<C>): Promise<Result<Output<C>>> {
    return (await dispatch(table, engine, { conn, workstationId }, channel, input)) as Result<Output<C>>
  }
  /** Like call, but fails the test with the refusal's message when the call is refused. */
  async function ok<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
    const r = await call(channel, input)
    if (!r.ok) throw new Error(`${channel} refused: ${r.code} ${r.message}`)
    return r.value
  }
  return { conn, call, ok, raw: (channel: unknown, input: unknown) => dispatch(table, engine, { conn, workstationId }, channel, input) }
}

export const ADMIN = {
  username: 'ada',
  email: 'ada@example.org',
  displayName: 'Ada Lovelace',
  password: 'analytical engine notes'
}
