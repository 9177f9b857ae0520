/**
 * Rule: the admin CLI drives the same engine offline: passwords only from standard input, exit 0 on
 * success, 1 with one "error: ..." line when refused, 2 for usage errors, never a stack trace; bad
 * input changes nothing.
 */
import { execFile } from 'node:child_process'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname, userInfo } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest'
import { main } from '../../src/main/cli/index'
import { translator } from '../../src/shared/i18n/translate'
import { createEngine } from '../../src/main/core/engine'
import { totpAt } from '../../src/main/core/two-factor/totp'
import { tempDir } from '../helpers/engine'
import { freshDatabase } from '../helpers/postgres'
import { secretOf } from '../helpers/flows'
// @ts-expect-error plain JavaScript, so that it runs on the old Node versions it refuses
import { nodeProblem } from '../../scripts/preflight.mjs'

// TESSERA_TEST_STORE=postgres: every command runs on a fresh PostgreSQL database (--database-url),
// its data directory holding the key and the anchor only; otherwise on the SQLite file in it.
const onPostgres = (process.env['TESSERA_TEST_STORE'] ?? 'sqlite') === 'postgres'

let dir: ReturnType<typeof tempDir>
let database: Awaited<ReturnType<typeof freshDatabase>> | null = null
beforeEach(async () => {
  dir = tempDir('tessera-cli-')
  database = onPostgres ? await freshDatabase(inject('postgresUrl')) : null
})
afterEach(async () => {
  await database?.drop()
  dir.remove()
})

/** The options that name this test's database: none for the SQLite file of the data directory. */
const target = () => (database ? ['--database-url', database.url] : [])

