/**
 * One seat of the multi-seat run of bench/scale.ts on PostgreSQL (started by bench/scale-seats.ts
 * with `node --import tsx`; argv: JSON of SeatTask): the app's engine worker of its own, on the
 * shared database, in a data directory holding the organisation's data key. It signs a staff member
 * in and brings its race connections to the second step, says `ready`; on `go` it sends the race's
 * code on every race connection at once, starts its logins, types a search letter by letter and
 * lists a directory page every 100 ms, says `worked` when its own work is done, and on `stop` ends
 * the paging and sends its `result`.
 */
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { startEngineHost, type EngineHost } from '../src/main/worker/engine-host'
import { BASE_LIST, ms, PASSWORD, signIn, sleep, WORKER } from './scale-flows'

export type SeatTask = {
  index: number
  url: string
  dataDir: string
  /** A staff member with a password and no second factor yet: the seat sets one up, then lists. */
  staff: string
  /** The user whose one code is raced, and how many connections of this seat send it. */
  race: { identifier: string; calls: number }
  /** Users with no password, logged in with one (a full scrypt each, refused). */
  logins: string[]
}
export type SeatResult = { pages: number[]; logins: number[]; typing: number[]; race: string[]; raceMs: number }
export type ToSeat = { type: 'go'; code: string } | { type: 'stop' }
export type FromSeat = { type: 'ready' } | { type: 'worked' } | { type: 'result'; result: SeatResult }

const task = JSON.parse(process.argv[2]!) as SeatTask
const ws = `seat-${task.index}`
const send = (m: FromSeat) => process.send!(m)

/** The parent's messages, in order. */
const inbox: ToSeat[] = []
const waiting: ((m: ToSeat) => void)[] = []
process.on('message', (m: ToSeat) => (waiting.length ? waiting.shift()!(m) : inbox.push(m)))
const next = () => new Promise<ToSeat>((resolve) => (inbox.length ? resolve(inbox.shift()!) : waiting.push(resolve)))

async function typeSearch(host: EngineHost): Promise<number[]> {
  const typing: number[] = []
  for (const term of ['m', 'ma', 'mar', 'mart', 'marti', 'martin']) {
    const t = performance.now()
    const r = await host.call('staff', ws, 'users:list', { ...BASE_LIST, search: term })
    if (!r.ok) throw new Error(`users:list: ${r.code}`)
    typing.push(ms(t))
    await sleep(120)
  }
  return typing
}

/** Everything at once from `go` on; the paging runs until `stop`. */
async function run(host: EngineHost, raceConns: string[], code: string): Promise<SeatResult> {
  const t0 = performance.now()
  const race = Promise.all(raceConns.map(async (c) => {
    const r = await host.call(c, ws, 'auth:verify', { method: 'totp', code })
    return r.ok ? 'ok' : r.code
  })).then((outcomes) => ({ outcomes, ms: ms(t0) }))
  const logins = Promise.all(task.logins.map(async (identifier, i) => {
    const t = performance.now()
    await host.call(`login-${i}`, ws, 'auth:login', { identifier, password: PASSWORD })
    return ms(t)
  }))
  let stopped = false
  const pages: number[] = []
  const paging = (async () => {
    for (let offset = 0; !stopped; offset += 100) {
      const t = performance.now()
      const r = await host.call('staff', ws, 'users:list', { ...BASE_LIST, offset })
      if (!r.ok) throw new Error(`users:list: ${r.code}`)
      pages.push(ms(t))
      await sleep(100)
    }
  })()
  const typing = await typeSearch(host)
  const [raced, loginTimes] = await Promise.all([race, logins])
  send({ type: 'worked' })
  if ((await next()).type !== 'stop') throw new Error('expected stop')
  stopped = true
  await paging
  return { pages, logins: loginTimes, typing, race: raced.outcomes, raceMs: raced.ms }
}

const host = await startEngineHost(WORKER, { databaseFile: join(task.dataDir, 'unused.db'), database: { url: task.url }, dataDir: task.dataDir })
try {
  await signIn(host, 'staff', task.staff, PASSWORD, ws)
  const raceConns = Array.from({ length: task.race.calls }, (_, i) => `race-${i}`)
  // One after the other: the attempt limiter counts a login in flight as a failure until it is answered.
  for (const c of raceConns) {
    const r = await host.call(c, ws, 'auth:login', { identifier: task.race.identifier, password: PASSWORD })
    if (!r.ok || (r.value as { stage: string }).stage !== 'second-factor') throw new Error(`race login: ${JSON.stringify(r)}`)
  }
  send({ type: 'ready' })
  const go = await next()
  if (go.type !== 'go') throw new Error('expected go')
  send({ type: 'result', result: await run(host, raceConns, go.code) })
} finally {
  await host.close()
}
process.disconnect()
