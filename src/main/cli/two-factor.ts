/** CLI commands on second factors: totp, auth check, token, key. */
import { readFileSync } from 'node:fs'
import QRCode from 'qrcode'
import { DomainError } from '../core/domain-error'
import type { Engine } from '../core/engine'
import { command, iso, plural, readableFile, readSecrets, table, UsageError, WORKSTATION, type Io } from './args'
import { userNamed } from './users'

const json = { type: 'boolean', help: 'print JSON instead of a table' } as const

/** `token unassign` / `token lost`: the token back from its holder, available again or lost. */
const releaseToken = (lost: boolean) =>
  command({
    name: lost ? 'token lost' : 'token unassign',
    usage: 'SERIAL',
    summary: lost ? 'mark a token lost: it can never be assigned again' : 'take a token back from its holder: it can be assigned again',
    options: {},
    positionals: 1,
    prepare: ({ positionals }, io) => async (engine) => {
      const serial = positionals[0]!
      await engine.twoFactor.releaseToken(null, serial, lost, WORKSTATION)
      io.out(lost ? `token ${serial} is marked lost` : `token ${serial} is available again`)
      return 0
    }
  })

/** A login as the app checks it: password, then the second factor the user has. */
async function checkLogin(engine: Engine, io: Io, username: string, password: string, code: string | undefined, recovery: boolean): Promise<number> {
  const { user, stage } = await engine.auth.login(username, password, WORKSTATION)
  if (stage === 'enrol') {
    const req = await engine.auth.enrolRequirement(user)
    throw new DomainError('NOT_ENROLLED', `two-factor setup is required at login${req.postponementsLeft ? ` (${req.postponementsLeft} postponements left)` : ''}`)
  }
  if (stage === 'second-factor') {
    const lock = await engine.twoFactor.lockOf(user, WORKSTATION)
    if (lock) throw lock
    if (!code) throw new DomainError('INVALID_CODE', 'a second factor is required: pass --code-stdin or --recovery-stdin')
    const method = recovery ? 'recovery' : ((await engine.twoFactor.activeMethod(user.id)) ?? 'totp')
    const verified = await engine.twoFactor.verify(user, method, code, WORKSTATION)
    if (verified.viaAccessCode) throw new DomainError('NOT_ENROLLED', 'two-factor setup is required at login')
    await engine.auth.recordLogin(user, WORKSTATION, method)
    if (verified.lowOnRecoveryCodes) io.err(`warning: ${verified.recoveryCodesLeft} recovery codes left`)
  }
  io.out('ok')
  return 0
}

