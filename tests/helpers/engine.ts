import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngine, type EngineOptions, type Engine } from '../../src/main/core/engine'
import type { Clock } from '../../src/main/core/clock'
import type { ScryptParams } from '../../src/main/core/passwords'

/** Cheap scrypt for tests; the parameters live in each hash, so verification is the same code. */
export const TEST_SCRYPT: ScryptParams = { log2N: 10, r: 8, p: 1 }

export type TestClock = Clock & { set(ms: number): void; advance(ms: number): void }

export function testClock(start = Date.UTC(2026, 10, 22, 9, 0, 0)): TestClock {
  let t = start
  return { now: () => t, set: (ms) => void (t = ms), advance: (ms) => void (t += ms) }
}

export function tempDir(prefix = 'tessera-test-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

export type TestEngine = { engine: Engine; clock: TestClock; dir: string; dispose(): Promise<void> }

/** A real engine on a real SQLite file in a fresh directory (`options`: e.g. a small rank stride). */
export function testEngine(options: Pick<EngineOptions, 'rankStride'> = {}): TestEngine {
  const tmp = tempDir()
  const clock = testClock()
  const engine = createEngine({ databaseFile: join(tmp.dir, 'tessera.db'), clock, passwordParams: TEST_SCRYPT, ...options })
  return {
    engine,
    clock,
    dir: tmp.dir,
    /** Lets work started after an answer (e-mails) finish, then closes and removes everything. */
    async dispose() {
      await engine.background.idle()
      engine.close()
      tmp.remove()
    }
  }
}
