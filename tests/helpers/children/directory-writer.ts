/**
 * Another seat writing to the directory (run with `node --import tsx`): `writes` small changes, each
 * its own statement as a service at that seat would commit it (a new user, a rename, a removed
 * user, a lock, a role change), chosen by a seeded generator. Prints one JSON line: the count.
 *   argv: TARGET_JSON SEED WRITES
 */
import { openStore } from '../../../src/main/store'

const [targetJson, seedText, writesText] = process.argv.slice(2) as [string, string, string]
const store = await openStore(JSON.parse(targetJson))
let seed = Number(seedText)
/** A small linear congruential generator: the same writes for the same seed. */
const next = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n)
const someone = async () => (await store.get<{ id: number }>('SELECT id FROM users WHERE id >= ? ORDER BY id LIMIT 1', [2 + next(700)]))?.id ?? 2

const writes = [
  async (i: number) => store.run("INSERT INTO users (username, email, display_name, role, created_at, updated_at) VALUES (?, ?, ?, 'user', 0, 0)", [`s${seedText}w${i}`, `s${seedText}w${i}@example.org`, `${['Aaron', 'Moe', 'Zed'][next(3)]} Seat-${i}`]),
  async (i: number) => store.run('UPDATE users SET display_name = ? WHERE id = ?', [`${['Abe', 'Kim', 'Yu'][next(3)]} Renamed-${seedText}-${i}`, await someone()]),
  async () => store.run('DELETE FROM users WHERE id = ? AND id > 1', [await someone()]),
  async () => store.run('UPDATE users SET locked_until = ? WHERE id = ?', [next(2) ? Date.now() + 3_600_000 : null, await someone()]),
  async () => store.run('UPDATE users SET role = ? WHERE id = ? AND id > 1', [next(2) ? 'helpdesk' : 'user', await someone()])
]
for (let i = 0; i < Number(writesText); i++) await writes[next(writes.length)]!(i)
await store.close()
process.stdout.write(JSON.stringify({ writes: Number(writesText) }) + '\n')
