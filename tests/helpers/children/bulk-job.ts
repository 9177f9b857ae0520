/**
 * A bulk action run to be killed (run with `node --import tsx`): an engine on the data directory,
 * the administrator `ada` sending a registration link to every account its search matches, through
 * the same job service and bulk code the console uses. Prints "started" once the job runs, and one
 * JSON line with the report when it ends (if it is not killed first).
 *   argv: data directory, database URL or "-", search text
 */
import { join } from 'node:path'
import { createEngine } from '../../../src/main/core/engine'
import { findUserByIdentifier } from '../../../src/main/db/queries/users'

const [dataDir, url, search] = process.argv.slice(2) as [string, string, string]
const engine = await createEngine({ databaseFile: join(dataDir, 'tessera.db'), database: url === '-' ? undefined : { url }, dataDir, operator: 'cli:test@kill' })
const ada = (await findUserByIdentifier(engine.store, 'ada'))!
const view = engine.jobs.start('users-bulk', ada.id, (control) => engine.bulk.run(ada, { filter: { search, status: 'all', role: 'all', source: 'all' } }, 'enrolment-link', '', 'kill-test', control))
console.log('started')
await engine.jobs.idle()
const job = engine.jobs.get(view.id, ada.id)
console.log(JSON.stringify({ state: job.state, result: job.result, error: job.error }))
await engine.shutdown()
