/** CLI commands on accounts: init, user add/list/show/unlock/reset-2fa/import/export. */
import { createReadStream } from 'node:fs'
import { basename } from 'node:path'
import { STATUS_LABELS, USER_SOURCES, type UserSource } from '../../shared/admin-dto'
import type { HeldMethod, Role } from '../../shared/dto'
import { heldMethodLabel } from '../../shared/policy'
import { displayNameSchema, emailSchema, newPasswordSchema, phoneSchema, roleSchema, usernameSchema } from '../../shared/validation'
import { DomainError } from '../core/domain-error'
import type { Engine } from '../core/engine'
import { unattended } from '../core/jobs'
import { findUserByIdentifier, type UserRow } from '../db/queries/users'
import { command, exportCommand, iso, plural, readableFile, readPassword, table, UsageError, valid, WORKSTATION } from './args'

/** One method held, on one line: `Authenticator app “work phone”, default, set up …, last used …`. */
function heldLine(m: HeldMethod, keys: number): string {
  const what = `${heldMethodLabel(m)}${m.method === 'webauthn' ? ` (${plural(keys, 'key')})` : ''}`
  return `${what}${m.isDefault ? ', default' : ''}, set up ${iso(m.activatedAt)}, last used ${iso(m.lastUsedAt)}`
}

export async function userNamed(engine: Engine, name: string): Promise<UserRow> {
  const u = await findUserByIdentifier(engine.store, name)
  if (!u) throw new DomainError('NOT_FOUND', `no user named ${name}`)
  return u
}

const passwordStdin = { type: 'boolean', help: 'read the password from the first line of standard input' } as const
const json = { type: 'boolean', help: 'print JSON instead of a table' } as const
const isSourceFilter = (s: string): s is 'all' | UserSource => s === 'all' || (USER_SOURCES as readonly string[]).includes(s)

