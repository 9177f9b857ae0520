/**
 * The one IPC contract. Every channel names its input schema (validated in the main process) and
 * its output type; main, preload, renderer and tests all derive from this object, so a channel
 * cannot exist in one place and be missing in another.
 */
import { z } from 'zod'
import type { Result } from './errors'
import {
  displayNameSchema,
  emailSchema,
  identifierSchema,
  newPasswordSchema,
  passwordSchema,
  usernameSchema
} from './validation'
import type { AppStatus, SessionInfo } from './dto'

/** Carries an output type at compile time only. */
function out<T>(): T {
  return undefined as T
}

const none = z.object({}).strict()

export const contract = {
  'app:status': { input: none, output: out<AppStatus>() },
  'setup:create-admin': {
    input: z
      .object({
        username: usernameSchema,
        email: emailSchema,
        displayName: displayNameSchema,
        password: newPasswordSchema
      })
      .strict(),
    output: out<SessionInfo>()
  },
  'auth:login': {
    input: z.object({ identifier: identifierSchema, password: passwordSchema }).strict(),
    output: out<SessionInfo>()
  },
  'auth:logout': { input: none, output: out<null>() }
} as const satisfies Record<string, { input: z.ZodType; output: unknown }>

export type Contract = typeof contract
export type Channel = keyof Contract
/** What a caller passes (before defaults and trimming). */
export type Input<C extends Channel> = z.input<Contract[C]['input']>
/** What a handler receives (after validation). */
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>
export type Output<C extends Channel> = Contract[C]['output']

export const CHANNELS = Object.keys(contract) as Channel[]

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(contract, name)
}

/** The shape of `window.api`, in Electron (preload) and in the browser harness alike. */
export type TesseraApi = { [C in Channel]: (input: Input<C>) => Promise<Result<Output<C>>> }
