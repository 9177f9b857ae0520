/**
 * The admin CLI: offline scripting over the same engine as the app.
 *   npm run -s cli -- [--data-dir DIR] COMMAND ...
 * Exit codes: 0 done, 1 refused (one line "error: ..." on stderr), 2 usage error. Passwords are
 * read from standard input (--password-stdin), never from arguments. No stack traces.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import QRCode from 'qrcode'
import { STATUS_LABELS } from '../shared/admin-dto'
import type { Role } from '../shared/dto'
import { DEFAULT_POLICY, policySchema, type Policy } from '../shared/policy'
import { displayNameSchema, emailSchema, newPasswordSchema, roleSchema, usernameSchema } from '../shared/validation'
import { DomainError } from './core/domain-error'
import { createEngine, type Engine } from './core/engine'
import { unattended } from './core/jobs'
import { databaseFile, resolveDataDir } from './data-dir'
import { findUserByIdentifier, type UserRow } from './db/queries/users'

const WORKSTATION = 'cli'

const USAGE = `usage: tessera [--data-dir DIR] COMMAND ...

  init --admin NAME --email EMAIL [--name "Full Name"] --password-stdin
  user add NAME --email EMAIL [--name "Full Name"] [--role user|helpdesk|admin] --password-stdin
  user list [--search TEXT] [--json]
  user show NAME [--json]
  user unlock NAME
  user reset-2fa NAME --reason TEXT
  user import FILE.csv               (columns username,email,display_name,role; all or nothing)
  user export --out FILE.csv
  totp enroll NAME [--qr FILE.png]
  totp verify-email NAME             (the e-mailed code on standard input; when the policy asks for it)
  totp confirm NAME                  (the app's current code on standard input)
  auth check NAME --password-stdin [--code-stdin | --recovery-stdin]
                                     (the password, then the code, one per line on standard input)
  policy show [--json]
  policy set KEY=VALUE ... [--smtp-password-stdin]
  audit list [--json] [--limit N]
  audit verify
  audit export --out FILE.csv
  token import FILE.xml|FILE.csv [--psk-stdin]
                                     (PSKC or CSV seeds; the pre-shared key, hex, on standard input)
  token list [--json]
  token assign SERIAL USER           (the user confirms the token's first code at their next login)
  token unassign SERIAL
  token lost SERIAL
  key list USER [--json]             (the user's security keys: names and dates)
  key remove USER NAME               (never the last one while 2FA is required)

The data directory is --data-dir, else $TESSERA_DATA_DIR, else the app's own.`

class UsageError extends Error {}

export type Io = {
  out(line: string): void
  err(line: string): void
  readStdin(): Promise<string>
}

/** Electron's userData for an app named "tessera", so the CLI finds the app's database by default. */
function defaultDataDir(): string {
  const home = homedir()
  if (process.platform === 'win32') return join(process.env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'tessera')
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'tessera')
  return join(process.env['XDG_CONFIG_HOME'] ?? join(home, '.config'), 'tessera')
}

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, positionals: number) {
  let parsed
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!)
  }
  if (parsed.positionals.length !== positionals) {
    throw new UsageError(positionals === 0 ? `unexpected argument: ${parsed.positionals[0]}` : `expected ${positionals} argument(s)`)
  }
  return parsed
}

function valid<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } }, value: unknown, what: string): T {
  const r = schema.safeParse(value)
  if (!r.success) throw new DomainError('INVALID_INPUT', `${what}: ${r.error.issues[0]?.message ?? 'not valid'}`)
  return r.data
}

/**
 * Secrets come from standard input, one per line, never from arguments: arguments can be read by
 * every local user in /proc/PID/cmdline and end up in shell history.
 */
async function readSecrets(io: Io, names: string[]): Promise<string[]> {
  const lines = (await io.readStdin()).split(/\r?\n/)
  return names.map((name, i) => {
    const line = lines[i] ?? ''
    if (!line) throw new UsageError(`no ${name} on line ${i + 1} of standard input`)
    return line
  })
}

async function readPassword(io: Io, flag: boolean | undefined): Promise<string> {
  if (!flag) throw new UsageError('the password is read from standard input: pass --password-stdin')
  return (await readSecrets(io, ['password']))[0]!
}

function userNamed(engine: Engine, name: string): UserRow {
  const u = findUserByIdentifier(engine.db, name)
  if (!u) throw new DomainError('NOT_FOUND', `no user named ${name}`)
  return u
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd())
}

