/**
 * Another seat during bench/ldap.ts's full re-sync on PostgreSQL (started with `node --import tsx`;
 * argv: JSON of { url, dataDir }): an engine of its own, in a process of its own, on the shared
 * database, asking for a page of the users list (the first 50 by name, and a search) every 100 ms,
 * as a help desk at another machine would click. Says `ready` once its engine is open; on `stop`
 * sends each call's time and closes.
 */
import { performance } from 'node:perf_hooks'
import { join } from 'node:path'
import { createEngine } from '../src/main/core/engine'
import { TEST_SCRYPT } from '../tests/helpers/engine'

const { url, dataDir } = JSON.parse(process.argv[2]!) as { url: string; dataDir: string }
const engine = await createEngine({ databaseFile: join(dataDir, 'tessera.db'), database: { url }, dataDir, passwordParams: TEST_SCRYPT })
const page = { status: 'all', role: 'all', source: 'all', sort: 'displayName', descending: false, offset: 0, limit: 50 } as const
const calls: number[] = []
let stopped = false
process.on('message', () => (stopped = true))
process.send!({ type: 'ready' })
for (let i = 0; !stopped; i++) {
  const t0 = performance.now()
  await engine.directory.list({ ...page, search: i % 2 ? `person${String(i % 1000).padStart(3, '0')}` : '' })
  calls.push(performance.now() - t0)
  await new Promise((resolve) => setTimeout(resolve, 100))
}
process.send!({ type: 'calls', calls })
await engine.close()
process.disconnect()
