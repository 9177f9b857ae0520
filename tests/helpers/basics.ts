/** What tests and their child processes share, free of vitest (a child process cannot import it). */
import type { Clock } from '../../src/main/core/clock'
import type { ScryptParams } from '../../src/main/core/passwords'

/** Cheap scrypt for tests; the parameters live in each hash, so verification is the same code. */
export const TEST_SCRYPT: ScryptParams = { log2N: 10, r: 8, p: 1 }

export type TestClock = Clock & { set(ms: number): void; advance(ms: number): void }

export function testClock(start = Date.UTC(2026, 10, 22, 9, 0, 0)): TestClock {
  let t = start
  return { now: () => t, set: (ms) => void (t = ms), advance: (ms) => void (t += ms) }
}