export const twoFactorCommands = [
  command({
    name: 'totp enroll',
    usage: 'NAME [--qr FILE.png]',
    summary: 'start setting up an authenticator app: prints the otpauth:// URI',
    details: ['When the policy asks for an e-mail check first, a code is e-mailed instead: run "totp verify-email" next.'],
    options: { qr: { type: 'string', value: 'FILE.png', help: 'also write the QR code to scan' } },
    positionals: 1,
    prepare: ({ values, positionals }, io) => async (engine) => {
      const user = await userNamed(engine, positionals[0]!)
      if (await engine.twoFactor.isActive(user.id)) throw new DomainError('ALREADY_ENROLLED', `${user.username} holds a second factor already: more are added in My account`)
      const step = await engine.twoFactor.startEnrolment(user, 'totp', WORKSTATION)
      if (step.step === 'verify-email') {
        io.out(`a code was sent to ${step.maskedEmail}: run "totp verify-email ${positionals[0]}" next, with the code on standard input`)
        return 0
      }
      if (step.step !== 'scan') throw new DomainError('INTERNAL')
      if (values.qr) await QRCode.toFile(values.qr, step.uri, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 })
      io.out(step.uri)
      return 0
    }
  }),
  command({
    name: 'totp verify-email',
    usage: 'NAME',
    summary: 'the e-mailed code (on standard input) that lets the set-up go on',
    options: {},
    positionals: 1,
    async prepare({ positionals }, io) {
      const [code] = await readSecrets(io, ['code'])
      return async (engine) => {
        const step = await engine.twoFactor.verifyEnrolmentEmail(await userNamed(engine, positionals[0]!), code!, WORKSTATION)
        if (step.step === 'scan') io.out(step.uri)
        return 0
      }
    }
  }),
  command({
    name: 'totp confirm',
    usage: 'NAME',
    summary: 'finish the set-up with the app\'s current code (on standard input): prints the recovery codes',
    options: {},
    positionals: 1,
    async prepare({ positionals }, io) {
      const [code] = await readSecrets(io, ['code'])
      return async (engine) => {
        const user = await userNamed(engine, positionals[0]!)
        if (!(await engine.twoFactor.hasFactor(user.id)) || (await engine.twoFactor.isActive(user.id))) {
          throw new DomainError('ENROLMENT_NOT_STARTED', `no set-up in progress for ${user.username}: run "totp enroll ${user.username}" first`)
        }
        const step = await engine.twoFactor.confirmEnrolment(user, code!, WORKSTATION)
        if (step.step !== 'recovery-codes') throw new DomainError('INTERNAL')
        // Printing the codes is the user's acknowledgement that they were shown.
        await engine.twoFactor.completeEnrolment(user, WORKSTATION)
        io.out(step.codes.join('\n'))
        return 0
      }
    }
  }),
  command({
    name: 'auth check',
    usage: 'NAME --password-stdin [--code-stdin | --recovery-stdin]',
    summary: 'check a login as the app does: prints "ok", or is refused',
    details: ['Standard input: the password on the first line, the code or recovery code on the second.', 'Wrong guesses count toward the lockout exactly as in the app.'],
    options: {
      'password-stdin': { type: 'boolean', help: 'read the password from the first line of standard input' },
      'code-stdin': { type: 'boolean', help: 'read the second factor\'s code from the second line' },
      'recovery-stdin': { type: 'boolean', help: 'read a recovery code from the second line' }
    },
    positionals: 1,
    async prepare({ values, positionals }, io) {
      if (values['code-stdin'] && values['recovery-stdin']) throw new UsageError('give --code-stdin or --recovery-stdin, not both')
      if (!values['password-stdin']) throw new UsageError('the password is read from standard input: pass --password-stdin')
      const recovery = !!values['recovery-stdin']
      const withCode = recovery || !!values['code-stdin']
      const [password, code] = await readSecrets(io, withCode ? ['password', recovery ? 'recovery code' : 'code'] : ['password'])
      return (engine) => checkLogin(engine, io, positionals[0]!, password!, code, recovery)
    }
  }),
  command({
    name: 'token import',
    usage: 'FILE.xml|FILE.csv [--psk-stdin]',
    summary: 'import hardware-token seeds from a PSKC (RFC 6030) or CSV file, all or nothing',
    details: ['CSV columns: serial,secret,type,digits,period (secret in base32 or hex).'],
    options: { 'psk-stdin': { type: 'boolean', help: 'read the PSKC file\'s pre-shared key (hex) from standard input' } },
    positionals: 1,
    async prepare({ values, positionals }, io) {
      const file = readableFile(positionals[0]!)
      const psk = values['psk-stdin'] ? (await readSecrets(io, ['pre-shared key']))[0]! : null
      return async (engine) => {
        const { imported } = await engine.twoFactor.tokens.importFile(null, readFileSync(file.path, 'utf8'), psk, WORKSTATION)
        io.out(`imported ${plural(imported, 'token')}`)
        return 0
      }
    }
  }),
  command({
    name: 'token list',
    usage: '[--json]',
    summary: 'the imported hardware tokens: type, state, holder, last use',
    options: { json },
    positionals: 0,
    prepare: ({ values }, io) => async (engine) => {
      const tokens = await engine.twoFactor.tokens.list({ limit: 10_000 })
      if (values.json) io.out(JSON.stringify(tokens, null, 2))
      else if (tokens.length === 0) io.out('no tokens imported')
      else {
        const kind = (t: (typeof tokens)[number]) => `${t.kind.toUpperCase()} ${t.digits} digits${t.period ? ` ${t.period} s` : ''}${t.algorithm === 'sha256' ? ' SHA-256' : ''}`
        io.out(table([['SERIAL', 'TYPE', 'STATE', 'USER', 'LAST USED'], ...tokens.map((t) => [t.serial, kind(t), t.state, t.user?.username ?? '-', iso(t.lastUsedAt)])]).join('\n'))
      }
      return 0
    }
  }),
  command({
    name: 'token assign',
    usage: 'SERIAL USER',
    summary: 'give a token to a user: they confirm its first code at their next login',
    options: {},
    positionals: 2,
    prepare: ({ positionals }, io) => async (engine) => {
      const token = await engine.twoFactor.assignToken(null, positionals[0]!, await userNamed(engine, positionals[1]!), WORKSTATION)
      io.out(`token ${token.serial} assigned to ${positionals[1]}: they confirm its first code at their next login`)
      return 0
    }
  }),
  releaseToken(false),
  releaseToken(true),
  command({
    name: 'key list',
    usage: 'USER [--json]',
    summary: 'a user\'s security keys: names and dates',
    options: { json },
    positionals: 1,
    prepare: ({ values, positionals }, io) => async (engine) => {
      const keys = await engine.twoFactor.securityKeys((await userNamed(engine, positionals[0]!)).id)
      if (values.json) io.out(JSON.stringify(keys, null, 2))
      else if (keys.length === 0) io.out(`${positionals[0]} has no security key`)
      else io.out(table([['NAME', 'ADDED', 'LAST USED'], ...keys.map((k) => [k.name, iso(k.createdAt), iso(k.lastUsedAt)])]).join('\n'))
      return 0
    }
  }),
  command({
    name: 'key remove',
    usage: 'USER NAME',
    summary: 'remove one of a user\'s security keys (never the last while 2FA is required)',
    options: {},
    positionals: 2,
    prepare: ({ positionals }, io) => async (engine) => {
      const user = await userNamed(engine, positionals[0]!)
      const key = (await engine.twoFactor.securityKeys(user.id)).find((k) => k.name.toLowerCase() === positionals[1]!.toLowerCase())
      if (!key) throw new DomainError('NOT_FOUND', `${user.username} has no key named "${positionals[1]}"`)
      await engine.twoFactor.removeKey(null, user, key.id, WORKSTATION)
      io.out(`removed the key "${key.name}" of ${user.username}`)
      return 0
    }
  })
]
