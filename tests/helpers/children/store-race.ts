/**
 * One seat of a multi-process race on a store (run with `node --import tsx`): waits for the start
 * time it was given, then sends its attempts at once and prints what it won as one JSON line.
 *   argv: TARGET_JSON START_AT_MS ATTEMPTS KIND(consume|count) ID
 */
import { openStore } from '../../../src/main/store'

const [targetJson, startAt, attempts, kind, id] = process.argv.slice(2) as [string, string, string, 'consume' | 'count', string]
const store = await openStore(JSON.parse(targetJson))
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())))

/** A single-use code consumed by a conditional update: only one caller can see used_at go from NULL. */
const consume = () => store.transaction(async () => (await store.run('UPDATE recovery_codes SET used_at = ? WHERE id = ? AND used_at IS NULL', [Date.now(), Number(id)])).changes)

/** A read-then-write on one row: the read locks it, so no increment is lost. */
const count = () =>
  store.transaction(async () => {
    const r = await store.get<{ n: number }>(`SELECT postponements_used AS n FROM users WHERE id = ?${store.forUpdate}`, [Number(id)])
    await store.run('UPDATE users SET postponements_used = ? WHERE id = ?', [r!.n + 1, Number(id)])
    return 1
  })

const results = await Promise.all(Array.from({ length: Number(attempts) }, () => (kind === 'consume' ? consume() : count())))
process.stdout.write(JSON.stringify({ won: results.reduce((a, b) => a + b, 0) }) + '\n')
await store.close()
