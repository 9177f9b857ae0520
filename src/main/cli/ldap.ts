/** CLI commands on the directory source: ldap configure/show/test/sync/status. */
import { PRESETS, SOURCE_KINDS, directorySourceSchema, type SourceKind, type SyncCounts } from '../../shared/directory-source'
import { message, type Translator } from '../../shared/i18n/translate'
import { DomainError } from '../core/domain-error'
import { unattended } from '../core/jobs'
import type { SyncReport } from '../core/directory-source/sync'
import { command, headedTable, iso, UsageError, WORKSTATION, type Command } from './args'

const json = { type: 'boolean', help: 'cli.option.jsonOnly' } as const

/** `attributes.username=sAMAccountName`, `urls=ldaps://a,ldaps://b`, `groups.admin=none`: one setting changed, typed as the preset's. */
export function applySourceSetting(source: Record<string, unknown>, assignment: string): Record<string, unknown> {
  const eq = assignment.indexOf('=')
  if (eq < 1) throw new UsageError(message('cli.usage.expectedAssignment', { assignment }))
  const key = assignment.slice(0, eq)
  const raw = assignment.slice(eq + 1)
  const template: Record<string, unknown> = { ...PRESETS.openldap, urls: [], bindDn: '', baseDn: '', caFile: '', groups: { helpdesk: '', admin: '' } }
  const path = key.split('.')
  const next = structuredClone(source)
  let parent = next
  let shape = template
  for (const [i, part] of path.entries()) {
    if (!Object.hasOwn(shape, part) || (i < path.length - 1 && typeof shape[part] !== 'object')) throw new UsageError(message('cli.ldapConfigure.unknownSetting', { key }))
    if (i === path.length - 1) parent[part] = valueOf(shape[part], raw, key)
    else {
      parent[part] ??= {}
      parent = parent[part] as Record<string, unknown>
      shape = shape[part] as Record<string, unknown>
    }
  }
  return next
}

function valueOf(template: unknown, raw: string, key: string): unknown {
  if (Array.isArray(template)) return raw.split(',').map((v) => v.trim()).filter(Boolean)
  if (typeof template === 'number') {
    const n = Number(raw)
    if (!Number.isFinite(n) || raw.trim() === '') throw new UsageError(message('cli.usage.takesNumber', { key }))
    return n
  }
  if (typeof template === 'boolean') {
    if (raw !== 'true' && raw !== 'false') throw new UsageError(message('cli.usage.takesBoolean', { key }))
    return raw === 'true'
  }
  return raw === 'none' ? null : raw
}

const countsLine = (words: Translator, c: SyncCounts) => words.t('cli.ldapSync.counts', c)

/** A duration in seconds, to a tenth. */
const took = (words: Translator, ms: number) => words.t('cli.seconds', { seconds: ms / 1000 })

const configure = command({
  name: 'ldap configure',
  usage: '[--preset active-directory|openldap] KEY=VALUE ... [--bind-password-stdin]',
  summary: 'cli.ldapConfigure.summary',
  details: 'cli.ldapConfigure.details',
  options: { preset: { type: 'string', value: 'KIND', help: 'cli.ldapConfigure.option.preset' }, 'bind-password-stdin': { type: 'boolean', help: 'cli.ldapConfigure.option.bindPassword' } },
  positionals: [0, Infinity],
  async prepare({ values, positionals, words }, io) {
    const preset = values.preset as SourceKind | undefined
    if (preset !== undefined && !SOURCE_KINDS.includes(preset)) throw new UsageError(words.t('cli.ldapConfigure.wrongPreset', { kinds: words.intl.formatList(SOURCE_KINDS, { type: 'disjunction' }) }))
    const password = values['bind-password-stdin'] ? (await io.readStdin()).replace(/\r?\n$/, '') : undefined
    return async (engine) => {
      const current = await engine.directorySource.settings.get()
      let next: Record<string, unknown> = preset ? { ...PRESETS[preset], urls: current?.urls ?? [], bindDn: current?.bindDn ?? '', baseDn: current?.baseDn ?? '' } : current ? { ...current } : { ...PRESETS.openldap, urls: [], bindDn: '', baseDn: '' }
      for (const a of positionals) next = applySourceSetting(next, a)
      const checked = directorySourceSchema.safeParse(next)
      if (!checked.success) throw new UsageError(checked.error.issues.map((i) => words.sayText(i.message)).join('\n'))
      if (password === undefined && !(await engine.directorySource.settings.passwordSet())) throw new UsageError(message('cli.ldapConfigure.noPassword'))
      await engine.directorySource.save(null, checked.data, password, WORKSTATION)
      io.out(words.t('cli.ldapConfigure.done', { urls: checked.data.urls.join(', ') }))
      return 0
    }
  }
})