async function cli(args: string[], stdin = '') {
  const out: string[] = []
  const err: string[] = []
  const code = await main(['--data-dir', dir.dir, ...target(), ...args], { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => stdin })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

async function init() {
  expect(await cli(['init', '--admin', 'ada', '--email', 'ada@example.org', '--name', 'Ada Lovelace', '--password-stdin'], 'analytical engine notes\n')).toMatchObject({ code: 0 })
  expect(await cli(['user', 'add', 'grace', '--email', 'grace@example.org', '--password-stdin'], 'correct horse battery staple\n')).toMatchObject({ code: 0 })
}

// Each CLI call opens a whole engine (on PostgreSQL: a pool, the schema check, the key check) and
// hashes with the production scrypt: the longer flows make dozens of calls.
describe('the admin CLI', { timeout: 60_000 }, () => {
  it('initialises once, adds users, lists and shows them', async () => {
    await init()
    expect(await cli(['init', '--admin', 'eve', '--email', 'eve@example.org', '--password-stdin'], 'another long password')).toEqual({
      code: 1,
      out: '',
      err: 'error: Tessera already has an administrator. Log in instead.'
    })
    const list = await cli(['user', 'list'])
    expect(list.out.split('\n')).toEqual([
      'USERNAME  NAME          E-MAIL             ROLE   STATUS',
      'ada       Ada Lovelace  ada@example.org    admin  Not set up',
      'grace     grace         grace@example.org  user   Not set up'
    ])
    expect(JSON.parse((await cli(['user', 'list', '--search', 'GRA', '--json'])).out)).toMatchObject([{ username: 'grace', role: 'user' }])
    // Both are made here: "local" lists them, "directory" nobody (tests/unit/users-source-filter.test.ts has both kinds).
    expect((await cli(['user', 'list', '--source', 'local'])).out.split('\n')).toEqual(list.out.split('\n'))
    expect(await cli(['user', 'list', '--source', 'directory'])).toMatchObject({ code: 0, out: 'no users' })
    expect(await cli(['user', 'list', '--source', 'ldap'])).toMatchObject({ code: 2, err: expect.stringContaining('--source is "directory" or "local", not "ldap"') })
    expect((await cli(['user', 'show', 'grace'])).out).toMatch(/^status: +Not set up$/m)
    expect((await cli(['user', 'show', 'ada'])).out).toMatch(/^status: +Not set up$/m)
  })

  it('enrols TOTP with a QR code, prints recovery codes, and checks logins like the app', async () => {
    await init()
    const qr = join(dir.dir, 'grace.png')
    const enrol = await cli(['totp', 'enroll', 'grace', '--qr', qr])
    expect(enrol.code).toBe(0)
    expect(execFileSync('zbarimg', ['--raw', '-q', qr], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()).toBe(enrol.out)
    const secret = secretOf(enrol.out)
    expect(await cli(['totp', 'confirm', 'grace', '123456'])).toMatchObject({ code: 2 }) // never a code in the arguments
    expect(await cli(['totp', 'confirm', 'ada'], '123456\n')).toEqual({ code: 1, out: '', err: 'error: no set-up in progress for ada: run "totp enroll ada" first' })
    const confirm = await cli(['totp', 'confirm', 'grace'], totpAt(secret, Date.now()) + '\n')
    const codes = confirm.out.split('\n')
    expect(codes).toHaveLength(10)
    for (const c of codes) expect(c).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/)

    const pw = 'correct horse battery staple\n'
    expect(await cli(['auth', 'check', 'grace', '--password-stdin'], pw)).toMatchObject({ code: 1, err: 'error: a second factor is required: pass --code-stdin or --recovery-stdin' })
    expect(await cli(['auth', 'check', 'grace', '--password-stdin', '--recovery', codes[0]!], pw)).toMatchObject({ code: 2 })
    expect(await cli(['auth', 'check', 'grace', '--password-stdin', '--recovery-stdin'], `wrong password\n${codes[0]}\n`)).toMatchObject({
      code: 1,
      err: 'error: The username, e-mail or password is incorrect.'
    })
    expect(await cli(['auth', 'check', 'grace', '--password-stdin', '--recovery-stdin'], pw)).toMatchObject({ code: 2, err: expect.stringContaining('no recovery code on line 2') })
    expect(await cli(['auth', 'check', 'grace', '--password-stdin', '--recovery-stdin'], pw + codes[0] + '\n')).toMatchObject({ code: 0, out: 'ok' })
    // Used a moment ago: refused as used (no guess counted).
    expect(await cli(['auth', 'check', 'grace', '--password-stdin', '--recovery-stdin'], pw + codes[0] + '\n')).toMatchObject({ code: 1, err: 'error: That recovery code was just used: each one works once.' })
    expect(await cli(['auth', 'check', 'nobody', '--password-stdin'], pw)).toMatchObject({ code: 1, err: 'error: The username, e-mail or password is incorrect.' })
    expect((await cli(['user', 'show', 'grace', '--json'])).out).toContain('"recoveryCodesLeft": 9')
    expect((await cli(['user', 'show', 'grace'])).out).toMatch(/^2FA: +1 method\n +Authenticator app, default, set up \S+, last used \S+$/m)
  })

  it('unlocks and resets 2FA', async () => {
    await init()
    const secret = secretOf((await cli(['totp', 'enroll', 'grace'])).out)
    await cli(['totp', 'confirm', 'grace'], totpAt(secret, Date.now()))
    const wrongCode = 'correct horse battery staple\n000000\n'
    for (let i = 0; i < 5; i++) await cli(['auth', 'check', 'grace', '--password-stdin', '--code-stdin'], wrongCode)
    expect((await cli(['auth', 'check', 'grace', '--password-stdin', '--code-stdin'], wrongCode)).err).toBe('error: This account is locked after too many wrong codes.')
    expect(await cli(['user', 'unlock', 'grace'])).toMatchObject({ code: 0 })
    expect(await cli(['user', 'unlock', 'grace'])).toEqual({ code: 1, out: '', err: 'error: This account is not locked.' })
    expect(await cli(['user', 'reset-2fa', 'grace'])).toMatchObject({ code: 2 })
    expect(await cli(['user', 'reset-2fa', 'grace', '--reason', 'lost phone'])).toMatchObject({ code: 0 })
    expect((await cli(['auth', 'check', 'grace', '--password-stdin'], 'correct horse battery staple')).err).toBe('error: two-factor setup is required at login')
  })

  it('shows and sets the policy, refusing bad values without changing anything', async () => {
    await init()
    expect(await cli(['policy', 'set', 'issuer=Acme Corp', 'lockout.baseMinutes=30', 'allowedMethods=totp'])).toMatchObject({ code: 0 })
    expect(JSON.parse((await cli(['policy', 'show', '--json'])).out)).toMatchObject({ issuer: 'Acme Corp', lockout: { baseMinutes: 30 }, allowedMethods: ['totp'] })
    expect((await cli(['policy', 'show'])).out).toMatch(/^lockout\.baseMinutes +30$/m)
    expect(await cli(['policy', 'set', 'lockout.baseMinutes=0', 'postponements=-5'])).toMatchObject({ code: 2, err: 'error: postponements: Postponements allowed: enter a whole number from 0 to 10.\nlockout.baseMinutes: First lock lasts (minutes): enter a whole number from 1 to 1440.\nrun "tessera help" for the commands' })
    expect(await cli(['policy', 'set', 'nonsense=1'])).toMatchObject({ code: 2 })
    expect(await cli(['policy', 'set', 'mandatory=maybe'])).toMatchObject({ code: 2, err: expect.stringContaining('mandatory takes true or false') })
    expect(await cli(['policy', 'set', 'mandatory=true'])).toMatchObject({ code: 1, err: expect.stringContaining('No administrator has two-factor') })
    expect(await cli(['policy', 'set', 'smtp.host=mail.example.org', 'smtp.from=tessera@example.org', '--smtp-password-stdin'], 'relay-pass')).toMatchObject({ code: 0 })
    expect(JSON.parse((await cli(['policy', 'show', '--json'])).out)).toMatchObject({ smtp: { host: 'mail.example.org', port: 587 }, smtpPasswordSet: true, lockout: { baseMinutes: 30 } })
  })

  it('sets the organisation\'s language, and speaks the one it is asked for: --lang, else LC_ALL, LC_MESSAGES or LANG', async () => {
    await init()
    expect(await cli(['policy', 'set', 'defaultLanguage=ja'])).toMatchObject({ code: 0 })
    expect(JSON.parse((await cli(['policy', 'show', '--json'])).out)).toMatchObject({ defaultLanguage: 'ja' })
    expect(await cli(['policy', 'set', 'defaultLanguage=fr'])).toMatchObject({ code: 2, err: expect.stringContaining('defaultLanguage: Choose one of the options.') })
    expect(await cli(['policy', 'set', 'defaultLanguage=none'])).toMatchObject({ code: 0 })
    expect(JSON.parse((await cli(['policy', 'show', '--json'])).out)).toMatchObject({ defaultLanguage: null })
    const again = ['init', '--admin', 'eve', '--email', 'eve@example.org', '--password-stdin']
    const refusal = (locale: 'ja' | 'ko' | 'en') => `error: ${translator(locale).t('errors.ALREADY_INITIALIZED')}`
    expect((await cli(['--lang', 'ja', ...again], 'another long password')).err).toBe(refusal('ja'))
    expect(refusal('ja')).not.toContain('administrator')
    const env = { LC_ALL: process.env['LC_ALL'], LC_MESSAGES: process.env['LC_MESSAGES'], LANG: process.env['LANG'] }
    try {
      Object.assign(process.env, { LC_ALL: '', LC_MESSAGES: '', LANG: 'ko_KR.UTF-8' })
      expect((await cli(again, 'another long password')).err).toBe(refusal('ko'))
      process.env['LC_ALL'] = 'C' // POSIX: LC_ALL wins, and C is English
      expect((await cli(again, 'another long password')).err).toBe(refusal('en'))
    } finally {
      for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k]; else process.env[k] = v
    }
    expect(await cli(['--lang', 'fr', 'user', 'list'])).toMatchObject({ code: 2, err: expect.stringContaining('--lang is one of en, ja, ko, vi, not "fr"') })
  })

  it('lists and verifies the audit log', async () => {
    await init()
    expect((await cli(['audit', 'list'])).out).toMatch(new RegExp(`user\\.created +cli:${userInfo().username}@${hostname()} +grace +cli`))
    expect(JSON.parse((await cli(['audit', 'list', '--json'])).out)).toHaveLength(2)
    expect(await cli(['audit', 'verify'])).toEqual({ code: 0, out: 'ok: 2 rows, the chain is intact', err: '' })
  })

  it('imports users from a file all or nothing, and exports users and the audit log with --out', async () => {
    await init()
    const csv = join(dir.dir, 'people.csv')
    writeFileSync(csv, 'username,email,display_name,role\nlinus,linus@example.org,Linus T,user\ngrace,g2@example.org,Grace Again,user\nx,bad,Bad,user\n')
    expect(await cli(['user', 'import', csv])).toEqual({
      code: 1,
      out: '',
      err: ['line 3 (grace): username already in use', 'line 4 (x): username: At least 3 characters.', 'error: nothing was imported: 2 rows refused'].join('\n')
    })
    writeFileSync(csv, 'username,email,display_name,role\nlinus,linus@example.org,Linus T,user\nhedy,hedy@example.org,Hedy L,helpdesk\n')
    expect((await cli(['user', 'import', csv, '--dry-run'])).out.split('\n')[0]).toBe('the file is ready: 2 users would be created (nothing was written); the first rows:')
    expect((await cli(['user', 'list'])).out).not.toMatch(/hedy/)
    expect(await cli(['user', 'import', csv])).toEqual({ code: 0, out: 'imported 2 users', err: '' })
    const users = join(dir.dir, 'users.csv')
    expect(await cli(['user', 'export', '--out', users])).toEqual({ code: 0, out: `exported 4 users to ${users}`, err: '' })
    expect(readFileSync(users, 'utf8').trim().split('\r\n').map((l) => l.split(',')[0])).toEqual(['username', 'ada', 'grace', 'hedy', 'linus'])
    const audit = join(dir.dir, 'audit.csv')
    const exported = await cli(['audit', 'export', '--out', audit])
    expect(exported.out).toMatch(/^exported \d+ audit rows to /)
    const rows = readFileSync(audit, 'utf8').trim().split('\r\n')
    expect(rows.length - 1).toBe(Number(/exported (\d+)/.exec(exported.out)![1]))
    expect(rows.some((r) => r.includes('user.created') && r.includes('linus'))).toBe(true)
    expect(await cli(['user', 'import', join(dir.dir, 'missing.csv')])).toMatchObject({ code: 2, err: expect.stringContaining('no such file') })
    expect(await cli(['user', 'export'])).toMatchObject({ code: 2, err: expect.stringContaining('--out FILE.csv') })
    expect(await cli(['audit', 'export', '--out', join(dir.dir, 'nowhere', 'a.csv')])).toMatchObject({ code: 2, err: expect.stringContaining('does not exist') })
  })

  it('imports hardware tokens, assigns one, and checks a login with its codes', async () => {
    await init()
    expect((await cli(['policy', 'set', 'allowedMethods=totp,email,token'])).code).toBe(0)
    const seeds = join(dir.dir, 'tokens.csv')
    const hex = '3132333435363738393031323334353637383930'
    writeFileSync(seeds, `serial,secret,type,digits,period\nHW-1,${hex},hotp,6,\nHW-2,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,totp,8,60\n`)
    expect(await cli(['token', 'import', seeds])).toEqual({ code: 0, out: 'imported 2 tokens', err: '' })
    expect(await cli(['token', 'import', seeds])).toMatchObject({ code: 1, err: 'error: Serial number HW-1 is already imported; nothing was imported.' })
    writeFileSync(seeds, 'serial,secret,type,digits,period\nHW-3,abc,hotp,7,\n')
    expect(await cli(['token', 'import', seeds])).toMatchObject({ code: 1, err: 'error: Nothing was imported: line 2 (serial HW-3): digits must be 6 or 8.' })
    expect(await cli(['token', 'assign', 'HW-1', 'grace'])).toMatchObject({ code: 0, out: 'token HW-1 assigned to grace: they confirm its first code at their next login' })
    expect((await cli(['token', 'list'])).out.split('\n')).toEqual([
      'SERIAL  TYPE                STATE      USER   LAST USED',
      'HW-1    HOTP 6 digits       assigned   grace  -',
      'HW-2    TOTP 8 digits 60 s  available  -      -'
    ])
    // The first code confirms the token (as the login screen would), then codes log in once each.
    const code = (c: number) => execFileSync('oathtool', ['--hotp', '-c', String(c), hex]).toString().trim()
    expect(await cli(['auth', 'check', 'grace', '--password-stdin', '--code-stdin'], `correct horse battery staple\n${code(0)}\n`)).toMatchObject({ code: 1, err: expect.stringContaining('setup is required') })
    expect(await cli(['token', 'lost', 'HW-1'])).toMatchObject({ code: 0, out: 'token HW-1 is marked lost' })
    expect(await cli(['token', 'assign', 'HW-1', 'grace'])).toMatchObject({ code: 1, err: 'error: Token HW-1 is marked lost.' })
    expect(await cli(['token', 'assign', 'HW-9', 'grace'])).toMatchObject({ code: 1, err: 'error: No token with serial number HW-9.' })
  })

  it('lists a user\'s security keys and removes one, never the last where 2FA is required', async () => {
    await init()
    // Two keys as registration would have stored them (registration itself is a browser test).
    const engine = await createEngine({ databaseFile: join(dir.dir, 'tessera.db'), database: database ? { url: database.url } : undefined, dataDir: dir.dir })
    try {
      // Ada is an administrator: staff always need a second factor.
      const ada = (await engine.store.get<{ id: number }>("SELECT id FROM users WHERE username = 'ada'"))!
      const add = 'INSERT INTO webauthn_credentials (id, user_id, name, public_key, counter, rp_id, created_at) VALUES (?, ?, ?, ?, 0, ?, ?)'
      await engine.store.run(add, ['cred-blue', ada.id, 'blue YubiKey', Buffer.from([0]), 'localhost', Date.UTC(2026, 10, 1)])
      await engine.store.run(add, ['cred-spare', ada.id, 'spare', Buffer.from([0]), 'localhost', Date.UTC(2026, 10, 2)])
      await engine.store.run("INSERT INTO second_factors (user_id, method, state, started_at, activated_at, last_used_at) VALUES (?, 'webauthn', 'active', 0, 0, ?)", [ada.id, Date.UTC(2026, 10, 3)])
    } finally {
      await engine.close()
    }
    expect((await cli(['key', 'list', 'ada'])).out.split('\n')).toEqual([
      'NAME          ADDED                 LAST USED',
      'blue YubiKey  2026-11-01T00:00:00Z  -',
      'spare         2026-11-02T00:00:00Z  -'
    ])
    expect(await cli(['key', 'remove', 'ada', 'SPARE'])).toEqual({ code: 0, out: 'removed the key "spare" of ada', err: '' })
    expect(await cli(['key', 'remove', 'ada', 'blue yubikey'])).toMatchObject({ code: 1, err: expect.stringContaining('last security key') })
    expect(await cli(['key', 'remove', 'ada', 'green'])).toMatchObject({ code: 1, err: 'error: ada has no key named "green"' })
    expect(await cli(['key', 'list', 'grace'])).toMatchObject({ code: 0, out: 'grace has no security key' })
    expect((await cli(['audit', 'list'])).out).toMatch(/security-key\.removed/)

    // With an authenticator app beside her key, she holds two methods, and the CLI lists them.
    const again = await createEngine({ databaseFile: join(dir.dir, 'tessera.db'), database: database ? { url: database.url } : undefined, dataDir: dir.dir })
    try {
      const ada = (await again.store.get<{ id: number }>("SELECT id FROM users WHERE username = 'ada'"))!
      await again.store.run("INSERT INTO second_factors (user_id, method, name, state, secret, started_at, activated_at) VALUES (?, 'totp', 'tablet', 'active', ?, 0, ?)", [ada.id, Buffer.from([0]), Date.UTC(2026, 10, 1)])
    } finally {
      await again.close()
    }
    // Every method she holds, the default (used last) first.
    expect((await cli(['user', 'show', 'ada'])).out).toContain(
      [
        '2FA:             2 methods',
        '                 Security key (1 key), default, set up 1970-01-01T00:00:00Z, last used 2026-11-03T00:00:00Z',
        '                 Authenticator app “tablet”, set up 2026-11-01T00:00:00Z, last used -'
      ].join('\n')
    )
    expect(await cli(['key', 'remove', 'ada', 'blue yubikey'])).toMatchObject({ code: 0 })
    expect((await cli(['user', 'show', 'ada'])).out).toMatch(/^2FA: +1 method\n +Authenticator app “tablet”, default/m)
  })

  // An empty folder and no --database-url: the SQLite default whichever store the run uses.
  it('says there is no database, and creates nothing, for any command but init on an empty folder', async () => {
    const empty = join(dir.dir, 'nothing-here')
    for (const args of [['user', 'list'], ['audit', 'list'], ['policy', 'show'], ['token', 'list']]) {
      const out: string[] = []
      const err: string[] = []
      const code = await main(['--data-dir', empty, ...args], { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => '' })
      expect({ code, err: err.join('\n') }).toEqual({ code: 1, err: `error: no Tessera database in ${empty}: run "init" first` })
    }
    expect(existsSync(empty)).toBe(false)
  })

  it('edits a profile and deletes an account, with the username typed again', async () => {
    await init()
    expect(await cli(['user', 'add', 'linus', '--email', 'linus@example.org', '--phone', '+358 9 123 4567', '--password-stdin'], 'a long enough password\n')).toMatchObject({ code: 0 })
    expect((await cli(['user', 'show', 'linus'])).out).toMatch(/^phone: +\+358 9 123 4567$/m)
    expect(await cli(['user', 'edit', 'grace', '--username', 'ghopper', '--name', 'Grace Hopper', '--phone', '+1 555 0100'])).toEqual({ code: 0, out: 'changed username, displayName, phone of ghopper', err: '' })
    expect(await cli(['user', 'edit', 'ghopper', '--email', 'linus@example.org'])).toMatchObject({ code: 1, err: 'error: This e-mail address is already in use.' })
    expect(await cli(['user', 'edit', 'ghopper', '--phone', 'call me'])).toMatchObject({ code: 2 })
    expect(await cli(['user', 'edit', 'ghopper'])).toMatchObject({ code: 2, err: expect.stringContaining('at least one of') })
    expect(await cli(['user', 'delete', 'linus'])).toMatchObject({ code: 2, err: expect.stringContaining('--confirm linus') })
    expect(await cli(['user', 'delete', 'linus', '--confirm', 'linux'])).toMatchObject({ code: 1, err: 'error: Type the username, linus, to confirm.' })
    expect(await cli(['user', 'delete', 'linus', '--confirm', 'linus'])).toEqual({ code: 0, out: 'deleted linus', err: '' })
    expect((await cli(['user', 'list'])).out).not.toMatch(/linus/)
    expect((await cli(['audit', 'list'])).out).toMatch(/user\.deleted .* linus/)
  })

  it('has help for every command, and takes options before or after the command', async () => {
    const overview = await cli(['help'])
    expect(overview).toMatchObject({ code: 0, err: '' })
    const names = [...overview.out.matchAll(/^ {2}([a-z]+(?: [a-z0-9-]+)?)  +\S/gm)].map((m) => m[1]!).filter((n) => !n.startsWith('-'))
    expect(names).toContain('user add')
    expect(names.length).toBeGreaterThan(20)
    for (const name of names) {
      const help = await cli([...name.split(' '), '--help'])
      expect(help.code, name).toBe(0)
      expect(help.out.split('\n')[0], name).toMatch(new RegExp(`^usage: tessera ${name}\\b`))
      expect(help.out, name).toContain('--data-dir DIR')
      expect((await cli(['help', ...name.split(' ')])).out).toBe(help.out)
    }
    expect((await cli(['user', '--help'])).out).toMatch(/^tessera user commands:\n {2}tessera user add NAME --email EMAIL/)
    expect(await cli(['--help'])).toMatchObject({ code: 0, out: overview.out })
    await init()
    // --data-dir after the command, and options before the command's words.
    const io = { out: () => {}, err: () => {}, readStdin: async () => '' }
    expect(await main(['user', 'list', '--data-dir', dir.dir, ...target()], io)).toBe(0)
    expect(await main(['--json', ...target(), 'user', 'list', `--data-dir=${dir.dir}`], io)).toBe(0)
  })

  it('exits 2 for every usage or value error, on stderr, and 1 when the engine refuses', async () => {
    await init()
    for (const [args, message] of [
      [['user', 'add', 'linus', '--email', 'not-an-address', '--password-stdin'], 'e-mail:'],
      [['user', 'add', 'linus', '--email', 'linus@example.org', '--role', 'boss', '--password-stdin'], '--role (user, helpdesk or admin)'],
      [['policy', 'set', 'lockout.baseMinutes=-5'], 'First lock lasts (minutes): enter a whole number from 1 to 1440.'],
      [['policy', 'set', 'lockout.baseMinutes=abc'], 'lockout.baseMinutes takes a number'],
      [['audit', 'list', '--limit', '0'], '--limit takes a number from 1 to 500'],
      [['user', 'show'], 'user show needs NAME'],
      [['user'], 'user needs a subcommand']
    ] as const) {
      const r = await cli([...args], 'a long enough password\n')
      expect(r, args.join(' ')).toMatchObject({ code: 2, out: '' })
      expect(r.err.split('\n')[0]).toContain(message)
      expect(r.err).toMatch(/run "tessera help" for the commands$/)
    }
    expect(await cli(['user', 'show', 'nobody'])).toEqual({ code: 1, out: '', err: 'error: no user named nobody' })
    expect((await cli(['user', 'list'])).out.split('\n')).toHaveLength(3) // nothing was added
  })

  it('answers usage errors with exit 2 and refuses passwords in arguments', async () => {
    expect((await cli([])).code).toBe(2)
    expect(await cli(['frobnicate'])).toMatchObject({ code: 2, err: expect.stringContaining('unknown command: frobnicate') })
    expect(await cli(['init', '--admin', 'ada', '--email', 'a@example.org', '--password', 'secret'])).toMatchObject({ code: 2 })
    expect(await cli(['user', 'list', 'extra'])).toMatchObject({ code: 2 })
    expect(await cli(['user', 'list'])).toMatchObject({ code: 1, err: expect.stringContaining('run "init" first') })
  })
})

