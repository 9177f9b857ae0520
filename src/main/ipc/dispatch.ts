/**
 * The transport-free half of IPC: validate a call against the contract, resolve the caller's
 * session and role, run the handler, and turn every outcome into a Result. Electron's ipcMain, the
 * browser harness and the contract tests all go through `dispatch`, so none of them can skip a check.
 */
import { contract, isChannel, type Channel } from '../../shared/contract'
import { PASSIVE_CHANNELS } from '../../shared/channels'
import { ERROR_MESSAGES, type Failure, type Result } from '../../shared/errors'
import { problemsByField } from '../../shared/validation'
import { decodeWords, translator } from '../../shared/i18n/translate'
import { DomainError } from '../core/domain-error'
import type { Engine } from '../core/engine'
import type { CallContext, Caller, HandlerTable } from './handlers'

function fail(code: Failure['code'], message: string = ERROR_MESSAGES[code], field?: string): Failure {
  return field === undefined ? { ok: false, code, message } : { ok: false, code, message, field }
}

async function resolveCaller(engine: Engine, ctx: CallContext, passive: boolean): Promise<Caller> {
  const caller = await engine.callers.read(ctx.conn.sessionId, passive)
  if (!caller.session) ctx.conn.sessionId = null
  return caller
}

export async function dispatch(
  table: HandlerTable,
  engine: Engine,
  ctx: CallContext,
  channel: unknown,
  rawInput: unknown
): Promise<Result<unknown>> {
  if (!isChannel(channel)) return fail('UNKNOWN_CHANNEL')
  const parsed = contract[channel].input.safeParse(rawInput ?? {})
  if (!parsed.success) {
    // Every problem at once, so a form can show each beside its field.
    const issue = parsed.error.issues[0]
    const field = issue?.path[0]
    const english = translator('en')
    const failure = fail('INVALID_INPUT', issue ? english.sayText(issue.message) : ERROR_MESSAGES.INVALID_INPUT, field === undefined ? undefined : String(field))
    const fields = problemsByField(parsed.error.issues)
    // The problems in English (logs, tests) and, where a schema worded them as a message, in no language yet.
    const fieldWords = Object.fromEntries(Object.entries(fields).flatMap(([name, text]) => { const m = decodeWords(text); return m ? [[name, m]] : [] }))
    const words = issue && decodeWords(issue.message)
    return { ...failure, ...(words ? { words } : {}), fields: Object.fromEntries(Object.entries(fields).map(([name, text]) => [name, english.sayText(text)])), fieldWords }
  }
  let caller: Caller
  try {
    // Another seat may have changed the policy since the last call: this call applies the current one (read with the session).
    caller = await resolveCaller(engine, ctx, PASSIVE_CHANNELS.has(channel))
  } catch (error) {
    return failureOf(channel, error)
  }
  const handler = table[channel] as HandlerTable[Channel]
  const access = handler.access
  if (access !== 'public') {
    if (!caller.user || !caller.session) return fail('NOT_AUTHENTICATED')
    const stage = caller.session.stage
    const stageOk = typeof access === 'object' && 'stages' in access ? access.stages.includes(stage) : stage === 'full'
    if (!stageOk) {
      return fail('NOT_AUTHENTICATED', stage === 'full' ? 'You are already logged in.' : 'Finish logging in first.')
    }
    if (typeof access === 'object' && 'roles' in access && !access.roles.includes(caller.user.role)) return fail('FORBIDDEN')
  }
  try {
    const value = await (handler.handle as (input: unknown, call: unknown) => unknown)(parsed.data, { ...ctx, ...caller })
    return { ok: true, value }
  } catch (error) {
    return failureOf(channel, error)
  }
}

/** A refusal (a DomainError, e.g. the store's DATABASE_UNAVAILABLE) as its code; anything else as INTERNAL. */
function failureOf(channel: Channel, error: unknown): Failure {
  if (error instanceof DomainError) return error.toFailure()
  // A bug: log it here, in the main process, and give the renderer nothing of it.
  console.error(`[tessera] ${channel} failed:`, error)
  return fail('INTERNAL')
}
