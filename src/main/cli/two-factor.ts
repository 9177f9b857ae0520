/** CLI commands on second factors: totp, auth check, token, key. */
import { readFileSync } from 'node:fs'
import QRCode from 'qrcode'
import { message, type Translator } from '../../shared/i18n/translate'
import { DomainError } from '../core/domain-error'
import type { Engine } from '../core/engine'
import { command, headedTable, iso, readableFile, readSecrets, UsageError, WORKSTATION, type Io } from './args'
import { userNamed } from './users'

const json = { type: 'boolean', help: 'cli.option.json' } as const

/** `token unassign` / `token lost`: the token back from its holder, available again or lost. */
const releaseToken = (lost: boolean) =>
  command({
    name: lost ? 'token lost' : 'token unassign',
    usage: 'SERIAL',
    summary: lost ? 'cli.tokenLost.summary' : 'cli.tokenUnassign.summary',
    options: {},
    positionals: 1,
    prepare: ({ positionals, words }, io) => async (engine) => {
      const serial = positionals[0]!
      await engine.twoFactor.releaseToken(null, serial, lost, WORKSTATION)
      io.out(words.t(lost ? 'cli.tokenLost.done' : 'cli.tokenUnassign.done', { serial }))
      return 0
    }
  })

/** A login as the app checks it: password, then the second factor the user has. */
async function checkLogin(engine: Engine, io: Io, words: Translator, username: string, password: string, code: string | undefined, recovery: boolean): Promise<number> {
  const { user, stage } = await engine.auth.login(username, password, WORKSTATION)
  if (stage === 'enrol') {
    const left = (await engine.auth.enrolRequirement(user)).postponementsLeft
    throw new DomainError('NOT_ENROLLED', left ? message('cli.authCheck.setupRequiredPostponable', { count: left }) : message('cli.authCheck.setupRequired'))
  }
  if (stage === 'second-factor') {
    const lock = await engine.twoFactor.lockOf(user, WORKSTATION)
    if (lock) throw lock
    if (!code) throw new DomainError('INVALID_CODE', message('cli.authCheck.secondFactorRequired'))
    const method = recovery ? 'recovery' : ((await engine.twoFactor.activeMethod(user.id)) ?? 'totp')
    const verified = await engine.twoFactor.verify(user, method, code, WORKSTATION)
    if (verified.viaAccessCode) throw new DomainError('NOT_ENROLLED', message('cli.authCheck.setupRequired'))
    await engine.auth.recordLogin(user, WORKSTATION, method)
    if (verified.lowOnRecoveryCodes) io.err(words.t('cli.warning', { text: words.t('cli.authCheck.codesLeft', { count: verified.recoveryCodesLeft ?? 0 }) }))
  }
  io.out('ok') // what scripts compare: the same in every language
  return 0
}