const show = command({
  name: 'ldap show',
  usage: '[--json]',
  summary: 'cli.ldapShow.summary',
  options: { json },
  positionals: 0,
  prepare: ({ values, words }, io) => async (engine) => {
    const source = await engine.directorySource.settings.get()
    if (!source) throw new DomainError('DIRECTORY_NOT_CONFIGURED')
    const passwordSet = await engine.directorySource.settings.passwordSet()
    // JSON says it as it always has; the listing in the CLI's language.
    if (values.json) io.out(JSON.stringify({ ...source, bindPassword: passwordSet ? 'set' : 'not set' }, null, 2))
    else io.out(flatten({ ...source, bindPassword: words.t(passwordSet ? 'cli.ldapShow.passwordSet' : 'cli.ldapShow.passwordNotSet') }).map(([k, v]) => `${k}=${v}`).join('\n'))
    return 0
  }
})

function flatten(o: Record<string, unknown>, prefix = ''): [string, string][] {
  return Object.entries(o).flatMap(([k, v]): [string, string][] =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? flatten(v as Record<string, unknown>, `${prefix}${k}.`) : [[`${prefix}${k}`, Array.isArray(v) ? v.join(',') : v === null ? 'none' : String(v)]]
  )
}

const test = command({
  name: 'ldap test',
  usage: '',
  summary: 'cli.ldapTest.summary',
  options: {},
  positionals: 0,
  prepare: ({ words }, io) => async (engine) => {
    const t = await engine.directorySource.test()
    io.out(t.unusable ? words.t('cli.ldapTest.doneUnusable', { url: t.url, count: t.matches, unusable: t.unusable }) : words.t('cli.ldapTest.done', { url: t.url, count: t.matches }))
    const rows = t.first.map((p) => [p.username, p.email || '-', p.displayName, p.phone ?? '-', words.t(p.disabled ? 'cli.yes' : 'cli.no'), p.dn])
    if (rows.length) io.out(headedTable(words, ['cli.column.username', 'cli.column.email', 'cli.column.name', 'cli.column.phone', 'cli.column.disabled', 'cli.column.dn'], rows).join('\n'))
    return 0
  }
})

const sync = command({
  name: 'ldap sync',
  usage: '[--full] [--dry-run] [--confirm]',
  summary: 'cli.ldapSync.summary',
  details: 'cli.ldapSync.details',
  options: { full: { type: 'boolean', help: 'cli.ldapSync.option.full' }, 'dry-run': { type: 'boolean', help: 'cli.ldapSync.option.dryRun' }, confirm: { type: 'boolean', help: 'cli.ldapSync.option.confirm' }, json },
  positionals: 0,
  prepare: ({ values, words }, io) => async (engine) => {
    const report: SyncReport = await engine.directorySource.sync({ full: !!values.full, dryRun: !!values['dry-run'], confirm: !!values.confirm }, { ownerId: null, actor: null, workstation: WORKSTATION }, unattended())
    if (values.json) {
      io.out(JSON.stringify(report, null, 2))
      return report.waiting ? 1 : 0
    }
    const yes = (b: boolean) => (b ? 'yes' : 'no')
    io.out(words.t('cli.ldapSync.done', { dryRun: yes(report.dryRun), full: yes(report.full), seconds: took(words, report.ms), counts: countsLine(words, report.counts) }))
    if (report.fullBecause) io.err(words.sayText(report.fullBecause))
    for (const r of report.refusals) io.err(words.t('cli.ldapSync.refused', { username: r.username, reason: words.sayText(r.reason) }))
    if (report.waiting) {
      io.err(words.t('cli.ldapSync.stopped', { count: report.waiting.disable, of: report.waiting.of }))
      return 1
    }
    return 0
  }
})

const status = command({
  name: 'ldap status',
  usage: '[--json]',
  summary: 'cli.ldapStatus.summary',
  options: { json },
  positionals: 0,
  prepare: ({ values, words }, io) => async (engine) => {
    const s = await engine.directorySource.status()
    if (values.json) {
      io.out(JSON.stringify(s, null, 2))
      return 0
    }
    if (!s.configured) throw new DomainError('DIRECTORY_NOT_CONFIGURED')
    io.out(words.t('cli.ldapStatus.last', { last: iso(s.lastSyncAt), lastFull: iso(s.lastFullAt) }))
    if (s.waiting) io.out(words.t('cli.ldapStatus.waiting', { count: s.waiting.disable, of: s.waiting.of }))
    const kind = (r: (typeof s.runs)[number]) => words.t('cli.ldapStatus.kind', { full: r.report.full ? 'yes' : 'no', dryRun: r.report.dryRun ? 'yes' : 'no' })
    const rows = s.runs.map((r) => [iso(r.startedAt), r.state, kind(r), r.finishedAt ? took(words, r.finishedAt - r.startedAt) : '-', r.report.counts ? countsLine(words, r.report.counts) : (r.report.error ? words.sayText(r.report.error) : '-')])
    if (rows.length) io.out(headedTable(words, ['cli.column.started', 'cli.column.state', 'cli.column.kind', 'cli.column.took', 'cli.column.whatItDid'], rows).join('\n'))
    const last = s.runs[0]?.report.fullBecause
    if (last) io.out(words.t('cli.ldapStatus.lastReason', { reason: words.sayText(last) }))
    return 0
  }
})

export const ldapCommands: Command[] = [configure, show, test, sync, status]
