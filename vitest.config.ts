import { defineConfig } from 'vitest/config'

// Measures the calling thread's event-loop delay: it runs on its own, after the others, so that
// two other test files busy on a two-core machine do not stand in for the engine it measures.
const TIMED = 'tests/unit/worker-boundary.test.ts'

const shared = {
  environment: 'node' as const,
  // scrypt and SQLite work on the libuv pool; two cores here, so keep the pool small.
  pool: 'forks' as const,
  maxWorkers: 2,
  testTimeout: 20_000
}

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'unit', globalSetup: ['tests/helpers/postgres-global.ts'], include: ['tests/unit/**/*.test.ts'], exclude: [TIMED], sequence: { groupOrder: 0 } } },
      { test: { ...shared, name: 'timed', include: [TIMED], sequence: { groupOrder: 1 } } }
    ]
  }
})
