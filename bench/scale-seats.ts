/**
 * The multi-seat run of bench/scale.ts on PostgreSQL: SEATS seat processes at once (bench/scale-seat.ts,
 * each the app's engine worker of its own, in a data directory holding a copy of the organisation's
 * data key), each with LOGINS logins, a search typed letter by letter and a directory page every
 * 100 ms, while one valid TOTP code is sent RACE times at once across the seats (exactly one may
 * succeed). The paging goes on until every seat has done its own work.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { totpAt } from '../src/main/core/two-factor/totp'
import type { UserRow } from '../src/main/db/queries/users'
import type { EngineHost } from '../src/main/worker/engine-host'
import { f, ms, PASSWORD, stats } from './scale-flows'
import { seatDir } from './scale-postgres'
import type { FromSeat, SeatResult, SeatTask, ToSeat } from './scale-seat'

const SEATS = 4
const LOGINS = 5
const RACE = 50

type Seat = { child: ChildProcess; next(): Promise<FromSeat>; send(m: ToSeat): void; exited: Promise<void> }

function startSeat(task: SeatTask): Seat {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'scale-seat.ts'), JSON.stringify(task)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const inbox: FromSeat[] = []
  const waiting: { resolve(m: FromSeat): void; reject(e: Error): void }[] = []
  child.on('message', (m: FromSeat) => (waiting.length ? waiting.shift()!.resolve(m) : inbox.push(m)))
  const exited = new Promise<void>((resolve) =>
    child.on('exit', (code) => {
      for (const w of waiting.splice(0)) w.reject(new Error(`seat ${task.index} exited (${code})`))
      resolve()
    })
  )
  return {
    child,
    exited,
    send: (m) => void child.send(m),
    next: () => new Promise<FromSeat>((resolve, reject) => (inbox.length ? resolve(inbox.shift()!) : child.exitCode !== null ? reject(new Error(`seat ${task.index} exited`)) : waiting.push({ resolve, reject })))
  }
}

async function expect(seats: Seat[], type: FromSeat['type']): Promise<FromSeat[]> {
  const got = await Promise.all(seats.map((s) => s.next()))
  for (const m of got) if (m.type !== type) throw new Error(`a seat said ${m.type}, not ${type}`)
  return got
}

/** The accounts of the run, through the engine: a staff member per seat, and a user with an authenticator app (its secret). */
async function accounts(host: EngineHost): Promise<string> {
  const user = (username: string, role: string) => host.inspect('accounts.createUser', { username, email: `${username}@example.org`, displayName: `Seat ${username}`, role, password: PASSWORD })
  for (let i = 1; i <= SEATS; i++) await user(`seat${i}staff`, 'helpdesk')
  const raced = (await user('totprace', 'user')) as UserRow
  const step = (await host.inspect('twoFactor.startEnrolment', raced, 'totp', 'bench')) as { step: string; uri: string }
  const secret = new URL(step.uri).searchParams.get('secret')!
  // Confirmed with the previous time step's code, so that the current one is still unused when the seats race it.
  await host.inspect('twoFactor.confirmEnrolment', raced, totpAt(secret, Date.now() - 30_000), 'bench')
  await host.inspect('twoFactor.completeEnrolment', raced, 'bench')
  return secret
}

/** Runs the seats; prints what they measured; returns whether the targets were met. */
export async function multiSeatRun(host: EngineHost, url: string, key: string, root: string): Promise<boolean> {
  const secret = await accounts(host)
  const t0 = performance.now()
  const seats = Array.from({ length: SEATS }, (_, s) =>
    startSeat({
      index: s + 1,
      url,
      dataDir: seatDir(join(root, `seat-${s + 1}`), key),
      staff: `seat${s + 1}staff`,
      race: { identifier: 'totprace', calls: Math.floor(RACE / SEATS) + (s < RACE % SEATS ? 1 : 0) },
      logins: Array.from({ length: LOGINS }, (_, k) => `user${(s * LOGINS + k) * 3 + 1}`)
    })
  )
  try {
    await expect(seats, 'ready')
    const ready = ms(t0)
    const t1 = performance.now()
    const code = totpAt(secret, Date.now())
    for (const s of seats) s.send({ type: 'go', code })
    await expect(seats, 'worked')
    for (const s of seats) s.send({ type: 'stop' })
    const results = (await expect(seats, 'result')).map((m) => (m as Extract<FromSeat, { type: 'result' }>).result)
    return report(results, ready, ms(t1))
  } finally {
    for (const s of seats) if (s.child.exitCode === null) s.child.kill()
    await Promise.all(seats.map((s) => s.exited))
  }
}

function report(results: SeatResult[], readyMs: number, runMs: number): boolean {
  const race = results.flatMap((r) => r.race)
  const tally = [...new Set(race)].map((o) => `${race.filter((x) => x === o).length} ${o}`).join(', ')
  const successes = race.filter((o) => o === 'ok').length
  const pages = stats(results.flatMap((r) => r.pages))
  const logins = stats(results.flatMap((r) => r.logins))
  const pagesOk = pages.p99 <= 50
  console.log(`\nmulti-seat run: ${SEATS} seat processes at once on one PostgreSQL database, each its own engine worker and data directory with the organisation's key (${(runMs / 1000).toFixed(1)} s; seats opened, signed in and ${RACE} race logins at the second step in ${(readyMs / 1000).toFixed(1)} s before)`)
  console.log(`  ${SEATS * LOGINS} logins (${LOGINS} per seat; unknown passwords, full scrypt): p50 ${f(logins.p50)} ms, max ${f(logins.max)} ms`)
  console.log(`  search typed letter by letter: ${results.map((r, i) => `seat ${i + 1}: ${r.typing.map(f).join(' / ')}`).join('; ')} ms`)
  console.log(`  a directory page every 100 ms on each seat while they ran (${results.reduce((n, r) => n + r.pages.length, 0)} pages): p50 ${f(pages.p50)} ms, p99 ${f(pages.p99)} ms, max ${f(pages.max)} ms; target p99 <= 50 ms: ${pagesOk ? 'met' : 'NOT MET'}`)
  console.log(`  one valid TOTP code sent ${race.length} times at once across the seats (${results.map((r) => r.race.length).join(' + ')}): ${tally}, all answered within ${f(Math.max(...results.map((r) => r.raceMs)))} ms; exactly 1 success: ${successes === 1 ? 'met' : 'NOT MET'}`)
  return pagesOk && successes === 1
}
