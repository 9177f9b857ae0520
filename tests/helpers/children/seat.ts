/**
 * One seat of a multi-seat race (run with `node --import tsx`): a whole engine of its own in its own
 * data directory (with the organisation's data key), on the shared database, waiting for the start
 * time it was given, then sending its calls at once through the real handler table. Prints one
 * JSON line: each call's outcome ('ok' or the refusal's code).
 *   argv: JSON of SeatTask
 */
import { createEngine } from '../../../src/main/core/engine'
import { totpAt } from '../../../src/main/core/two-factor/totp'
import { connect } from '../caller'
import { TEST_SCRYPT, testClock } from '../basics'

export type SeatTask = {
  databaseFile: string
  databaseUrl: string | null
  dataDir: string
  clockAt: number
  startAt: number
  calls: number
  workstation: string
} & (
  | { scenario: 'wrong-password'; identifier: string }
  | { scenario: 'totp'; identifier: string; password: string; secret: string }
  | { scenario: 'recovery' | 'access-code'; identifier: string; password: string; code: string }
  | { scenario: 'audit'; }
)

const task = JSON.parse(process.argv[2]!) as SeatTask
const clock = testClock(task.clockAt)
const engine = await createEngine({ databaseFile: task.databaseFile, database: task.databaseUrl ? { url: task.databaseUrl } : undefined, dataDir: task.dataDir, clock, passwordParams: TEST_SCRYPT })
const conns = Array.from({ length: task.calls }, () => connect(engine, task.workstation))
const outcome = (r: { ok: boolean; code?: string }) => (r.ok ? 'ok' : r.code!)

/** What each connection does once the start time comes. */
async function prepare(): Promise<(c: (typeof conns)[number], i: number) => Promise<string>> {
  switch (task.scenario) {
    case 'wrong-password':
      return async (c, i) => outcome(await c.call('auth:login', { identifier: task.identifier, password: `wrong password ${i}` }))
    case 'totp':
    case 'recovery':
    case 'access-code': {
      for (const c of conns) await c.ok('auth:login', { identifier: task.identifier, password: task.password })
      const input = task.scenario === 'totp' ? { method: 'totp' as const, code: totpAt(task.secret, clock.now()) } : { method: task.scenario, code: task.code }
      return async (c) => outcome(await c.call('auth:verify', input))
    }
    case 'audit':
      return async (_c, i) => (await engine.audit.record({ event: 'policy.changed', workstation: task.workstation, details: { i } }), 'ok')
  }
}

const act = await prepare()
await new Promise((resolve) => setTimeout(resolve, Math.max(0, task.startAt - Date.now())))
const results = await Promise.all(conns.map((c, i) => act(c, i)))
await engine.close()
process.stdout.write(JSON.stringify({ results }) + '\n')