export const twoFactorCommands = [
  command({
    name: 'totp enroll',
    usage: 'NAME [--qr FILE.png]',
    summary: 'cli.totpEnroll.summary',
    details: 'cli.totpEnroll.details',
    options: { qr: { type: 'string', value: 'FILE.png', help: 'cli.totpEnroll.option.qr' } },
    positionals: 1,
    prepare: ({ values, positionals, words }, io) => async (engine) => {
      const user = await userNamed(engine, positionals[0]!)
      if (await engine.twoFactor.isActive(user.id)) throw new DomainError('ALREADY_ENROLLED', message('cli.totpEnroll.alreadyEnrolled', { username: user.username }))
      const step = await engine.twoFactor.startEnrolment(user, 'totp', WORKSTATION)
      if (step.step === 'verify-email') {
        io.out(words.t('cli.totpEnroll.codeSent', { email: step.maskedEmail, username: positionals[0]! }))
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
    summary: 'cli.totpVerifyEmail.summary',
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
    summary: 'cli.totpConfirm.summary',
    options: {},
    positionals: 1,
    async prepare({ positionals }, io) {
      const [code] = await readSecrets(io, ['code'])
      return async (engine) => {
        const user = await userNamed(engine, positionals[0]!)
        if (!(await engine.twoFactor.hasFactor(user.id)) || (await engine.twoFactor.isActive(user.id))) {
          throw new DomainError('ENROLMENT_NOT_STARTED', message('cli.totpConfirm.notStarted', { username: user.username }))
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
    summary: 'cli.authCheck.summary',
    details: 'cli.authCheck.details',
    options: {
      'password-stdin': { type: 'boolean', help: 'cli.option.passwordStdin' },
      'code-stdin': { type: 'boolean', help: 'cli.authCheck.option.code' },
      'recovery-stdin': { type: 'boolean', help: 'cli.authCheck.option.recovery' }
    },
    positionals: 1,
    async prepare({ values, positionals, words }, io) {
      if (values['code-stdin'] && values['recovery-stdin']) throw new UsageError(message('cli.authCheck.notBoth'))
      if (!values['password-stdin']) throw new UsageError(message('cli.usage.passwordStdin'))
      const recovery = !!values['recovery-stdin']
      const withCode = recovery || !!values['code-stdin']
      const [password, code] = await readSecrets(io, withCode ? ['password', recovery ? 'recoveryCode' : 'code'] : ['password'])
      return (engine) => checkLogin(engine, io, words, positionals[0]!, password!, code, recovery)
    }
  }),
  command({
    name: 'token import',
    usage: 'FILE.xml|FILE.csv [--psk-stdin]',
    summary: 'cli.tokenImport.summary',
    details: 'cli.tokenImport.details',
    options: { 'psk-stdin': { type: 'boolean', help: 'cli.tokenImport.option.psk' } },
    positionals: 1,
    async prepare({ values, positionals, words }, io) {
      const file = readableFile(positionals[0]!)
      const psk = values['psk-stdin'] ? (await readSecrets(io, ['psk']))[0]! : null
      return async (engine) => {
        const { imported } = await engine.twoFactor.tokens.importFile(null, readFileSync(file.path, 'utf8'), psk, WORKSTATION)
        io.out(words.t('cli.tokenImport.done', { count: imported }))
        return 0
      }
    }
  }),
  command({
    name: 'token list',
    usage: '[--json]',
    summary: 'cli.tokenList.summary',
    options: { json },
    positionals: 0,
    prepare: ({ values, words }, io) => async (engine) => {
      const tokens = await engine.twoFactor.tokens.list({ limit: 10_000 })
      if (values.json) io.out(JSON.stringify(tokens, null, 2))
      else if (tokens.length === 0) io.out(words.t('cli.tokenList.none'))
      else {
        const kind = (t: (typeof tokens)[number]) => words.t('cli.tokenList.kind', { kind: t.kind.toUpperCase(), digits: t.digits, period: t.period ?? 0, sha256: t.algorithm === 'sha256' ? 'yes' : 'no' })
        const rows = tokens.map((t) => [t.serial, kind(t), t.state, t.user?.username ?? '-', iso(t.lastUsedAt)])
        io.out(headedTable(words, ['cli.column.serial', 'cli.column.type', 'cli.column.state', 'cli.column.user', 'cli.column.lastUsed'], rows).join('\n'))
      }
      return 0
    }
  }),
  command({
    name: 'token assign',
    usage: 'SERIAL USER',
    summary: 'cli.tokenAssign.summary',
    options: {},
    positionals: 2,
    prepare: ({ positionals, words }, io) => async (engine) => {
      const token = await engine.twoFactor.assignToken(null, positionals[0]!, await userNamed(engine, positionals[1]!), WORKSTATION)
      io.out(words.t('cli.tokenAssign.done', { serial: token.serial, username: positionals[1]! }))
      return 0
    }
  }),
  releaseToken(false),
  releaseToken(true),
  command({
    name: 'key list',
    usage: 'USER [--json]',
    summary: 'cli.keyList.summary',
    options: { json },
    positionals: 1,
    prepare: ({ values, positionals, words }, io) => async (engine) => {
      const keys = await engine.twoFactor.securityKeys((await userNamed(engine, positionals[0]!)).id)
      if (values.json) io.out(JSON.stringify(keys, null, 2))
      else if (keys.length === 0) io.out(words.t('cli.keyList.none', { username: positionals[0]! }))
      else io.out(headedTable(words, ['cli.column.name', 'cli.column.added', 'cli.column.lastUsed'], keys.map((k) => [k.name, iso(k.createdAt), iso(k.lastUsedAt)])).join('\n'))
      return 0
    }
  }),
  command({
    name: 'key remove',
    usage: 'USER NAME',
    summary: 'cli.keyRemove.summary',
    options: {},
    positionals: 2,
    prepare: ({ positionals, words }, io) => async (engine) => {
      const user = await userNamed(engine, positionals[0]!)
      const key = (await engine.twoFactor.securityKeys(user.id)).find((k) => k.name.toLowerCase() === positionals[1]!.toLowerCase())
      if (!key) throw new DomainError('NOT_FOUND', message('cli.keyRemove.noSuchKey', { username: user.username, name: positionals[1]! }))
      await engine.twoFactor.removeKey(null, user, key.id, WORKSTATION)
      io.out(words.t('cli.keyRemove.done', { name: key.name, username: user.username }))
      return 0
    }
  })
]