const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`

/** A file to read: it must exist and be a file, checked before anything is opened. */
function readableFile(path: string): { path: string; bytes: number } {
  let stat
  try {
    stat = statSync(path)
  } catch {
    throw new UsageError(`cannot read ${path}: no such file`)
  }
  if (!stat.isFile()) throw new UsageError(`cannot read ${path}: not a file`)
  return { path: resolve(path), bytes: stat.size }
}

/** Where an export goes: --out FILE, in a directory that exists. */
function outFile(out: string | undefined): string {
  if (!out) throw new UsageError('give the file to write with --out FILE.csv')
  const path = resolve(out)
  if (!existsSync(dirname(path))) throw new UsageError(`cannot write ${out}: the folder ${dirname(path)} does not exist`)
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`cannot write ${out}: it is a folder`)
  return path
}

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().replace('.000Z', 'Z'))

/** `lockout.baseMinutes=30` → a new policy; the value's type follows the default's. */
export function applySetting(policy: Policy, assignment: string): Policy {
  const eq = assignment.indexOf('=')
  if (eq < 1) throw new UsageError(`expected KEY=VALUE, got "${assignment}"`)
  const key = assignment.slice(0, eq)
  const raw = assignment.slice(eq + 1)
  const next = structuredClone(policy) as Record<string, unknown>
  const path = key.split('.')
  if (path[0] === 'smtp') {
    if (path.length === 1) {
      if (raw !== 'none') throw new UsageError('smtp=none removes the SMTP settings; set smtp.host=..., smtp.port=... to add them')
      next['smtp'] = null
      return next as Policy
    }
    next['smtp'] ??= { host: '', port: 587, security: 'starttls', username: '', from: '' }
  }
  let parent: Record<string, unknown> = next
  let template: unknown = { ...DEFAULT_POLICY, smtp: { host: '', port: 0, security: '', username: '', from: '' } }
  for (const [i, part] of path.entries()) {
    const t = (template as Record<string, unknown> | null)?.[part]
    if (t === undefined || !Object.hasOwn(template as object, part)) throw new UsageError(`unknown policy key: ${key}`)
    if (i === path.length - 1) {
      parent[part] = parseValue(t, raw, key)
    } else {
      parent = parent[part] as Record<string, unknown>
      template = t
    }
  }
  return next as Policy
}

function parseValue(template: unknown, raw: string, key: string): unknown {
  if (typeof template === 'boolean') {
    if (['true', 'on', 'yes', '1'].includes(raw)) return true
    if (['false', 'off', 'no', '0'].includes(raw)) return false
    throw new UsageError(`${key} takes true or false`)
  }
  if (typeof template === 'number') {
    const n = Number(raw)
    if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${key} takes a number`)
    return n
  }
  if (Array.isArray(template)) return raw.split(',').map((s) => s.trim()).filter(Boolean)
  if (typeof template === 'object') throw new UsageError(`${key} is a group: set one of its keys, e.g. ${key}.${Object.keys(template as object)[0]}=...`)
  return raw
}