describe('as a process', () => {
  const run = promisify(execFile)
  const bin = join(import.meta.dirname, '../../bin/tessera.mjs')

  // A damaged SQLite file, whichever store the run uses (a PostgreSQL database is the server's).
  it('exits 1 with one line and no stack trace on a damaged database', async () => {
    writeFileSync(join(dir.dir, 'tessera.db'), 'this is not a database, just text in a file of that name')
    const failed = await run(process.execPath, [bin, 'user', 'list', '--data-dir', dir.dir]).then(
      () => null,
      (e: { code: number; stderr: string }) => e
    )
    expect(failed?.code).toBe(1)
    expect(failed?.stderr.trim()).toBe('error: file is not a database')
  })

  it('exits 2 on a usage error', async () => {
    const failed = await run(process.execPath, [bin, 'user']).then(
      () => null,
      (e: { code: number; stderr: string }) => e
    )
    expect(failed?.code).toBe(2)
    expect(failed?.stderr).not.toMatch(/\bat .*\(.*:\d+:\d+\)/)
  })

  it('runs as the package\'s tessera command', async () => {
    expect(JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')).bin).toEqual({ tessera: 'bin/tessera.mjs' })
    const { stdout } = await run(process.execPath, [bin, 'help'])
    expect(stdout).toMatch(/^usage: tessera /)
  })

  it('stops with one line on a Node older than 22.12', async () => {
    expect(nodeProblem('20.20.2')).toBe('Tessera needs Node 22.12 or newer; this is 20.20.2.')
    expect(nodeProblem('22.11.0')).not.toBeNull()
    expect(nodeProblem('22.12.0')).toBeNull()
    expect(nodeProblem('24.21.0')).toBeNull()
  })

  // The machine's own Node, where it is an old one (Debian's 20 here): the real process, not a mock.
  const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((n) => existsSync(n) && Number(execFileSync(n, ['-p', 'process.versions.node.split(".")[0]']).toString()) < 22)
  it.skipIf(!oldNode)('the CLI says so on that old Node, instead of crashing', async () => {
    const failed = await run(oldNode!, [bin, 'user', 'list', '--data-dir', dir.dir]).then(() => null, (e: { code: number; stderr: string }) => e)
    expect(failed?.code).toBe(1)
    expect(failed?.stderr).toMatch(/^Tessera needs Node 22\.12 or newer; this is 2\d\.\d+\.\d+\.\n$/)
  })
})

describe('a data directory whose key the desktop app wrapped', () => {
  it('is refused with an explanation, and no second key is made', async () => {
    const { existsSync } = await import('node:fs')
    writeFileSync(join(dir.dir, 'data.key.safe'), 'wrapped by the OS keychain')
    // Writing needs the key too: every audit row is signed with it.
    const r = await cli(['init', '--admin', 'ada', '--email', 'ada@example.org', '--password-stdin'], 'analytical engine notes\n')
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/protected by the desktop app's keychain \(data\.key\.safe\)/)
    expect(existsSync(join(dir.dir, 'data.key'))).toBe(false)
  })
})

describe('a directory larger than a sampled rank', () => {
  it('lists every user through the CLI, and closes without a stray error from background work', async () => {
    const out: string[] = []
    const err: string[] = []
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l), readStdin: async () => 'analytical engine notes\n' }
    expect(await main(['--data-dir', dir.dir, ...target(), 'init', '--admin', 'ada', '--email', 'ada@example.org', '--password-stdin'], io)).toBe(0)
    const csv = join(dir.dir, 'many.csv')
    writeFileSync(csv, 'username,email,display_name,role\n' + Array.from({ length: 10_000 }, (_, i) => `user${i},user${i}@example.org,User ${i},user`).join('\n'))
    expect(await main(['--data-dir', dir.dir, ...target(), 'user', 'import', csv], io)).toBe(0)
    const logged: unknown[] = []
    const spy = (...args: unknown[]) => void logged.push(args)
    const original = console.error
    console.error = spy
    try {
      out.length = 0
      expect(await main(['--data-dir', dir.dir, ...target(), 'user', 'list', '--json'], io)).toBe(0)
      expect(JSON.parse(out.join('\n'))).toHaveLength(10_001)
      await new Promise((resolve) => setTimeout(resolve, 100))
    } finally {
      console.error = original
    }
    expect(logged).toEqual([])
    expect(err).toEqual([])
  })
})
