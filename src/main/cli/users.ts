/** CLI commands on accounts: init, user add/list/show/unlock/reset-2fa/import/export. */
import { createReadStream } from 'node:fs'
import { basename } from 'node:path'
import { USER_SOURCES, type UserSource } from '../../shared/admin-dto'
import type { HeldMethod, Role } from '../../shared/dto'
import { heldMethodWords, STATUS_WORDS } from '../../shared/i18n/labels'
import { message, type Translator } from '../../shared/i18n/translate'
import { displayNameSchema, emailSchema, newPasswordSchema, phoneSchema, roleSchema, usernameSchema } from '../../shared/validation'
import { DomainError } from '../core/domain-error'
import type { Engine } from '../core/engine'
import { unattended } from '../core/jobs'
import { findUserByIdentifier, type UserRow } from '../db/queries/users'
import { command, exportCommand, headedTable, iso, padTo, readableFile, readPassword, UsageError, valid, width, WORKSTATION, type WordId } from './args'

/** One method held, on one line: `Authenticator app “work phone”, default, set up …, last used …`. */
function heldLine(words: Translator, m: HeldMethod, keys: number): string {
  const named = heldMethodWords(words, m)
  const method = m.method === 'webauthn' ? words.t('cli.userShow.keys', { method: named, count: keys }) : named
  return words.t('cli.userShow.method', { method, isDefault: m.isDefault ? 'yes' : 'no', setUp: iso(m.activatedAt), lastUsed: iso(m.lastUsedAt) })
}

export async function userNamed(engine: Engine, name: string): Promise<UserRow> {
  const u = await findUserByIdentifier(engine.store, name)
  if (!u) throw new DomainError('NOT_FOUND', message('cli.noUserNamed', { username: name }))
  return u
}

/** `user show`: one label and its value a line, the values in one column. */
function detailLines(words: Translator, d: Awaited<ReturnType<Engine['directory']['detail']>>): string {
  const status = words.t(STATUS_WORDS[d.status])
  const lines: [WordId | null, string][] = [
    ['cli.field.username', d.username],
    ['cli.field.name', d.displayName],
    ['cli.field.email', d.email],
    ['cli.field.phone', d.phone ?? '-'],
    ['cli.field.role', d.role],
    ['cli.field.status', d.lockedUntil ? words.t('cli.userShow.lockedUntil', { status, until: iso(d.lockedUntil) }) : status],
    ['cli.field.twoFactor', d.methods.length === 0 ? words.t('cli.userShow.notSetUp') : words.t('cli.userShow.methods', { count: d.methods.length })],
    ...d.methods.map((m): [null, string] => [null, heldLine(words, m, d.keys.length)]),
    ['cli.field.recoveryCodes', d.method ? words.t('cli.userShow.codesLeft', { count: d.recoveryCodesLeft }) : '-'],
    ['cli.field.lastLogin', iso(d.lastLoginAt)]
  ]
  const labels = lines.map(([k, v]): [string, string] => [k ? `${words.t(k)}:` : '', v])
  const column = Math.max(17, ...labels.map(([k]) => width(k) + 2))
  return labels.map(([k, v]) => `${padTo(k, column)}${v}`).join('\n')
}