export const userCommands = [
  command({
    name: 'init',
    usage: '--admin NAME --email EMAIL [--name "Full Name"] --password-stdin',
    summary: 'create the first administrator in a new data directory',
    details: ['The administrator sets up their second factor at their first login in the app.'],
    options: { admin: { type: 'string', value: 'NAME', help: 'the administrator\'s username' }, email: { type: 'string', value: 'EMAIL', help: 'their e-mail address' }, name: { type: 'string', value: '"Full Name"', help: 'their display name (default: the username)' }, 'password-stdin': passwordStdin },
    positionals: 0,
    async prepare({ values }, io) {
      if (!values.admin || !values.email) throw new UsageError('init needs --admin NAME and --email EMAIL')
      const input = { username: valid(usernameSchema, values.admin, 'username'), email: valid(emailSchema, values.email, 'e-mail'), displayName: valid(displayNameSchema, values.name ?? values.admin, 'name') }
      const password = valid(newPasswordSchema, await readPassword(io, values['password-stdin']), 'password')
      return async (engine) => {
        const user = await engine.accounts.createFirstAdmin({ ...input, password })
        await engine.audit.record({ event: 'setup.first-admin', subject: { id: user.id, username: user.username }, workstation: WORKSTATION })
        io.out(`created administrator ${user.username}`)
        return 0
      }
    }
  }),
  command({
    name: 'user add',
    usage: 'NAME --email EMAIL [--name "Full Name"] [--role user|helpdesk|admin] [--phone NUMBER] --password-stdin',
    summary: 'create an account',
    options: { email: { type: 'string', value: 'EMAIL', help: 'the user\'s e-mail address' }, name: { type: 'string', value: '"Full Name"', help: 'their display name (default: the username)' }, role: { type: 'string', value: 'ROLE', help: 'user (default), helpdesk or admin' }, phone: { type: 'string', value: 'NUMBER', help: 'a phone number for call-backs' }, 'password-stdin': passwordStdin },
    positionals: 1,
    async prepare({ values, positionals }, io) {
      if (!values.email) throw new UsageError('user add needs --email EMAIL')
      const input = {
        username: valid(usernameSchema, positionals[0], 'username'),
        email: valid(emailSchema, values.email, 'e-mail'),
        displayName: valid(displayNameSchema, values.name ?? positionals[0], 'name'),
        role: valid(roleSchema, values.role ?? 'user', '--role (user, helpdesk or admin)') as Role,
        phone: valid(phoneSchema, values.phone ?? '', 'phone')
      }
      const password = valid(newPasswordSchema, await readPassword(io, values['password-stdin']), 'password')
      return async (engine) => {
        const { user } = await engine.helpdesk.createUser(null, { ...input, password }, WORKSTATION)
        io.out(`created ${user.role} ${user.username}`)
        return 0
      }
    }
  }),
  command({
    name: 'user edit',
    usage: 'NAME [--username NEW] [--email EMAIL] [--name "Full Name"] [--phone NUMBER]',
    summary: 'change an account\'s username, e-mail, name or phone number',
    details: ['--phone "" removes the number on file. Past audit rows keep the old username.'],
    options: { username: { type: 'string', value: 'NEW', help: 'the new username' }, email: { type: 'string', value: 'EMAIL', help: 'the new e-mail address' }, name: { type: 'string', value: '"Full Name"', help: 'the new display name' }, phone: { type: 'string', value: 'NUMBER', help: 'the phone number on file ("" for none)' } },
    positionals: 1,
    prepare({ values, positionals }, io) {
      if ([values.username, values.email, values.name, values.phone].every((v) => v === undefined)) throw new UsageError('user edit needs at least one of --username, --email, --name, --phone')
      const given = {
        ...(values.username !== undefined && { username: valid(usernameSchema, values.username, 'username') }),
        ...(values.email !== undefined && { email: valid(emailSchema, values.email, 'e-mail') }),
        ...(values.name !== undefined && { displayName: valid(displayNameSchema, values.name, 'name') }),
        ...(values.phone !== undefined && { phone: valid(phoneSchema, values.phone, 'phone') })
      }
      return async (engine) => {
        const u = await userNamed(engine, positionals[0]!)
        const changed = await engine.profiles.update(null, u.id, { username: u.username, email: u.email, displayName: u.display_name, phone: u.phone, ...given }, WORKSTATION)
        io.out(changed.length ? `changed ${changed.join(', ')} of ${given.username ?? u.username}` : 'nothing changed')
        return 0
      }
    }
  }),
  command({
    name: 'user delete',
    usage: 'NAME --confirm NAME',
    summary: 'delete an account and everything that is only theirs (the audit log keeps their history)',
    options: { confirm: { type: 'string', value: 'NAME', help: 'the username again, to confirm' } },
    positionals: 1,
    prepare({ values, positionals }, io) {
      if (!values.confirm) throw new UsageError(`user delete needs --confirm ${positionals[0]}`)
      return async (engine) => {
        const u = await userNamed(engine, positionals[0]!)
        await engine.profiles.delete(null, u.id, values.confirm!, WORKSTATION)
        io.out(`deleted ${u.username}`)
        return 0
      }
    }
  }),
  command({
    name: 'user list',
    usage: '[--search TEXT] [--source directory|local] [--json]',
    summary: 'list accounts by username, with their status',
    options: {
      search: { type: 'string', value: 'TEXT', help: 'only names, usernames or e-mails containing TEXT' },
      source: { type: 'string', value: 'directory|local', help: 'only accounts kept by the directory sync, or only those made here' },
      json
    },
    positionals: 0,
    prepare: ({ values }, io) => {
      const source = values.source ?? 'all'
      if (!isSourceFilter(source)) throw new UsageError(`--source is "directory" or "local", not "${source}"`)
      return async (engine) => {
        const rows = []
        for (let offset = 0; ; offset += 500) {
          const page = await engine.directory.list({ search: values.search ?? '', status: 'all', role: 'all', source, sort: 'username', descending: false, offset, limit: 500 })
          rows.push(...page.rows)
          if (rows.length >= page.total || page.rows.length === 0) break
        }
        if (values.json) io.out(JSON.stringify(rows, null, 2))
        else if (rows.length === 0) io.out('no users')
        else io.out(table([['USERNAME', 'NAME', 'E-MAIL', 'ROLE', 'STATUS'], ...rows.map((r) => [r.username, r.displayName, r.email, r.role, STATUS_LABELS[r.status]])]).join('\n'))
        return 0
      }
    }
  }),
  command({
    name: 'user show',
    usage: 'NAME [--json]',
    summary: 'one account: status, the second factors it holds, recovery codes, last login',
    options: { json },
    positionals: 1,
    prepare: ({ values, positionals }, io) => async (engine) => {
      const d = await engine.directory.detail((await userNamed(engine, positionals[0]!)).id)
      if (values.json) io.out(JSON.stringify(d, null, 2))
      else {
        const lines: [string, string][] = [
          ['username', d.username],
          ['name', d.displayName],
          ['e-mail', d.email],
          ['phone', d.phone ?? '-'],
          ['role', d.role],
          ['status', `${STATUS_LABELS[d.status]}${d.lockedUntil ? ` until ${iso(d.lockedUntil)}` : ''}`],
          ['2FA', d.methods.length === 0 ? 'not set up' : plural(d.methods.length, 'method')],
          ...d.methods.map((m): [string, string] => ['', heldLine(m, d.keys.length)]),
          ['recovery codes', d.method ? `${d.recoveryCodesLeft} left` : '-'],
          ['last login', iso(d.lastLoginAt)]
        ]
        io.out(lines.map(([k, v]) => `${(k ? `${k}:` : '').padEnd(17)}${v}`).join('\n'))
      }
      return 0
    }
  }),
  command({
    name: 'user unlock',
    usage: 'NAME',
    summary: 'end a lockout early (says so when the account is not locked)',
    options: {},
    positionals: 1,
    prepare: ({ positionals }, io) => async (engine) => {
      await engine.helpdesk.unlock(null, (await userNamed(engine, positionals[0]!)).id, WORKSTATION)
      io.out(`unlocked ${positionals[0]}`)
      return 0
    }
  }),
  command({
    name: 'user reset-2fa',
    usage: 'NAME --reason TEXT',
    summary: 'remove the second factor: the user sets it up again at their next login',
    options: { reason: { type: 'string', value: 'TEXT', help: 'why (written to the audit log)' } },
    positionals: 1,
    prepare({ values, positionals }, io) {
      const reason = values.reason?.trim()
      if (!reason) throw new UsageError('user reset-2fa needs --reason TEXT')
      return async (engine) => {
        await engine.helpdesk.resetTwoFactor(null, (await userNamed(engine, positionals[0]!)).id, reason, WORKSTATION)
        io.out(`reset two-factor authentication of ${positionals[0]}: they set it up again at their next login`)
        return 0
      }
    }
  }),
  command({
    name: 'user import',
    usage: 'FILE.csv [--dry-run]',
    summary: 'create the users in a CSV file, all or nothing',
    details: ['Columns: username,email,display_name,role and optionally phone (role empty: user). If any row is', 'refused, nothing is imported and every refused line is listed on standard error.'],
    options: { 'dry-run': { type: 'boolean', help: 'check the file and show its first rows; write nothing' } },
    positionals: 1,
    prepare({ values, positionals }, io) {
      const file = readableFile(positionals[0]!)
      const dryRun = !!values['dry-run']
      return async (engine) => {
        const report = await engine.directory.importFrom(null, { stream: createReadStream(file.path), bytes: file.bytes, name: basename(file.path) }, WORKSTATION, unattended(), dryRun)
        if (report.ok && dryRun) {
          const rows = (report.preview ?? []).map((r) => [String(r.line), r.username, r.email, r.displayName, r.role, r.phone ?? '-'])
          io.out([`the file is ready: ${plural(report.wouldCreate ?? 0, 'user')} would be created (nothing was written); the first rows:`, ...table([['LINE', 'USERNAME', 'E-MAIL', 'NAME', 'ROLE', 'PHONE'], ...rows])].join('\n'))
          return 0
        }
        if (report.ok) {
          io.out(`imported ${plural(report.created, 'user')}`)
          return 0
        }
        // A refusal of the whole file (line 0: empty, already imported...) is the one line to say.
        if (report.refusedCount === 1 && report.refused[0]?.line === 0) throw new DomainError('INVALID_INPUT', report.refused[0].reason)
        for (const r of report.refused) io.err(`line ${r.line}${r.username ? ` (${r.username})` : ''}: ${r.reason}`)
        const unlisted = report.refusedCount - report.refused.length
        throw new DomainError('INVALID_INPUT', `nothing was imported: ${plural(report.refusedCount, 'row')} refused${unlisted > 0 ? ` (${unlisted} not listed)` : ''}`)
      }
    }
  }),
  exportCommand('user export', 'write every user to a CSV file', 'user', (engine, out) => engine.directory.exportTo(null, out, WORKSTATION, unattended()))
]
