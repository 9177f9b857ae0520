import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    // scrypt and SQLite work on the libuv pool; two cores here, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000
  }
})
