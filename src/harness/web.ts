/**
 * `npm run web [-- --data-dir DIR] [-- --port N]`: the browser harness for development and tests.
 * Prints the address to open (it carries the access token) and runs until interrupted.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { resolveDataDir } from '../main/data-dir'
import { startHarness } from './server'

try {
  const { values } = parseArgs({
    options: { 'data-dir': { type: 'string' }, port: { type: 'string', default: '0' } },
    allowPositionals: false
  })
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, not "${values.port}"`)
  const dataDir = resolveDataDir(
    values['data-dir'] ? ['--data-dir', values['data-dir']] : [],
    process.env,
    () => mkdtempSync(join(tmpdir(), 'tessera-'))
  )
  const harness = await startHarness({ dataDir, port })
  console.log(`Tessera (browser harness, loopback only)\n  data directory: ${dataDir}\n  open: ${harness.url}`)
  const stop = () => void harness.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
} catch (error) {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(2)
}