async function run(argv: string[], io: Io): Promise<number> {
  // Global option first, then the command.
  let dataDirArg: string | undefined
  const args = [...argv]
  while (args[0]?.startsWith('--data-dir')) {
    const a = args.shift()!
    dataDirArg = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args.shift()
    if (!dataDirArg) throw new UsageError('--data-dir needs a directory')
  }
  const [group, sub, ...rest] = args
  if (!group || group === 'help' || group === '--help' || group === '-h') {
    io.out(USAGE)
    return group ? 0 : 2
  }
  const command = group === 'init' ? 'init' : `${group} ${sub ?? ''}`.trim()
  const commandArgs = group === 'init' ? (sub === undefined ? [] : [sub, ...rest]) : rest
  const known = ['init', 'user add', 'user list', 'user show', 'user unlock', 'user reset-2fa', 'totp enroll', 'totp verify-email', 'totp confirm', 'auth check', 'policy show', 'policy set', 'audit list', 'audit verify', 'audit export', 'user import', 'user export', 'token import', 'token list', 'token assign', 'token unassign', 'token lost', 'key list', 'key remove']
  if (!known.includes(command)) throw new UsageError(`unknown command: ${command}`)

  const dataDir = resolveDataDir(dataDirArg ? ['--data-dir', dataDirArg] : [], process.env, defaultDataDir, command === 'init')
  // Parse the arguments before opening anything, so a usage error changes nothing.
  /** `token unassign` / `token lost`: the token back from its holder, available again or lost. */
  const releaseToken = (lost: boolean) => {
    const serial = parse(commandArgs, {}, 1).positionals[0]!
    return async (engine: Engine) => {
      engine.twoFactor.releaseToken(null, serial, lost, WORKSTATION)
      io.out(lost ? `token ${serial} is marked lost` : `token ${serial} is available again`)
      return 0
    }
  }
  const handlers: Record<string, () => Promise<(engine: Engine) => Promise<number>>> = {
    init: async () => {
      const { values } = parse(commandArgs, { admin: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } }, 0)
      if (!values.admin || !values.email) throw new UsageError('init needs --admin NAME and --email EMAIL')
      const password = await readPassword(io, values['password-stdin'])
      return async (engine) => {
        const input = {
          username: valid(usernameSchema, values.admin, 'username'),
          email: valid(emailSchema, values.email, 'e-mail'),
          displayName: valid(displayNameSchema, values.name ?? values.admin, 'name'),
          password: valid(newPasswordSchema, password, 'password')
        }
        const user = await engine.accounts.createFirstAdmin(input)
        engine.audit.record({ event: 'setup.first-admin', subject: { id: user.id, username: user.username }, workstation: WORKSTATION })
        io.out(`created administrator ${user.username} in ${dataDir}`)
        return 0
      }
    },
    'user add': async () => {
      const { values, positionals } = parse(commandArgs, { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, 'password-stdin': { type: 'boolean' } }, 1)
      if (!values.email) throw new UsageError('user add needs --email EMAIL')
      const role = values.role ?? 'user'
      if (!roleSchema.safeParse(role).success) throw new UsageError('--role is one of user, helpdesk, admin')
      const password = await readPassword(io, values['password-stdin'])
      return async (engine) => {
        const user = await engine.helpdesk.createUser(null, {
          username: valid(usernameSchema, positionals[0], 'username'),
          email: valid(emailSchema, values.email, 'e-mail'),
          displayName: valid(displayNameSchema, values.name ?? positionals[0], 'name'),
          role: role as Role,
          password: valid(newPasswordSchema, password, 'password')
        }, WORKSTATION)
        io.out(`created ${user.role} ${user.username}`)
        return 0
      }
    },
    'user list': async () => {
      const { values } = parse(commandArgs, { search: { type: 'string' }, json: { type: 'boolean' } }, 0)
      return async (engine) => {
        const rows = []
        for (let offset = 0; ; offset += 500) {
          const page = engine.directory.list({ search: values.search ?? '', status: 'all', role: 'all', sort: 'username', descending: false, offset, limit: 500 })
          rows.push(...page.rows)
          if (rows.length >= page.total || page.rows.length === 0) break
        }
        if (values.json) io.out(JSON.stringify(rows, null, 2))
        else if (rows.length === 0) io.out('no users')
        else io.out(table([['USERNAME', 'NAME', 'E-MAIL', 'ROLE', 'STATUS'], ...rows.map((r) => [r.username, r.displayName, r.email, r.role, STATUS_LABELS[r.status]])]).join('\n'))
        return 0
      }
    },
    'user show': async () => {
      const { values, positionals } = parse(commandArgs, { json: { type: 'boolean' } }, 1)
      return async (engine) => {
        const u = userNamed(engine, positionals[0]!)
        const d = engine.directory.detail(u.id)
        if (values.json) io.out(JSON.stringify(d, null, 2))
        else {
          io.out(
            [
              `username:        ${d.username}`,
              `name:            ${d.displayName}`,
              `e-mail:          ${d.email}`,
              `role:            ${d.role}`,
              `status:          ${STATUS_LABELS[d.status]}${d.lockedUntil ? ` until ${iso(d.lockedUntil)}` : ''}`,
              `2FA:             ${d.method ?? 'not set up'}`,
              `recovery codes:  ${d.method ? `${d.recoveryCodesLeft} left` : '-'}`,
              `last login:      ${iso(d.lastLoginAt)}`
            ].join('\n')
          )
        }
        return 0
      }
    },
    'user unlock': async () => {
      const { positionals } = parse(commandArgs, {}, 1)
      return async (engine) => {
        engine.helpdesk.unlock(null, userNamed(engine, positionals[0]!).id, WORKSTATION)
        io.out(`unlocked ${positionals[0]}`)
        return 0
      }
    },
    'user reset-2fa': async () => {
      const { values, positionals } = parse(commandArgs, { reason: { type: 'string' } }, 1)
      if (!values.reason?.trim()) throw new UsageError('user reset-2fa needs --reason TEXT')
      return async (engine) => {
        engine.helpdesk.resetTwoFactor(null, userNamed(engine, positionals[0]!).id, values.reason!.trim(), WORKSTATION)
        io.out(`reset two-factor authentication of ${positionals[0]}: they set it up again at their next login`)
        return 0
      }
    },
    'totp enroll': async () => {
      const { values, positionals } = parse(commandArgs, { qr: { type: 'string' } }, 1)
      return async (engine) => {
        const step = await engine.twoFactor.startEnrolment(userNamed(engine, positionals[0]!), 'totp', WORKSTATION)
        if (step.step === 'verify-email') {
          io.out(`a code was sent to ${step.maskedEmail}: run "totp verify-email ${positionals[0]}" next, with the code on standard input`)
          return 0
        }
        if (step.step !== 'scan') throw new DomainError('INTERNAL')
        if (values.qr) await QRCode.toFile(values.qr, step.uri, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 })
        io.out(step.uri)
        return 0
      }
    },
    'totp verify-email': async () => {
      const { positionals } = parse(commandArgs, {}, 1)
      const [code] = await readSecrets(io, ['code'])
      return async (engine) => {
        const step = await engine.twoFactor.verifyEnrolmentEmail(userNamed(engine, positionals[0]!), code!, WORKSTATION)
        if (step.step === 'scan') io.out(step.uri)
        return 0
      }
    },
    'totp confirm': async () => {
      const { positionals } = parse(commandArgs, {}, 1)
      const [code] = await readSecrets(io, ['code'])
      return async (engine) => {
        const user = userNamed(engine, positionals[0]!)
        if (!engine.twoFactor.hasFactor(user.id) || engine.twoFactor.isActive(user.id)) {
          throw new DomainError('ENROLMENT_NOT_STARTED', `no set-up in progress for ${user.username}: run "totp enroll ${user.username}" first`)
        }
        const step = engine.twoFactor.confirmEnrolment(user, code!, WORKSTATION)
        if (step.step !== 'recovery-codes') throw new DomainError('INTERNAL')
        // Printing the codes is the user's acknowledgement that they were shown.
        engine.twoFactor.completeEnrolment(user, WORKSTATION)
        io.out(step.codes.join('\n'))
        return 0
      }
    },
    'auth check': async () => {
      const { values, positionals } = parse(commandArgs, { 'code-stdin': { type: 'boolean' }, 'recovery-stdin': { type: 'boolean' }, 'password-stdin': { type: 'boolean' } }, 1)
      if (values['code-stdin'] && values['recovery-stdin']) throw new UsageError('give --code-stdin or --recovery-stdin, not both')
      if (!values['password-stdin']) throw new UsageError('the password is read from standard input: pass --password-stdin')
      const recovery = !!values['recovery-stdin']
      const withCode = recovery || !!values['code-stdin']
      const [password, code] = await readSecrets(io, withCode ? ['password', recovery ? 'recovery code' : 'code'] : ['password'])
      return async (engine) => {
        const { user, stage } = await engine.auth.login(positionals[0]!, password!, WORKSTATION)
        if (stage === 'enrol') {
          const req = engine.auth.enrolRequirement(user)
          throw new DomainError('NOT_ENROLLED', `two-factor setup is required at login${req.postponementsLeft ? ` (${req.postponementsLeft} postponements left)` : ''}`)
        }
        if (stage === 'second-factor') {
          const lock = engine.twoFactor.lockOf(user, WORKSTATION)
          if (lock) throw lock
          if (!code) throw new DomainError('INVALID_CODE', 'a second factor is required: pass --code-stdin or --recovery-stdin')
          const method = recovery ? 'recovery' : (engine.twoFactor.activeMethod(user.id) ?? 'totp')
          const verified = engine.twoFactor.verify(user, method, code, WORKSTATION)
          if (verified.viaAccessCode) throw new DomainError('NOT_ENROLLED', 'two-factor setup is required at login')
          engine.auth.recordLogin(user, WORKSTATION, method)
          if (verified.lowOnRecoveryCodes) io.err(`warning: ${verified.recoveryCodesLeft} recovery codes left`)
        }
        io.out('ok')
        return 0
      }
    },
    'policy show': async () => {
      const { values } = parse(commandArgs, { json: { type: 'boolean' } }, 0)
      return async (engine) => {
        const view = engine.administration.view()
        if (values.json) io.out(JSON.stringify(view, null, 2))
        else {
          const flat = (o: Record<string, unknown>, prefix = ''): string[][] =>
            Object.entries(o).flatMap(([k, v]) =>
              v && typeof v === 'object' && !Array.isArray(v) ? flat(v as Record<string, unknown>, `${prefix}${k}.`) : [[`${prefix}${k}`, Array.isArray(v) ? v.join(',') : String(v)]]
            )
          io.out(table(flat(view)).join('\n'))
        }
        return 0
      }
    },
    'policy set': async () => {
      const smtpFlag = commandArgs.includes('--smtp-password-stdin')
      const assignments = commandArgs.filter((a) => a !== '--smtp-password-stdin')
      if (assignments.length === 0) throw new UsageError('policy set needs at least one KEY=VALUE')
      const bad = assignments.find((a) => a.startsWith('-'))
      if (bad) throw new UsageError(`unknown option: ${bad}`)
      const smtpPassword = smtpFlag ? (await io.readStdin()).replace(/\r?\n$/, '') : undefined
      return async (engine) => {
        let next = engine.policy.get()
        for (const a of assignments) next = applySetting(next, a)
        const checked = policySchema.safeParse(next)
        if (!checked.success) {
          const issue = checked.error.issues[0]!
          throw new DomainError('INVALID_INPUT', `${issue.path.join('.')}: ${issue.message}`)
        }
        engine.administration.save(null, checked.data, smtpPassword, WORKSTATION)
        io.out('policy saved')
        return 0
      }
    },
    'audit list': async () => {
      const { values } = parse(commandArgs, { json: { type: 'boolean' }, limit: { type: 'string' } }, 0)
      const limit = values.limit === undefined ? 100 : Number(values.limit)
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError('--limit takes a number from 1 to 500')
      return async (engine) => {
        const page = engine.administration.auditPage({ event: '', actor: '', subject: '', from: null, to: null, beforeId: null, limit })
        if (values.json) io.out(JSON.stringify(page.rows, null, 2))
        else if (page.rows.length === 0) io.out('the audit log is empty')
        else {
          io.out(
            table([['ID', 'TIME', 'EVENT', 'ACTOR', 'SUBJECT', 'WORKSTATION'], ...page.rows.map((r) => [String(r.id), iso(r.at), r.event, r.actor ?? '-', r.subject ?? '-', r.workstation ?? '-'])]).join('\n')
          )
        }
        return 0
      }
    },
    'user import': async () => {
      const { positionals } = parse(commandArgs, {}, 1)
      const file = readableFile(positionals[0]!)
      return async (engine) => {
        const report = await engine.directory.importFrom(null, { stream: createReadStream(file.path), bytes: file.bytes }, WORKSTATION, unattended())
        if (report.ok) {
          io.out(`imported ${plural(report.created, 'user')}`)
          return 0
        }
        for (const r of report.refused) io.err(`line ${r.line}${r.username ? ` (${r.username})` : ''}: ${r.reason}`)
        const unlisted = report.refusedCount - report.refused.length
        throw new DomainError('INVALID_INPUT', `nothing was imported: ${plural(report.refusedCount, 'row')} refused${unlisted > 0 ? ` (${unlisted} not listed)` : ''}`)
      }
    },
    'user export': async () => {
      const out = outFile(parse(commandArgs, { out: { type: 'string' } }, 0).values.out)
      return async (engine) => {
        const result = await engine.directory.exportTo(null, out, WORKSTATION, unattended())
        io.out(`exported ${plural(result.rows, 'user')} to ${out}`)
        return 0
      }
    },
    'audit export': async () => {
      const out = outFile(parse(commandArgs, { out: { type: 'string' } }, 0).values.out)
      return async (engine) => {
        const result = await engine.administration.exportAuditTo(null, out, WORKSTATION, unattended())
        io.out(`exported ${plural(result.rows, 'audit row')} to ${out}`)
        return 0
      }
    },
    'token import': async () => {
      const { values, positionals } = parse(commandArgs, { 'psk-stdin': { type: 'boolean' } }, 1)
      const file = readableFile(positionals[0]!)
      const psk = values['psk-stdin'] ? (await readSecrets(io, ['pre-shared key']))[0]! : null
      return async (engine) => {
        const { imported } = engine.twoFactor.tokens.importFile(null, readFileSync(file.path, 'utf8'), psk, WORKSTATION)
        io.out(`imported ${plural(imported, 'token')}`)
        return 0
      }
    },
    'token list': async () => {
      const { values } = parse(commandArgs, { json: { type: 'boolean' } }, 0)
      return async (engine) => {
        const tokens = engine.twoFactor.tokens.list({ limit: 10_000 })
        if (values.json) io.out(JSON.stringify(tokens, null, 2))
        else if (tokens.length === 0) io.out('no tokens imported')
        else {
          const kind = (t: (typeof tokens)[number]) => `${t.kind.toUpperCase()} ${t.digits} digits${t.period ? ` ${t.period} s` : ''}${t.algorithm === 'sha256' ? ' SHA-256' : ''}`
          io.out(table([['SERIAL', 'TYPE', 'STATE', 'USER', 'LAST USED'], ...tokens.map((t) => [t.serial, kind(t), t.state, t.user?.username ?? '-', iso(t.lastUsedAt)])]).join('\n'))
        }
        return 0
      }
    },
    'token assign': async () => {
      const { positionals } = parse(commandArgs, {}, 2)
      return async (engine) => {
        const token = engine.twoFactor.assignToken(null, positionals[0]!, userNamed(engine, positionals[1]!), WORKSTATION)
        io.out(`token ${token.serial} assigned to ${positionals[1]}: they confirm its first code at their next login`)
        return 0
      }
    },
    'token unassign': async () => releaseToken(false),
    'token lost': async () => releaseToken(true),
    'key list': async () => {
      const { values, positionals } = parse(commandArgs, { json: { type: 'boolean' } }, 1)
      return async (engine) => {
        const keys = engine.twoFactor.securityKeys(userNamed(engine, positionals[0]!).id)
        if (values.json) io.out(JSON.stringify(keys, null, 2))
        else if (keys.length === 0) io.out(`${positionals[0]} has no security key`)
        else io.out(table([['NAME', 'ADDED', 'LAST USED'], ...keys.map((k) => [k.name, iso(k.createdAt), iso(k.lastUsedAt)])]).join('\n'))
        return 0
      }
    },
    'key remove': async () => {
      const { positionals } = parse(commandArgs, {}, 2)
      return async (engine) => {
        const user = userNamed(engine, positionals[0]!)
        const key = engine.twoFactor.securityKeys(user.id).find((k) => k.name.toLowerCase() === positionals[1]!.toLowerCase())
        if (!key) throw new DomainError('NOT_FOUND', `${user.username} has no key named "${positionals[1]}"`)
        engine.twoFactor.removeKey(null, user, key.id, WORKSTATION)
        io.out(`removed the key "${key.name}" of ${user.username}`)
        return 0
      }
    },
    'audit verify': async () => {
      parse(commandArgs, {}, 0)
      return async (engine) => {
        const v = await engine.administration.verify(true)
        if (!v.ok) throw new DomainError('INTERNAL', `the audit log was tampered with: ${v.problem} (${v.rows} rows before it are intact)`)
        io.out(`ok: ${v.rows} rows, the chain is intact`)
        return 0
      }
    }
  }

  const action = await handlers[command]!()
  // Anything but init needs a database; without one, say so and create nothing (no folder, no file).
  if (command !== 'init' && !existsSync(databaseFile(dataDir))) throw new DomainError('NOT_INITIALIZED', `no Tessera database in ${dataDir}: run "init" first`)
  const engine = createEngine({ databaseFile: databaseFile(dataDir), dataDir })
  try {
    if (command !== 'init' && !engine.accounts.isInitialized()) throw new DomainError('NOT_INITIALIZED', `no Tessera database in ${dataDir}: run "init" first`)
    return await action(engine)
  } finally {
    engine.close()
  }
}

/** Runs the CLI; returns the exit code. Never throws, never prints a stack trace. */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    return await run(argv, io)
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}`)
      io.err('run "tessera help" for the commands')
      return 2
    }
    if (error instanceof DomainError) {
      io.err(`error: ${error.message}`)
      return 1
    }
    io.err(`error: ${(error as Error)?.message ?? String(error)}`)
    return 1
  }
}

async function readAll(): Promise<string> {
  if (process.stdin.isTTY) return ''
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('cli.ts') || process.argv[1]?.endsWith('cli.js')) {
  const code = await main(process.argv.slice(2), {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    readStdin: readAll
  })
  process.exitCode = code
}
