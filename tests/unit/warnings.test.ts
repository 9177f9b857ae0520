/**
 * Rule: what an operator must know about a seat's data directory (e.g. other users of the machine
 * can read it) reaches a person: administrators see it in the console, the CLI prints it on
 * standard error, the harness prints it at start; other roles see nothing of it.
 */
import { chmodSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { main } from '../../src/main/cli/index'
import { translator } from '../../src/shared/i18n/translate'
import { createEngine } from '../../src/main/core/engine'
import { ADMIN, connect } from '../helpers/caller'
import { TEST_SCRYPT, testEngine, type TestEngine } from '../helpers/engine'
import { addUser, firstAdmin, signIn } from '../helpers/flows'

/** A warning is a message, worded where it is read: here in English. */
const english = (warning: string) => translator('en').sayText(warning)
const READABLE = /^The data directory .* can be read by other users of this machine \(mode 755\)/

describe.skipIf(process.platform === 'win32')('the data directory’s warnings', () => {
  let t: TestEngine
  beforeEach(async () => {
    t = await testEngine({ kind: 'sqlite' })
    chmodSync(t.dir, 0o755)
  })
  afterEach(() => t.dispose())

  it('are shown to administrators signed in, and to nobody else', async () => {
    const admin = await firstAdmin(t)
    await addUser(admin, 'grace')
    // The warning is found when an engine opens: the seat starts again on the same folder.
    await t.engine.close()
    t.engine = await createEngine({ databaseFile: join(t.dir, 'tessera.db'), dataDir: t.dir, clock: t.clock, passwordParams: TEST_SCRYPT })
    expect(t.engine.warnings.map(english)).toEqual([expect.stringMatching(READABLE)])
    const signedIn = await signIn(t, 'ada', 'ws-test', ADMIN.password)
    expect((await signedIn.ok('app:status', {})).warnings.map(english)).toEqual([expect.stringMatching(READABLE)])
    expect((await connect(t.engine).ok('app:status', {})).warnings).toEqual([])
    expect((await (await signIn(t, 'grace')).ok('app:status', {})).warnings).toEqual([])
  })

  it('are printed by the CLI on standard error', async () => {
    await firstAdmin(t)
    const err: string[] = []
    const code = await main(['--data-dir', t.dir, 'user', 'list'], { out: () => {}, err: (l) => err.push(l), readStdin: async () => '' })
    expect(code).toBe(0)
    expect(err).toEqual([expect.stringMatching(/^warning: The data directory .* can be read by other users/)])
  })
})
