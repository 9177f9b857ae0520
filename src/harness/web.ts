/**
 * `npm run web [-- --data-dir DIR] [-- --port N]`: the browser harness for development and tests.
 * Prints the address to open (it carries the access token) and runs until interrupted.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { resolveDataDir } from '../main/data-dir'
import { databaseTarget, shownAddress } from '../main/database-target'
import { startHarness } from './server'
import { translator } from '../shared/i18n/translate'

try {
  const { values } = parseArgs({
    options: { 'data-dir': { type: 'string' }, port: { type: 'string', default: '0' }, 'database-url': { type: 'string' }, 'database-password-file': { type: 'string' } },
    allowPositionals: false
  })
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, not "${values.port}"`)
  const dataDir = resolveDataDir(
    values['data-dir'] ? ['--data-dir', values['data-dir']] : [],
    process.env,
    () => mkdtempSync(join(tmpdir(), 'tessera-'))
  )
  const database = databaseTarget(dataDir, { url: values['database-url'], passwordFile: values['database-password-file'] }) ?? undefined
  const harness = await startHarness({ dataDir, port, database })
  const where = database ? `database: ${shownAddress(database.url)}` : `database: ${dataDir} (SQLite)`
  console.log(`Tessera (browser harness, loopback only)\n  data directory: ${dataDir}\n  ${where}\n  open: ${harness.url}`)
  for (const warning of harness.warnings) console.log(`  warning: ${translator('en').sayText(warning)}`)
  const stop = () => void harness.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
} catch (error) {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(2)
}
