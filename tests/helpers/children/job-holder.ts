/**
 * Holds a lock, or runs a recorded job, until killed (run with `node --import tsx`): the other side
 * of tests/unit/job-journal.test.ts. Prints "held" (or "refused") once it knows, then waits.
 *   argv: JSON of { target: StoreTarget, lock: string } or { target, job: RecordedJobKind }
 */
import { createJobJournal } from '../../../src/main/core/job-journal'
import { systemClock } from '../../../src/main/core/clock'
import { openStore, type StoreTarget } from '../../../src/main/store'
import type { RecordedJobKind } from '../../../src/shared/admin-dto'

const task = JSON.parse(process.argv[2]!) as { target: StoreTarget } & ({ lock: string } | { job: RecordedJobKind })
const store = await openStore(task.target)
if ('lock' in task) {
  console.log((await store.holdLock(task.lock)) ? 'held' : 'refused')
} else {
  await createJobJournal({ store, clock: systemClock }).begin(task.job, { ownerId: null, actor: 'grace', workstation: 'kiosk-2' }, { name: 'people.csv' })
  console.log('held')
}
setInterval(() => undefined, 60_000)
