/**
 * Rule: anyone signed in chooses the language they read Tessera in (or the organisation's default)
 * from My account; the choice is theirs alone, kept for their next login, audited once per change,
 * and only a language Tessera speaks is taken.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eventSentence } from '../../src/shared/audit-events'
import { translator } from '../../src/shared/i18n/translate'
import { connect } from '../helpers/caller'
import { testEngine, type TestEngine } from '../helpers/engine'
import { addUser, firstAdmin, login, signIn, type Conn } from '../helpers/flows'

let t: TestEngine
let admin: Conn
beforeEach(async () => {
  t = await testEngine()
  admin = await firstAdmin(t)
  await addUser(admin, 'grace')
})
afterEach(() => t.dispose())

const en = translator('en')
const time = (ms: number) => new Date(ms).toISOString()
const languageRows = async () => (await admin.ok('audit:list', { event: 'account.language-changed' })).rows

describe('choosing one\'s language', () => {
  it('is kept for the next login, audited once per change, and null goes back to the organisation\'s default', async () => {
    const grace = await signIn(t, 'grace')
    expect((await grace.ok('app:status', {})).session?.user.language).toBeNull()

    const chosen = await grace.ok('account:set-language', { language: 'ja' })
    expect(chosen?.user).toMatchObject({ username: 'grace', language: 'ja' })
    expect((await grace.ok('app:status', {})).session?.user.language).toBe('ja')
    // Only hers: the administrator's own stays as it was.
    expect((await admin.ok('app:status', {})).session?.user.language).toBeNull()

    const rows = await languageRows()
    expect(rows).toHaveLength(1)
    expect(rows[0]!.details).toEqual({ from: null, to: 'ja' })
    expect(eventSentence(rows[0]!, en, time)).toBe('grace chose to read Tessera in Japanese at ws-test')

    // The same choice again writes nothing.
    await grace.ok('account:set-language', { language: 'ja' })
    expect(await languageRows()).toHaveLength(1)

    // Her next login, at another workstation, reads in her language.
    await grace.ok('auth:logout', {})
    const again = await login(t, 'grace', undefined, 'kiosk-2')
    expect((await again.ok('app:status', {})).session?.user.language).toBe('ja')

    const back = await (await signIn(t, 'grace')).ok('account:set-language', { language: null })
    expect(back?.user.language).toBeNull()
    const [latest] = await languageRows()
    expect(latest!.details).toEqual({ from: 'ja', to: null })
    expect(eventSentence(latest!, en, time)).toBe("grace chose to read Tessera in the organisation's default language at ws-test")
  })

  it('takes only a language Tessera speaks, and only from someone signed in', async () => {
    const grace = await signIn(t, 'grace')
    expect(await grace.raw('account:set-language', { language: 'fr' })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await grace.raw('account:set-language', {})).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await grace.raw('account:set-language', { language: 'ko', userId: 1 })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await connect(t.engine).call('account:set-language', { language: 'ko' })).toMatchObject({ ok: false, code: 'NOT_AUTHENTICATED' })
    expect((await grace.ok('app:status', {})).session?.user.language).toBeNull()
    expect(await languageRows()).toHaveLength(0)
  })
})