const passwordStdin = { type: 'boolean', help: 'cli.option.passwordStdin' } as const
const json = { type: 'boolean', help: 'cli.option.json' } as const
const displayName = { type: 'string', value: '"Full Name"', help: 'cli.option.displayName' } as const
const isSourceFilter = (s: string): s is 'all' | UserSource => s === 'all' || (USER_SOURCES as readonly string[]).includes(s)
export const userCommands = [
  command({
    name: 'init',
    usage: '--admin NAME --email EMAIL [--name "Full Name"] --password-stdin',
    summary: 'cli.init.summary',
    details: 'cli.init.details',
    options: { admin: { type: 'string', value: 'NAME', help: 'cli.init.option.admin' }, email: { type: 'string', value: 'EMAIL', help: 'cli.init.option.email' }, name: displayName, 'password-stdin': passwordStdin },
    positionals: 0,
    async prepare({ values, words }, io) {
      if (!values.admin || !values.email) throw new UsageError(message('cli.init.needs'))
      const input = { username: valid(usernameSchema, values.admin, 'cli.field.username'), email: valid(emailSchema, values.email, 'cli.field.email'), displayName: valid(displayNameSchema, values.name ?? values.admin, 'cli.field.name') }
      const password = valid(newPasswordSchema, await readPassword(io, values['password-stdin']), 'cli.field.password')
      return async (engine) => {
        const user = await engine.accounts.createFirstAdmin({ ...input, password })
        await engine.audit.record({ event: 'setup.first-admin', subject: { id: user.id, username: user.username }, workstation: WORKSTATION })
        io.out(words.t('cli.init.done', { username: user.username }))
        return 0
      }
    }
  }),
  command({
    name: 'user add',
    usage: 'NAME --email EMAIL [--name "Full Name"] [--role user|helpdesk|admin] [--phone NUMBER] --password-stdin',
    summary: 'cli.userAdd.summary',
    options: { email: { type: 'string', value: 'EMAIL', help: 'cli.userAdd.option.email' }, name: displayName, role: { type: 'string', value: 'ROLE', help: 'cli.userAdd.option.role' }, phone: { type: 'string', value: 'NUMBER', help: 'cli.userAdd.option.phone' }, 'password-stdin': passwordStdin },
    positionals: 1,
    async prepare({ values, positionals, words }, io) {
      if (!values.email) throw new UsageError(message('cli.userAdd.needsEmail'))
      const input = {
        username: valid(usernameSchema, positionals[0], 'cli.field.username'),
        email: valid(emailSchema, values.email, 'cli.field.email'),
        displayName: valid(displayNameSchema, values.name ?? positionals[0], 'cli.field.name'),
        role: valid(roleSchema, values.role ?? 'user', 'cli.field.roleOption') as Role,
        phone: valid(phoneSchema, values.phone ?? '', 'cli.field.phone')
      }
      const password = valid(newPasswordSchema, await readPassword(io, values['password-stdin']), 'cli.field.password')
      return async (engine) => {
        const { user } = await engine.helpdesk.createUser(null, { ...input, password }, WORKSTATION)
        io.out(words.t('cli.userAdd.done', { role: user.role, username: user.username }))
        return 0
      }
    }
  }),
  command({
    name: 'user edit',
    usage: 'NAME [--username NEW] [--email EMAIL] [--name "Full Name"] [--phone NUMBER]',
    summary: 'cli.userEdit.summary',
    details: 'cli.userEdit.details',
    options: {
      username: { type: 'string', value: 'NEW', help: 'cli.userEdit.option.username' },
      email: { type: 'string', value: 'EMAIL', help: 'cli.userEdit.option.email' },
      name: { type: 'string', value: '"Full Name"', help: 'cli.userEdit.option.name' },
      phone: { type: 'string', value: 'NUMBER', help: 'cli.userEdit.option.phone' }
    },
    positionals: 1,
    prepare({ values, positionals, words }, io) {
      if ([values.username, values.email, values.name, values.phone].every((v) => v === undefined)) throw new UsageError(message('cli.userEdit.needsOne'))
      const given = {
        ...(values.username !== undefined && { username: valid(usernameSchema, values.username, 'cli.field.username') }),
        ...(values.email !== undefined && { email: valid(emailSchema, values.email, 'cli.field.email') }),
        ...(values.name !== undefined && { displayName: valid(displayNameSchema, values.name, 'cli.field.name') }),
        ...(values.phone !== undefined && { phone: valid(phoneSchema, values.phone, 'cli.field.phone') })
      }
      return async (engine) => {
        const u = await userNamed(engine, positionals[0]!)
        const changed = await engine.profiles.update(null, u.id, { username: u.username, email: u.email, displayName: u.display_name, phone: u.phone, ...given }, WORKSTATION)
        const fields = words.list(changed.map((field) => words.t('cli.userEdit.field', { field })))
        io.out(changed.length ? words.t('cli.userEdit.done', { fields, username: given.username ?? u.username }) : words.t('cli.userEdit.nothing'))
        return 0
      }
    }
  }),
  command({
    name: 'user delete',
    usage: 'NAME --confirm NAME',
    summary: 'cli.userDelete.summary',
    options: { confirm: { type: 'string', value: 'NAME', help: 'cli.userDelete.option.confirm' } },
    positionals: 1,
    prepare({ values, positionals, words }, io) {
      if (!values.confirm) throw new UsageError(message('cli.userDelete.needsConfirm', { username: positionals[0]! }))
      return async (engine) => {
        const u = await userNamed(engine, positionals[0]!)
        await engine.profiles.delete(null, u.id, values.confirm!, WORKSTATION)
        io.out(words.t('cli.userDelete.done', { username: u.username }))
        return 0
      }
    }
  }),
  command({
    name: 'user list',
    usage: '[--search TEXT] [--source directory|local] [--json]',
    summary: 'cli.userList.summary',
    options: {
      search: { type: 'string', value: 'TEXT', help: 'cli.userList.option.search' },
      source: { type: 'string', value: 'directory|local', help: 'cli.userList.option.source' },
      json
    },
    positionals: 0,
    prepare: ({ values, words }, io) => {
      const source = values.source ?? 'all'
      if (!isSourceFilter(source)) throw new UsageError(message('cli.userList.wrongSource', { source }))
      return async (engine) => {
        const rows = []
        for (let offset = 0; ; offset += 500) {
          const page = await engine.directory.list({ search: values.search ?? '', status: 'all', role: 'all', source, sort: 'username', descending: false, offset, limit: 500 })
          rows.push(...page.rows)
          if (rows.length >= page.total || page.rows.length === 0) break
        }
        if (values.json) io.out(JSON.stringify(rows, null, 2))
        else if (rows.length === 0) io.out(words.t('cli.userList.none'))
        else {
          const cells = rows.map((r) => [r.username, r.displayName, r.email, r.role, words.t(STATUS_WORDS[r.status])])
          io.out(headedTable(words, ['cli.column.username', 'cli.column.name', 'cli.column.email', 'cli.column.role', 'cli.column.status'], cells).join('\n'))
        }
        return 0
      }
    }
  }),
  command({
    name: 'user show',
    usage: 'NAME [--json]',
    summary: 'cli.userShow.summary',
    options: { json },
    positionals: 1,
    prepare: ({ values, positionals, words }, io) => async (engine) => {
      const d = await engine.directory.detail((await userNamed(engine, positionals[0]!)).id)
      io.out(values.json ? JSON.stringify(d, null, 2) : detailLines(words, d))
      return 0
    }
  }),
  command({
    name: 'user unlock',
    usage: 'NAME',
    summary: 'cli.userUnlock.summary',
    options: {},
    positionals: 1,
    prepare: ({ positionals, words }, io) => async (engine) => {
      await engine.helpdesk.unlock(null, (await userNamed(engine, positionals[0]!)).id, WORKSTATION)
      io.out(words.t('cli.userUnlock.done', { username: positionals[0]! }))
      return 0
    }
  }),
  command({
    name: 'user reset-2fa',
    usage: 'NAME --reason TEXT',
    summary: 'cli.userReset.summary',
    options: { reason: { type: 'string', value: 'TEXT', help: 'cli.userReset.option.reason' } },
    positionals: 1,
    prepare({ values, positionals, words }, io) {
      const reason = values.reason?.trim()
      if (!reason) throw new UsageError(message('cli.userReset.needsReason'))
      return async (engine) => {
        await engine.helpdesk.resetTwoFactor(null, (await userNamed(engine, positionals[0]!)).id, reason, WORKSTATION)
        io.out(words.t('cli.userReset.done', { username: positionals[0]! }))
        return 0
      }
    }
  }),
  command({
    name: 'user import',
    usage: 'FILE.csv [--dry-run]',
    summary: 'cli.userImport.summary',
    details: 'cli.userImport.details',
    options: { 'dry-run': { type: 'boolean', help: 'cli.userImport.option.dryRun' } },
    positionals: 1,
    prepare({ values, positionals, words }, io) {
      const file = readableFile(positionals[0]!)
      const dryRun = !!values['dry-run']
      return async (engine) => {
        const report = await engine.directory.importFrom(null, { stream: createReadStream(file.path), bytes: file.bytes, name: basename(file.path) }, WORKSTATION, unattended(), dryRun)
        if (report.ok && dryRun) {
          const rows = (report.preview ?? []).map((r) => [String(r.line), r.username, r.email, r.displayName, r.role, r.phone ?? '-'])
          const headers: WordId[] = ['cli.column.line', 'cli.column.username', 'cli.column.email', 'cli.column.name', 'cli.column.role', 'cli.column.phone']
          io.out([words.t('cli.userImport.ready', { count: report.wouldCreate ?? 0 }), ...headedTable(words, headers, rows)].join('\n'))
          return 0
        }
        if (report.ok) {
          io.out(words.t('cli.userImport.done', { count: report.created }))
          return 0
        }
        // A refusal of the whole file (line 0: empty, already imported...) is the one line to say.
        if (report.refusedCount === 1 && report.refused[0]?.line === 0) throw new DomainError('INVALID_INPUT', report.refused[0].reason)
        for (const r of report.refused) {
          const reason = words.sayText(r.reason)
          io.err(r.username ? words.t('cli.userImport.refusedNamedLine', { line: r.line, username: r.username, reason }) : words.t('cli.userImport.refusedLine', { line: r.line, reason }))
        }
        const unlisted = report.refusedCount - report.refused.length
        throw new DomainError('INVALID_INPUT', unlisted > 0 ? message('cli.userImport.nothingUnlisted', { count: report.refusedCount, unlisted }) : message('cli.userImport.nothing', { count: report.refusedCount }))
      }
    }
  }),
  exportCommand('user export', 'cli.userExport.summary', 'cli.userExport.done', (engine, out) => engine.directory.exportTo(null, out, WORKSTATION, unattended()))
]
