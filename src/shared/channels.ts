/**
 * The names of the IPC channels, at run time, without the schemas: the preload script and the
 * harness bridge build `window.api` from this list alone. `contract.ts` must define exactly these
 * channels (a missing or extra one is a compile error there).
 */
export const CHANNELS = [
  'app:status', 'setup:create-admin', 'setup:join-organisation', 'auth:login', 'auth:logout', 'auth:send-email-code',
  'auth:verify', 'auth:key-options', 'auth:verify-key', 'auth:staff', 'auth:lost-device', 'auth:password-help', 'auth:forgot-password', 'auth:reset-password',
  'auth:set-password',
  'enrol:check-link', 'enrol:redeem-link', 'enrol:start', 'enrol:verify-email',
  'enrol:resend-email', 'enrol:confirm', 'enrol:register-key', 'enrol:complete', 'enrol:cancel', 'enrol:postpone',
  'account:two-factor', 'account:security-keys', 'account:key-options', 'account:add-key', 'account:confirm-key-options', 'account:remove-key', 'account:reissue-codes', 'account:disable-2fa', 'account:send-email-code',
  'account:change-password', 'account:replace-device-start', 'account:replace-device-confirm', 'account:sessions', 'account:sign-out-everywhere',
  'account:confirm-identity', 'account:confirm-identity-key', 'account:remove-method', 'account:rename-method', 'account:default-method', 'account:set-language', 'users:list', 'users:get', 'users:create', 'users:update', 'users:delete', 'users:sign-out-everywhere', 'users:bulk', 'users:import', 'users:import-confirm',
  'users:export', 'users:unlock', 'users:reset-2fa', 'users:issue-access-code',
  'users:set-disabled', 'users:set-role', 'users:send-enrolment-link',
  'users:set-temporary-password', 'users:remove-key', 'users:remove-method', 'users:assign-token', 'tokens:list', 'tokens:import', 'tokens:release', 'requests:badge', 'requests:list',
  'requests:decide', 'policy:get', 'policy:preview', 'policy:save', 'policy:test-smtp',
  'audit:list', 'audit:verify', 'audit:verify-full', 'audit:export', 'jobs:get', 'jobs:cancel', 'jobs:interrupted', 'jobs:dismiss',
  'directory:get', 'directory:save', 'directory:test', 'directory:sync', 'directory:status'
] as const

export type Channel = (typeof CHANNELS)[number]

/**
 * Calls a screen makes by itself, on a timer, not because a person did something: they see the
 * session but do not count as activity, so an unattended console still reaches its idle timeout.
 */
export const PASSIVE_CHANNELS: ReadonlySet<Channel> = new Set<Channel>(['requests:badge'])

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && (CHANNELS as readonly string[]).includes(name)
}
