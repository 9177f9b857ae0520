/**
 * The handler table: one entry per contract channel (a missing one is a compile error), each with
 * the access it requires. Handlers call the engine; they never see the transport.
 */
import type { Channel, Output, ParsedInput } from '../../shared/contract'
import type { Role, SessionInfo } from '../../shared/dto'
import type { Engine } from '../core/engine'
import type { Session } from '../core/sessions'
import type { UserRow } from '../db/queries/users'

/** One per window (Electron) or per browser context (harness): where the session id lives. */
export type Connection = { sessionId: string | null }

export type CallContext = { conn: Connection; workstationId: string }

export type Caller = { session: Session | null; user: UserRow | null }

export type Call = CallContext & Caller

/** 'public': anyone; 'signed-in': any signed-in user; a list: only those roles. */
export type Access = 'public' | 'signed-in' | readonly Role[]

type Handler<C extends Channel> = {
  access: Access
  handle(input: ParsedInput<C>, call: Call): Promise<Output<C>> | Output<C>
}

export type HandlerTable = { [C in Channel]: Handler<C> }

export function sessionInfo(session: Session, user: UserRow): SessionInfo {
  return {
    user: { id: user.id, username: user.username, email: user.email, displayName: user.display_name, role: user.role },
    startedAt: session.startedAt
  }
}

export function createHandlerTable(engine: Engine): HandlerTable {
  const { accounts, sessions } = engine

  function startSession(call: Call, user: UserRow): SessionInfo {
    sessions.end(call.conn.sessionId)
    const session = sessions.create(user.id)
    call.conn.sessionId = session.id
    return sessionInfo(session, user)
  }

  return {
    'app:status': {
      access: 'public',
      handle: (_input, call) => ({
        initialized: accounts.isInitialized(),
        session: call.session && call.user ? sessionInfo(call.session, call.user) : null
      })
    },
    'setup:create-admin': {
      access: 'public',
      async handle(input, call) {
        return startSession(call, await accounts.createFirstAdmin(input))
      }
    },
    'auth:login': {
      access: 'public',
      async handle(input, call) {
        return startSession(call, await accounts.checkPassword(input.identifier, input.password))
      }
    },
    'auth:logout': {
      access: 'public',
      handle(_input, call) {
        sessions.end(call.conn.sessionId)
        call.conn.sessionId = null
        return null
      }
    }
  }
}
